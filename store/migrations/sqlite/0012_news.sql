-- News articles of an alliance, their photos in several sizes, and the
-- contact block (contacts and offices) shown on the alliance's pages.
-- publish_at is NULL for a draft; an article is public from publish_at.
-- event_id has no foreign key here: it is added with the events.
CREATE TABLE articles (
    id          INTEGER PRIMARY KEY,
    alliance_id INTEGER NOT NULL REFERENCES alliances (id),
    slug        TEXT NOT NULL,
    title_nb    TEXT NOT NULL,
    title_en    TEXT NOT NULL DEFAULT '',
    summary_nb  TEXT NOT NULL DEFAULT '',
    summary_en  TEXT NOT NULL DEFAULT '',
    body_nb     TEXT NOT NULL DEFAULT '',
    body_en     TEXT NOT NULL DEFAULT '',
    author      TEXT NOT NULL DEFAULT '',
    publish_at  TEXT,
    event_id    INTEGER,
    meeting_id  INTEGER REFERENCES meetings (id),
    measure_id  INTEGER REFERENCES measures (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (alliance_id, slug)
);
CREATE INDEX articles_published ON articles (alliance_id, publish_at);

CREATE TABLE article_images (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    position    INTEGER NOT NULL,
    alt_nb      TEXT NOT NULL,
    alt_en      TEXT NOT NULL DEFAULT '',
    caption_nb  TEXT NOT NULL DEFAULT '',
    caption_en  TEXT NOT NULL DEFAULT '',
    credit      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX article_images_article ON article_images (article_id, position);

-- Each size of an image is a JPEG in files, found by its SHA-256.
CREATE TABLE image_variants (
    image_id  INTEGER NOT NULL REFERENCES article_images (id),
    width     INTEGER NOT NULL,
    height    INTEGER NOT NULL,
    sha256    TEXT NOT NULL REFERENCES files (sha256),
    PRIMARY KEY (image_id, width)
);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    alliance_id INTEGER NOT NULL REFERENCES alliances (id),
    position    INTEGER NOT NULL,
    person_id   INTEGER REFERENCES people (id),
    name        TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contacts_alliance ON contacts (alliance_id, position);

CREATE TABLE offices (
    id          INTEGER PRIMARY KEY,
    alliance_id INTEGER NOT NULL REFERENCES alliances (id),
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    lines       TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX offices_alliance ON offices (alliance_id, position);
