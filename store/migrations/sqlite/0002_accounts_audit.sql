-- Accounts, roles per alliance, sessions, login throttling and the audit log.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL DEFAULT '',
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE grants (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    alliance_id  INTEGER NOT NULL REFERENCES alliances (id) ON DELETE CASCADE,
    role         TEXT NOT NULL,
    PRIMARY KEY (user_id, alliance_id)
);

CREATE TABLE sessions (
    token_digest  TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_attempts (
    key           TEXT PRIMARY KEY,
    window_start  TEXT NOT NULL,
    failures      INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    user_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor        TEXT NOT NULL,
    alliance_id  INTEGER REFERENCES alliances (id) ON DELETE SET NULL,
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL DEFAULT '',
    before_json  TEXT NOT NULL DEFAULT '',
    after_json   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_alliance ON audit_log (alliance_id, id);
