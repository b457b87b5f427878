-- Search at scale (see docs/PERFORMANCE.md, "Search").
--
-- The filters of a search (kind, year, alliance, body) become words of a
-- column of their own in the full-text index, so that a filtered search is
-- an intersection of the index's lists rather than a look-up of every match.
-- The user's words are searched in title and text only.

DROP TRIGGER search_documents_insert;
DROP TABLE search_index;

CREATE VIRTUAL TABLE search_index USING fts5 (
    title, text, facets,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TRIGGER search_documents_insert AFTER INSERT ON search_documents BEGIN
    INSERT INTO search_index (rowid, title, text, facets) VALUES (NEW.id, nb_stem(NEW.title), nb_stem(NEW.text),
        'k' || NEW.kind || ' y' || COALESCE(NEW.year, 0) || ' a' || NEW.alliance_id || ' b' || COALESCE(NEW.body_id, 0));
END;

INSERT INTO search_index (rowid, title, text, facets)
    SELECT id, nb_stem(title), nb_stem(text),
        'k' || kind || ' y' || COALESCE(year, 0) || ' a' || alliance_id || ' b' || COALESCE(body_id, 0)
    FROM search_documents;

-- The years offered when a search finds too many documents to count them.
CREATE INDEX search_documents_year ON search_documents (year);

-- The triggers of migration 0023 stamp modified_at with an UPDATE of their
-- own, which fired the search triggers a second time and wrote each changed
-- document into the index twice. The search triggers now fire only on an
-- UPDATE that sets a column the search_source view reads.

DROP TRIGGER search_cases_update;
CREATE TRIGGER search_cases_update AFTER UPDATE OF id, alliance_id, year, number, title, presentation, proposed_decision, decision ON cases BEGIN
    DELETE FROM search_documents WHERE kind IN ('case', 'decision') AND ref_id IN (NEW.id, OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('case', 'decision') AND ref_id IN (NEW.id, OLD.id);
END;

DROP TRIGGER search_agenda_items_update;
CREATE TRIGGER search_agenda_items_update AFTER UPDATE OF meeting_id, case_id, decision ON agenda_items BEGIN
    DELETE FROM search_documents WHERE kind IN ('case', 'decision') AND ref_id IN (NEW.case_id, OLD.case_id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('case', 'decision') AND ref_id IN (NEW.case_id, OLD.case_id);
END;

DROP TRIGGER search_meetings_update;
CREATE TRIGGER search_meetings_update AFTER UPDATE OF id, body_id, year, starts_at, status, minutes ON meetings BEGIN
    DELETE FROM search_documents WHERE kind IN ('minutes') AND ref_id IN (NEW.id, OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('minutes') AND ref_id IN (NEW.id, OLD.id);
    DELETE FROM search_documents WHERE kind IN ('case', 'decision') AND ref_id IN (SELECT case_id FROM agenda_items WHERE meeting_id = NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('case', 'decision') AND ref_id IN (SELECT case_id FROM agenda_items WHERE meeting_id = NEW.id);
END;

DROP TRIGGER search_people_update;
CREATE TRIGGER search_people_update AFTER UPDATE OF id, name, title ON people BEGIN
    DELETE FROM search_documents WHERE kind IN ('person') AND ref_id IN (NEW.id, OLD.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('person') AND ref_id IN (NEW.id, OLD.id);
END;

DROP TRIGGER search_seats_update;
CREATE TRIGGER search_seats_update AFTER UPDATE OF person_id, body_id, role, valid_from, attested_on ON seats BEGIN
    DELETE FROM search_documents WHERE kind IN ('person') AND ref_id IN (NEW.person_id, OLD.person_id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('person') AND ref_id IN (NEW.person_id, OLD.person_id);
END;

DROP TRIGGER search_bodies_update;
CREATE TRIGGER search_bodies_update AFTER UPDATE OF id, alliance_id, slug, name_nb, name_en ON bodies BEGIN
    DELETE FROM search_documents WHERE kind IN ('minutes') AND ref_id IN (SELECT id FROM meetings WHERE body_id = NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('minutes') AND ref_id IN (SELECT id FROM meetings WHERE body_id = NEW.id);
    DELETE FROM search_documents WHERE kind IN ('person') AND ref_id IN (SELECT person_id FROM seats WHERE body_id = NEW.id);
    INSERT INTO search_documents (kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2)
        SELECT kind, ref_id, alliance_id, body_id, year, day, visible_from, title, title_en, text, path1, path2 FROM search_source WHERE kind IN ('person') AND ref_id IN (SELECT person_id FROM seats WHERE body_id = NEW.id);
END;
