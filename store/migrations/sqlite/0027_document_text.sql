-- The text of uploaded documents in the search. Each document keeps the
-- text read from its file (a PDF's text, a text file as it is), written in
-- the transaction that stores it; search_source is the view of 0026 with one
-- more kind, 'document': the documents a visitor may see (those of cases,
-- and of meetings whose notice has been sent, as the documents page shows
-- them), by title and text. An exempt document is found by its title only:
-- its content is never indexed. The triggers below keep the documents of a
-- meeting or a case when the meeting's status or the case's number change.

ALTER TABLE documents ADD COLUMN text TEXT NOT NULL DEFAULT '';

DROP VIEW search_source;
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
GROUP BY pe.id, b.id
UNION ALL
SELECT 'programme', p.id, p.alliance_id, NULL, p.year, p.year || '-01-01', NULL,
    p.title, '', p.economy, CAST(p.year AS TEXT), ''
FROM programmes p
WHERE p.economy <> ''
UNION ALL
SELECT 'document', d.id, d.alliance_id, m.body_id,
    COALESCE(m.year, c.year), COALESCE(substr(m.starts_at, 1, 10), c.year || '-01-01'), NULL,
    d.title, '', CASE WHEN d.exempt THEN '' ELSE d.text END,
    CASE WHEN m.id IS NOT NULL THEN CAST(m.id AS TEXT) ELSE CAST(c.year AS TEXT) END,
    CASE WHEN m.id IS NOT NULL THEN '' ELSE CAST(c.number AS TEXT) END
FROM documents d
LEFT JOIN meetings m ON m.id = d.meeting_id
LEFT JOIN cases c ON c.id = d.case_id
WHERE (d.meeting_id IS NULL OR m.status <> 'planned') AND (m.id IS NOT NULL OR c.id IS NOT NULL);

-- Fired only by the columns the view reads (see 0024).
CREATE TRIGGER search_document_rows_insert AFTER INSERT ON documents BEGIN
    DELETE FROM search_documents WHERE kind IN ('document') AND ref_id IN (NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('document') AND ref_id IN (NEW.id);
END;

CREATE TRIGGER search_document_rows_update AFTER UPDATE OF id, alliance_id, meeting_id, case_id, title, exempt, text ON documents BEGIN
    DELETE FROM search_documents WHERE kind IN ('document') AND ref_id IN (NEW.id, OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('document') AND ref_id IN (NEW.id, OLD.id);
END;

CREATE TRIGGER search_document_rows_delete AFTER DELETE ON documents BEGIN
    DELETE FROM search_documents WHERE kind IN ('document') AND ref_id IN (OLD.id);
END;

CREATE TRIGGER search_meetings_documents_update AFTER UPDATE OF id, body_id, year, starts_at, status ON meetings BEGIN
    DELETE FROM search_documents WHERE kind IN ('document') AND ref_id IN (SELECT id FROM documents WHERE meeting_id IN (NEW.id, OLD.id));
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('document') AND ref_id IN (SELECT id FROM documents WHERE meeting_id IN (NEW.id, OLD.id));
END;

CREATE TRIGGER search_cases_documents_update AFTER UPDATE OF id, year, number ON cases BEGIN
    DELETE FROM search_documents WHERE kind IN ('document') AND ref_id IN (SELECT id FROM documents WHERE case_id IN (NEW.id, OLD.id));
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('document') AND ref_id IN (SELECT id FROM documents WHERE case_id IN (NEW.id, OLD.id));
END;

-- What is already there (by title: the text is filled by `samrad search reindex`).
INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
    SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind = 'document';
