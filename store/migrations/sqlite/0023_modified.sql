-- When each public object was created and last changed, for the open-data
-- API's created/modified fields and its created_since/modified_since filters.
-- Set by triggers, so every write path keeps them without knowing of them; a
-- row written with explicit times (an import) keeps its own. Rows that
-- existed before get the time of this migration.

ALTER TABLE alliances ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE alliances ADD COLUMN modified_at TEXT NOT NULL DEFAULT '';
UPDATE alliances SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
CREATE TRIGGER alliances_created AFTER INSERT ON alliances WHEN NEW.created_at = '' BEGIN
    UPDATE alliances SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER alliances_modified AFTER UPDATE ON alliances WHEN NEW.modified_at = OLD.modified_at BEGIN
    UPDATE alliances SET modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;

ALTER TABLE bodies ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN modified_at TEXT NOT NULL DEFAULT '';
UPDATE bodies SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
CREATE TRIGGER bodies_created AFTER INSERT ON bodies WHEN NEW.created_at = '' BEGIN
    UPDATE bodies SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER bodies_modified AFTER UPDATE ON bodies WHEN NEW.modified_at = OLD.modified_at BEGIN
    UPDATE bodies SET modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;

ALTER TABLE people ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN modified_at TEXT NOT NULL DEFAULT '';
UPDATE people SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
CREATE TRIGGER people_created AFTER INSERT ON people WHEN NEW.created_at = '' BEGIN
    UPDATE people SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER people_modified AFTER UPDATE ON people WHEN NEW.modified_at = OLD.modified_at BEGIN
    UPDATE people SET modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;

ALTER TABLE seats ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE seats ADD COLUMN modified_at TEXT NOT NULL DEFAULT '';
UPDATE seats SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
CREATE TRIGGER seats_created AFTER INSERT ON seats WHEN NEW.created_at = '' BEGIN
    UPDATE seats SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER seats_modified AFTER UPDATE ON seats WHEN NEW.modified_at = OLD.modified_at BEGIN
    UPDATE seats SET modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;

ALTER TABLE meetings ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN modified_at TEXT NOT NULL DEFAULT '';
UPDATE meetings SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
CREATE TRIGGER meetings_created AFTER INSERT ON meetings WHEN NEW.created_at = '' BEGIN
    UPDATE meetings SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER meetings_modified AFTER UPDATE ON meetings WHEN NEW.modified_at = OLD.modified_at BEGIN
    UPDATE meetings SET modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;

ALTER TABLE cases ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN modified_at TEXT NOT NULL DEFAULT '';
UPDATE cases SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
CREATE TRIGGER cases_created AFTER INSERT ON cases WHEN NEW.created_at = '' BEGIN
    UPDATE cases SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER cases_modified AFTER UPDATE ON cases WHEN NEW.modified_at = OLD.modified_at BEGIN
    UPDATE cases SET modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;

ALTER TABLE agenda_items ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE agenda_items ADD COLUMN modified_at TEXT NOT NULL DEFAULT '';
UPDATE agenda_items SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
CREATE TRIGGER agenda_items_created AFTER INSERT ON agenda_items WHEN NEW.created_at = '' BEGIN
    UPDATE agenda_items SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE meeting_id = NEW.meeting_id AND case_id = NEW.case_id;
END;
CREATE TRIGGER agenda_items_modified AFTER UPDATE ON agenda_items WHEN NEW.modified_at = OLD.modified_at BEGIN
    UPDATE agenda_items SET modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE meeting_id = NEW.meeting_id AND case_id = NEW.case_id;
END;

-- The open-data API lists an alliance's documents by id.
CREATE INDEX documents_alliance ON documents (alliance_id, id);
