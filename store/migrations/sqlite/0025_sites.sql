-- Each alliance's public website: the host name it answers on, its logo,
-- colours and footer. One row per alliance that has changed the defaults.
CREATE TABLE sites (
    alliance_id INTEGER PRIMARY KEY REFERENCES alliances(id) ON DELETE CASCADE,
    host        TEXT NOT NULL DEFAULT '',
    colour      TEXT NOT NULL DEFAULT '',
    link_colour TEXT NOT NULL DEFAULT '',
    footer_nb   TEXT NOT NULL DEFAULT '',
    footer_en   TEXT NOT NULL DEFAULT '',
    logo        BLOB,
    logo_type   TEXT NOT NULL DEFAULT '',
    logo_hash   TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX sites_host ON sites(host) WHERE host <> '';
