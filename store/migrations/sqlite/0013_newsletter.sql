-- Newsletters: an alliance's lists (its newsletter and any topic lists),
-- subscribers with double opt-in (pending until they confirm by the link
-- in the e-mail; deleted when they leave every list), and issues composed
-- of free text and news articles. Delivery is in the outbox (kind
-- 'newsletter_issue', ref_id the issue).
CREATE TABLE newsletter_lists (
    id              INTEGER PRIMARY KEY,
    alliance_id     INTEGER NOT NULL REFERENCES alliances (id),
    slug            TEXT NOT NULL,
    name_nb         TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    description_nb  TEXT NOT NULL DEFAULT '',
    description_en  TEXT NOT NULL DEFAULT '',
    UNIQUE (alliance_id, slug)
);

CREATE TABLE subscribers (
    id                INTEGER PRIMARY KEY,
    alliance_id       INTEGER NOT NULL REFERENCES alliances (id),
    email             TEXT NOT NULL,
    name              TEXT NOT NULL DEFAULT '',
    lang              TEXT NOT NULL DEFAULT 'nb',
    status            TEXT NOT NULL,
    consent           TEXT NOT NULL,
    signed_up_at      TEXT NOT NULL,
    confirmed_at      TEXT,
    confirm_sent_at   TEXT,
    UNIQUE (alliance_id, email)
);

CREATE TABLE subscriptions (
    subscriber_id  INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    list_id        INTEGER NOT NULL REFERENCES newsletter_lists (id),
    PRIMARY KEY (subscriber_id, list_id)
);
CREATE INDEX subscriptions_list ON subscriptions (list_id);

CREATE TABLE newsletter_issues (
    id           INTEGER PRIMARY KEY,
    alliance_id  INTEGER NOT NULL REFERENCES alliances (id),
    list_id      INTEGER NOT NULL REFERENCES newsletter_lists (id),
    subject      TEXT NOT NULL,
    intro        TEXT NOT NULL DEFAULT '',
    outro        TEXT NOT NULL DEFAULT '',
    articles     TEXT NOT NULL DEFAULT '[]',
    status       TEXT NOT NULL DEFAULT 'draft',
    created_at   TEXT NOT NULL,
    sent_at      TEXT,
    sent_by      TEXT NOT NULL DEFAULT '',
    recipients   INTEGER NOT NULL DEFAULT 0
);
