-- The office's dashboard (issue 17, issue 18 point 4) counts by index, not by reading lists:
-- what waits (and since when), this term's placements by state, the pipeline's starts, and
-- what lapses within 90 days.
CREATE INDEX documents_status_submitted ON documents(status, submitted_at);
CREATE INDEX placement_requests_status_created ON placement_requests(status, created_at);
CREATE INDEX placements_status_starts ON placements(status, starts_on);
CREATE INDEX agreements_status_expires ON agreements(status, expires_on);
CREATE INDEX programs_accredited_until ON programs(accredited_until);
