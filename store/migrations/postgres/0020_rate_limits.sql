-- Requests counted per action (bucket) and client (key) in fixed windows,
-- shared by every instance on the database (DB.Allow). window_start is in
-- Unix seconds, a multiple of the window; a row still counts as the previous
-- window until expires_at, after which it is purged.
CREATE TABLE rate_limits (
    bucket        TEXT NOT NULL,
    key           TEXT NOT NULL,
    window_start  BIGINT NOT NULL,
    hits          BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    PRIMARY KEY (bucket, key, window_start)
);

CREATE INDEX rate_limits_expiry ON rate_limits (expires_at);
