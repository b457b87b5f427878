-- When each public object was created and last changed, for the open-data
-- API's created/modified fields and its created_since/modified_since filters.
-- Set by triggers, so every write path keeps them without knowing of them; a
-- row written with explicit times (an import) keeps its own. Rows that
-- existed before get the time of this migration.

CREATE FUNCTION samrad_now_text() RETURNS TEXT LANGUAGE sql STABLE AS
$$ SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;

CREATE FUNCTION samrad_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.modified_at = OLD.modified_at THEN
        NEW.modified_at := samrad_now_text();
    END IF;
    RETURN NEW;
END $$;

ALTER TABLE alliances ADD COLUMN created_at TEXT NOT NULL DEFAULT samrad_now_text(),
    ADD COLUMN modified_at TEXT NOT NULL DEFAULT samrad_now_text();
CREATE TRIGGER alliances_modified BEFORE UPDATE ON alliances FOR EACH ROW EXECUTE FUNCTION samrad_touch();

ALTER TABLE bodies ADD COLUMN created_at TEXT NOT NULL DEFAULT samrad_now_text(),
    ADD COLUMN modified_at TEXT NOT NULL DEFAULT samrad_now_text();
CREATE TRIGGER bodies_modified BEFORE UPDATE ON bodies FOR EACH ROW EXECUTE FUNCTION samrad_touch();

ALTER TABLE people ADD COLUMN created_at TEXT NOT NULL DEFAULT samrad_now_text(),
    ADD COLUMN modified_at TEXT NOT NULL DEFAULT samrad_now_text();
CREATE TRIGGER people_modified BEFORE UPDATE ON people FOR EACH ROW EXECUTE FUNCTION samrad_touch();

ALTER TABLE seats ADD COLUMN created_at TEXT NOT NULL DEFAULT samrad_now_text(),
    ADD COLUMN modified_at TEXT NOT NULL DEFAULT samrad_now_text();
CREATE TRIGGER seats_modified BEFORE UPDATE ON seats FOR EACH ROW EXECUTE FUNCTION samrad_touch();

ALTER TABLE meetings ADD COLUMN created_at TEXT NOT NULL DEFAULT samrad_now_text(),
    ADD COLUMN modified_at TEXT NOT NULL DEFAULT samrad_now_text();
CREATE TRIGGER meetings_modified BEFORE UPDATE ON meetings FOR EACH ROW EXECUTE FUNCTION samrad_touch();

ALTER TABLE cases ADD COLUMN created_at TEXT NOT NULL DEFAULT samrad_now_text(),
    ADD COLUMN modified_at TEXT NOT NULL DEFAULT samrad_now_text();
CREATE TRIGGER cases_modified BEFORE UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION samrad_touch();

ALTER TABLE agenda_items ADD COLUMN created_at TEXT NOT NULL DEFAULT samrad_now_text(),
    ADD COLUMN modified_at TEXT NOT NULL DEFAULT samrad_now_text();
CREATE TRIGGER agenda_items_modified BEFORE UPDATE ON agenda_items FOR EACH ROW EXECUTE FUNCTION samrad_touch();

-- The open-data API lists an alliance's documents by id.
CREATE INDEX documents_alliance ON documents (alliance_id, id);
