-- Rows that make NULLs appear wherever the schema lets them (NullabilityEvidenceTests): teams without
-- tickets, tickets without comments, NULL and NaN scores, empty label arrays, infinite times.
INSERT INTO teams (id, name, region, parent_id) VALUES
    (1, 'Core', NULL, NULL), (2, '', '', 1), (3, 'Edge', 'eu', 2);
INSERT INTO tickets (id, team_id, number, title, priority, score, labels, opened_at, closed_at) VALUES
    (1, 1, 1, 'a', 'low', NULL, '{}', 'infinity', NULL),
    (2, 1, 2, '', 'high', 'NaN', '{"", NULL}', '-infinity', 'infinity'),
    (3, 2, 3, 'c', 'normal', 'Infinity', '{x}', now(), now()),
    (4, 2, 4, 'd', 'high', -1, '{NULL}', now(), NULL);
INSERT INTO comments (ticket_id, author, body, posted_at) VALUES
    (1, NULL, '', 'infinity'), (3, 'x', 'b', '-infinity');
INSERT INTO ticket_archive VALUES (NULL, NULL, NULL), (1, 'a', 'infinity');
INSERT INTO ticket_titles VALUES (NULL, NULL);
INSERT INTO ticket_copy SELECT * FROM tickets;
INSERT INTO comment_counts VALUES (NULL, NULL);
REFRESH MATERIALIZED VIEW team_load;
