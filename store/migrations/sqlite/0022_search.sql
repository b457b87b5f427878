-- Full-text search over what an alliance decides and does: cases, decisions,
-- published minutes, published news, events and projects, action-programme
-- measures and the people in bodies (names, titles and roles in Norwegian,
-- never contact data).
--
-- search_source is the one definition of what each kind of document holds.
-- search_documents keeps a copy of it, and triggers on the source tables
-- replace a row's documents in the transaction that changes the row, so no
-- write path needs to know about search. search_index is an FTS5 table over
-- the Snowball-stemmed words of each document; nb_stem() is a Go function
-- the store registers with the SQLite driver before it opens the database
-- (tools without it cannot write to the source tables).

CREATE TABLE search_documents (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    ref_id        INTEGER NOT NULL,
    alliance_id   INTEGER NOT NULL REFERENCES alliances (id),
    body_id       INTEGER,
    year          INTEGER,
    day           TEXT NOT NULL DEFAULT '',
    visible_from  TEXT,
    title         TEXT NOT NULL,
    title_en      TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL DEFAULT '',
    path1         TEXT NOT NULL DEFAULT '',
    path2         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX search_documents_ref ON search_documents (kind, ref_id);
CREATE INDEX search_documents_alliance ON search_documents (alliance_id, kind);

CREATE VIRTUAL TABLE search_index USING fts5 (
    title, text,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TRIGGER search_documents_insert AFTER INSERT ON search_documents BEGIN
    INSERT INTO search_index (rowid, title, text) VALUES (NEW.id, nb_stem(NEW.title), nb_stem(NEW.text));
END;

CREATE TRIGGER search_documents_delete AFTER DELETE ON search_documents BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id;
END;

CREATE VIEW search_source AS
SELECT 'case' AS kind, c.id AS ref_id, c.alliance_id,
    (SELECT m.body_id FROM agenda_items ai JOIN meetings m ON m.id = ai.meeting_id
        WHERE ai.case_id = c.id ORDER BY m.starts_at, m.id LIMIT 1) AS body_id,
    c.year,
    COALESCE((SELECT substr(MIN(m.starts_at), 1, 10) FROM agenda_items ai JOIN meetings m ON m.id = ai.meeting_id
        WHERE ai.case_id = c.id), c.year || '-01-01') AS day,
    NULL AS visible_from,
    c.title, '' AS title_en,
    trim(c.presentation || ' ' || c.proposed_decision) AS text,
    CAST(c.year AS TEXT) AS path1, CAST(c.number AS TEXT) AS path2
FROM cases c
UNION ALL
SELECT 'decision', c.id, c.alliance_id,
    (SELECT m.body_id FROM agenda_items ai JOIN meetings m ON m.id = ai.meeting_id
        WHERE ai.case_id = c.id ORDER BY m.starts_at DESC, m.id DESC LIMIT 1),
    c.year,
    COALESCE((SELECT substr(MAX(m.starts_at), 1, 10) FROM agenda_items ai JOIN meetings m ON m.id = ai.meeting_id
        WHERE ai.case_id = c.id), c.year || '-01-01'),
    NULL,
    c.title, '',
    trim(COALESCE((SELECT string_agg(ai.decision, ' ') FROM
        (SELECT ai.decision FROM agenda_items ai JOIN meetings m ON m.id = ai.meeting_id
            WHERE ai.case_id = c.id AND ai.decision <> '' ORDER BY m.starts_at, m.id) ai), '')
        || ' ' || c.decision),
    CAST(c.year AS TEXT), CAST(c.number AS TEXT)
FROM cases c
WHERE c.decision <> '' OR EXISTS (SELECT 1 FROM agenda_items ai WHERE ai.case_id = c.id AND ai.decision <> '')
UNION ALL
SELECT 'minutes', m.id, b.alliance_id, m.body_id, m.year, substr(m.starts_at, 1, 10), NULL,
    b.name_nb, b.name_en, m.minutes, CAST(m.id AS TEXT), ''
FROM meetings m JOIN bodies b ON b.id = m.body_id
WHERE m.status = 'published' AND m.minutes <> ''
UNION ALL
SELECT 'article', a.id, a.alliance_id, NULL, CAST(substr(a.publish_at, 1, 4) AS INTEGER), substr(a.publish_at, 1, 10), a.publish_at,
    a.title_nb, a.title_en, trim(a.summary_nb || ' ' || a.body_nb), a.id || '-' || a.slug, ''
FROM articles a
WHERE a.publish_at IS NOT NULL
UNION ALL
SELECT 'event', e.id, e.alliance_id, e.body_id,
    NULLIF(CAST(substr(COALESCE((SELECT MIN(d.day) FROM event_days d WHERE d.event_id = e.id), ''), 1, 4) AS INTEGER), 0),
    COALESCE((SELECT MIN(d.day) FROM event_days d WHERE d.event_id = e.id), ''), NULL,
    e.title_nb, e.title_en, trim(e.description_nb || ' ' || e.venue), e.slug, ''
FROM events e
WHERE e.published = 1
UNION ALL
SELECT 'measure', m.id, p.alliance_id, NULL, p.year, p.year || '-01-01', NULL,
    m.title, '',
    trim(m.intro || ' ' || m.responsible || ' ' ||
        COALESCE((SELECT string_agg(j.value, ' ') FROM json_each(m.content) j), '')),
    CAST(p.year AS TEXT), CAST(m.id AS TEXT)
FROM measures m JOIN programmes p ON p.id = m.programme_id
UNION ALL
SELECT 'project', p.id, p.alliance_id, NULL,
    CAST(substr(COALESCE(p.starts, p.created_at), 1, 4) AS INTEGER), substr(COALESCE(p.starts, p.created_at), 1, 10), NULL,
    p.name_nb, p.name_en, p.description_nb, p.slug, ''
FROM projects p
WHERE p.published = 1
UNION ALL
SELECT 'person', pe.id, b.alliance_id, b.id,
    NULLIF(CAST(substr(MAX(COALESCE(s.valid_from, s.attested_on, '')), 1, 4) AS INTEGER), 0), MAX(COALESCE(s.valid_from, s.attested_on, '')), NULL,
    pe.name, '',
    trim(pe.title || ' ' || (SELECT string_agg(r.role, ', ') FROM
        (SELECT DISTINCT CASE s2.role WHEN 'chair' THEN 'leder' WHEN 'deputy_chair' THEN 'nestleder' WHEN 'member' THEN 'medlem'
            WHEN 'deputy_member' THEN 'varamedlem' WHEN 'observer' THEN 'observatør' WHEN 'secretary' THEN 'sekretær'
            WHEN 'director' THEN 'daglig leder' WHEN 'staff' THEN 'rådgiver' ELSE s2.role END AS role FROM seats s2 WHERE s2.person_id = pe.id AND s2.body_id = b.id ORDER BY 1) r)
        || ' ' || b.name_nb),
    b.slug, ''
FROM people pe JOIN seats s ON s.person_id = pe.id JOIN bodies b ON b.id = s.body_id
GROUP BY pe.id, b.id;

-- Keep search_documents up to date in the transaction of each change.

CREATE TRIGGER search_cases_insert AFTER INSERT ON cases BEGIN
    DELETE FROM search_documents WHERE kind IN ('case', 'decision') AND ref_id IN (NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('case', 'decision') AND ref_id IN (NEW.id);
END;

CREATE TRIGGER search_cases_update AFTER UPDATE ON cases BEGIN
    DELETE FROM search_documents WHERE kind IN ('case', 'decision') AND ref_id IN (NEW.id, OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('case', 'decision') AND ref_id IN (NEW.id, OLD.id);
END;

CREATE TRIGGER search_cases_delete AFTER DELETE ON cases BEGIN
    DELETE FROM search_documents WHERE kind IN ('case', 'decision') AND ref_id IN (OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('case', 'decision') AND ref_id IN (OLD.id);
END;

CREATE TRIGGER search_agenda_items_insert AFTER INSERT ON agenda_items BEGIN
    DELETE FROM search_documents WHERE kind IN ('case', 'decision') AND ref_id IN (NEW.case_id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('case', 'decision') AND ref_id IN (NEW.case_id);
END;

CREATE TRIGGER search_agenda_items_update AFTER UPDATE ON agenda_items BEGIN
    DELETE FROM search_documents WHERE kind IN ('case', 'decision') AND ref_id IN (NEW.case_id, OLD.case_id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('case', 'decision') AND ref_id IN (NEW.case_id, OLD.case_id);
END;

CREATE TRIGGER search_agenda_items_delete AFTER DELETE ON agenda_items BEGIN
    DELETE FROM search_documents WHERE kind IN ('case', 'decision') AND ref_id IN (OLD.case_id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('case', 'decision') AND ref_id IN (OLD.case_id);
END;

CREATE TRIGGER search_meetings_insert AFTER INSERT ON meetings BEGIN
    DELETE FROM search_documents WHERE kind IN ('minutes') AND ref_id IN (NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('minutes') AND ref_id IN (NEW.id);
    DELETE FROM search_documents WHERE kind IN ('case', 'decision') AND ref_id IN (SELECT case_id FROM agenda_items WHERE meeting_id = NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('case', 'decision') AND ref_id IN (SELECT case_id FROM agenda_items WHERE meeting_id = NEW.id);
END;

CREATE TRIGGER search_meetings_update AFTER UPDATE ON meetings BEGIN
    DELETE FROM search_documents WHERE kind IN ('minutes') AND ref_id IN (NEW.id, OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('minutes') AND ref_id IN (NEW.id, OLD.id);
    DELETE FROM search_documents WHERE kind IN ('case', 'decision') AND ref_id IN (SELECT case_id FROM agenda_items WHERE meeting_id = NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('case', 'decision') AND ref_id IN (SELECT case_id FROM agenda_items WHERE meeting_id = NEW.id);
END;

CREATE TRIGGER search_meetings_delete AFTER DELETE ON meetings BEGIN
    DELETE FROM search_documents WHERE kind IN ('minutes') AND ref_id IN (OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('minutes') AND ref_id IN (OLD.id);
    DELETE FROM search_documents WHERE kind IN ('case', 'decision') AND ref_id IN (SELECT case_id FROM agenda_items WHERE meeting_id = OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('case', 'decision') AND ref_id IN (SELECT case_id FROM agenda_items WHERE meeting_id = OLD.id);
END;

CREATE TRIGGER search_articles_insert AFTER INSERT ON articles BEGIN
    DELETE FROM search_documents WHERE kind IN ('article') AND ref_id IN (NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('article') AND ref_id IN (NEW.id);
END;

CREATE TRIGGER search_articles_update AFTER UPDATE ON articles BEGIN
    DELETE FROM search_documents WHERE kind IN ('article') AND ref_id IN (NEW.id, OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('article') AND ref_id IN (NEW.id, OLD.id);
END;

CREATE TRIGGER search_articles_delete AFTER DELETE ON articles BEGIN
    DELETE FROM search_documents WHERE kind IN ('article') AND ref_id IN (OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('article') AND ref_id IN (OLD.id);
END;

CREATE TRIGGER search_events_insert AFTER INSERT ON events BEGIN
    DELETE FROM search_documents WHERE kind IN ('event') AND ref_id IN (NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('event') AND ref_id IN (NEW.id);
END;

CREATE TRIGGER search_events_update AFTER UPDATE ON events BEGIN
    DELETE FROM search_documents WHERE kind IN ('event') AND ref_id IN (NEW.id, OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('event') AND ref_id IN (NEW.id, OLD.id);
END;

CREATE TRIGGER search_events_delete AFTER DELETE ON events BEGIN
    DELETE FROM search_documents WHERE kind IN ('event') AND ref_id IN (OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('event') AND ref_id IN (OLD.id);
END;

CREATE TRIGGER search_event_days_insert AFTER INSERT ON event_days BEGIN
    DELETE FROM search_documents WHERE kind IN ('event') AND ref_id IN (NEW.event_id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('event') AND ref_id IN (NEW.event_id);
END;

CREATE TRIGGER search_event_days_update AFTER UPDATE ON event_days BEGIN
    DELETE FROM search_documents WHERE kind IN ('event') AND ref_id IN (NEW.event_id, OLD.event_id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('event') AND ref_id IN (NEW.event_id, OLD.event_id);
END;

CREATE TRIGGER search_event_days_delete AFTER DELETE ON event_days BEGIN
    DELETE FROM search_documents WHERE kind IN ('event') AND ref_id IN (OLD.event_id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('event') AND ref_id IN (OLD.event_id);
END;

CREATE TRIGGER search_measures_insert AFTER INSERT ON measures BEGIN
    DELETE FROM search_documents WHERE kind IN ('measure') AND ref_id IN (NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('measure') AND ref_id IN (NEW.id);
END;

CREATE TRIGGER search_measures_update AFTER UPDATE ON measures BEGIN
    DELETE FROM search_documents WHERE kind IN ('measure') AND ref_id IN (NEW.id, OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('measure') AND ref_id IN (NEW.id, OLD.id);
END;

CREATE TRIGGER search_measures_delete AFTER DELETE ON measures BEGIN
    DELETE FROM search_documents WHERE kind IN ('measure') AND ref_id IN (OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('measure') AND ref_id IN (OLD.id);
END;

CREATE TRIGGER search_projects_insert AFTER INSERT ON projects BEGIN
    DELETE FROM search_documents WHERE kind IN ('project') AND ref_id IN (NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('project') AND ref_id IN (NEW.id);
END;

CREATE TRIGGER search_projects_update AFTER UPDATE ON projects BEGIN
    DELETE FROM search_documents WHERE kind IN ('project') AND ref_id IN (NEW.id, OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('project') AND ref_id IN (NEW.id, OLD.id);
END;

CREATE TRIGGER search_projects_delete AFTER DELETE ON projects BEGIN
    DELETE FROM search_documents WHERE kind IN ('project') AND ref_id IN (OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('project') AND ref_id IN (OLD.id);
END;

CREATE TRIGGER search_people_insert AFTER INSERT ON people BEGIN
    DELETE FROM search_documents WHERE kind IN ('person') AND ref_id IN (NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('person') AND ref_id IN (NEW.id);
END;

CREATE TRIGGER search_people_update AFTER UPDATE ON people BEGIN
    DELETE FROM search_documents WHERE kind IN ('person') AND ref_id IN (NEW.id, OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('person') AND ref_id IN (NEW.id, OLD.id);
END;

CREATE TRIGGER search_people_delete AFTER DELETE ON people BEGIN
    DELETE FROM search_documents WHERE kind IN ('person') AND ref_id IN (OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('person') AND ref_id IN (OLD.id);
END;

CREATE TRIGGER search_seats_insert AFTER INSERT ON seats BEGIN
    DELETE FROM search_documents WHERE kind IN ('person') AND ref_id IN (NEW.person_id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('person') AND ref_id IN (NEW.person_id);
END;

CREATE TRIGGER search_seats_update AFTER UPDATE ON seats BEGIN
    DELETE FROM search_documents WHERE kind IN ('person') AND ref_id IN (NEW.person_id, OLD.person_id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('person') AND ref_id IN (NEW.person_id, OLD.person_id);
END;

CREATE TRIGGER search_seats_delete AFTER DELETE ON seats BEGIN
    DELETE FROM search_documents WHERE kind IN ('person') AND ref_id IN (OLD.person_id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('person') AND ref_id IN (OLD.person_id);
END;

CREATE TRIGGER search_bodies_insert AFTER INSERT ON bodies BEGIN
    DELETE FROM search_documents WHERE kind IN ('minutes') AND ref_id IN (SELECT id FROM meetings WHERE body_id = NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('minutes') AND ref_id IN (SELECT id FROM meetings WHERE body_id = NEW.id);
    DELETE FROM search_documents WHERE kind IN ('person') AND ref_id IN (SELECT person_id FROM seats WHERE body_id = NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('person') AND ref_id IN (SELECT person_id FROM seats WHERE body_id = NEW.id);
END;

CREATE TRIGGER search_bodies_update AFTER UPDATE ON bodies BEGIN
    DELETE FROM search_documents WHERE kind IN ('minutes') AND ref_id IN (SELECT id FROM meetings WHERE body_id = NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('minutes') AND ref_id IN (SELECT id FROM meetings WHERE body_id = NEW.id);
    DELETE FROM search_documents WHERE kind IN ('person') AND ref_id IN (SELECT person_id FROM seats WHERE body_id = NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('person') AND ref_id IN (SELECT person_id FROM seats WHERE body_id = NEW.id);
END;

CREATE TRIGGER search_bodies_delete AFTER DELETE ON bodies BEGIN
    DELETE FROM search_documents WHERE kind IN ('minutes') AND ref_id IN (SELECT id FROM meetings WHERE body_id = OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('minutes') AND ref_id IN (SELECT id FROM meetings WHERE body_id = OLD.id);
    DELETE FROM search_documents WHERE kind IN ('person') AND ref_id IN (SELECT person_id FROM seats WHERE body_id = OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('person') AND ref_id IN (SELECT person_id FROM seats WHERE body_id = OLD.id);
END;

-- What is already there.
INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
    SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source;
