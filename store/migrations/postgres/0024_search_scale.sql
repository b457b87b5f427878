-- Search at scale (see docs/PERFORMANCE.md, "Search").
--
-- The filters of a search (kind, year, alliance, body) become lexemes of the
-- tsvector ('k:case', 'y:2017', 'a:3', 'b:0'; no text can make a lexeme with
-- a colon), so that a filtered search is an intersection in the GIN index.
-- Rows keep only their short columns in the table itself: the text and the
-- tsvector are moved out of line, so that reading the matches of a common
-- word visits a few thousand small pages, not the whole text.

ALTER TABLE search_documents DROP COLUMN tsv;
ALTER TABLE search_documents SET (toast_tuple_target = 128);
ALTER TABLE search_documents ADD COLUMN tsv TSVECTOR GENERATED ALWAYS AS (
    setweight(to_tsvector('norwegian', search_words(title)), 'A') ||
    setweight(to_tsvector('norwegian', search_words(text)), 'B') ||
    array_to_tsvector(ARRAY['k:' || kind, 'y:' || COALESCE(year, 0)::text,
        'a:' || alliance_id::text, 'b:' || COALESCE(body_id, 0)::text])) STORED;
CREATE INDEX search_documents_tsv ON search_documents USING GIN (tsv);

-- The years offered when a search finds too many documents to count them.
CREATE INDEX search_documents_year ON search_documents (year);
