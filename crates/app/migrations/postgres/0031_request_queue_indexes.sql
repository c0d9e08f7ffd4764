-- The requests list at consortium size (issue 18 point 4): one status's requests (the office's
-- queue of submitted ones) and one school's, in id order, read from an index instead of
-- walking every request (`db::requests::list`). The single-column indexes of 0002 are the
-- new ones' prefixes, so they go.
CREATE INDEX placement_requests_status_id ON placement_requests(status, id);
CREATE INDEX placement_requests_school_id ON placement_requests(school_id, id);
DROP INDEX placement_requests_status;
DROP INDEX placement_requests_school;
