-- Indexes the lists and searches need at consortium size (issue 18 point 4;
-- bench/results/server-scale.md). A name search (`q`, a substring of the folded `search`
-- column) walks the students in id order: with (id, search) it reads the index alone and only
-- the matches from the table. A school's or program's students are found by their current
-- enrollment without reading it. The review queue reads one status in id order; faculty and
-- site mentors see the placements they supervise.
CREATE INDEX students_id_search ON students(id, search);
CREATE INDEX enrollments_current ON enrollments(student_id, school_id, program_id, status) WHERE ended_at IS NULL;
CREATE INDEX documents_status_id ON documents(status, id);
CREATE INDEX placements_faculty ON placements(faculty_user_id);
CREATE INDEX placements_site_mentor ON placements(site_mentor_id);
