-- An action programme's chapter on its economic framework (the fee decided
-- for the year, the income frame, what is left for projects, funds carried
-- over), and that text in the search: search_source is the view of 0022
-- with one more kind, 'programme', whose documents the triggers below keep.

ALTER TABLE programmes ADD COLUMN economy TEXT NOT NULL DEFAULT '';

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
WHERE p.economy <> '';

CREATE TRIGGER search_programmes_insert AFTER INSERT ON programmes BEGIN
    DELETE FROM search_documents WHERE kind IN ('programme') AND ref_id IN (NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('programme') AND ref_id IN (NEW.id);
END;

CREATE TRIGGER search_programmes_update AFTER UPDATE ON programmes BEGIN
    DELETE FROM search_documents WHERE kind IN ('programme') AND ref_id IN (NEW.id, OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('programme') AND ref_id IN (NEW.id, OLD.id);
END;

CREATE TRIGGER search_programmes_delete AFTER DELETE ON programmes BEGIN
    DELETE FROM search_documents WHERE kind IN ('programme') AND ref_id IN (OLD.id);
END;
