package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/pdftext"
	"github.com/samrad/samrad/store"
)

// cmdSearch searches from the command line, or rebuilds the search index.
func cmdSearch(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && args[0] == "reindex" {
		f := newFlags(e, "search reindex")
		if _, err := f.parse(args[1:]); err != nil {
			return err
		}
		db, err := f.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		filled, failed, err := fillDocumentText(ctx, e, db)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "text read from %d documents (%d could not be read)\n", filled, failed)
		n, err := db.Reindex(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%d documents indexed\n", n)
		return nil
	}
	f := newFlags(e, "search")
	alliance := f.String("alliance", "", "only this alliance (slug)")
	kind := f.String("kind", "", "only this kind: "+strings.Join(samrad.DocKinds, ", "))
	words, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(words) == 0 {
		return fmt.Errorf("search: expected words to search for, or search reindex")
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	q := samrad.SearchQuery{Text: strings.Join(words, " "), PerPage: samrad.MaxSearchPerPage}
	if *kind != "" {
		q.Kinds = []string{*kind}
	}
	if *alliance != "" {
		a, err := db.AllianceBySlug(ctx, *alliance)
		if err != nil {
			return err
		}
		q.AllianceID = a.ID
	}
	res, err := db.Search(ctx, q)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d found\n", res.Total)
	for _, h := range res.Hits {
		fmt.Fprintf(e.stdout, "%-8s %-14s %-10s %s\n", h.Kind, h.AllianceSlug, h.Day, h.TitleNB)
	}
	return nil
}

// fillDocumentText reads the text of the documents stored without it (PDF
// and text files), one at a time, each stored in its own transaction. A
// file whose text cannot be read is named on standard error and left as it
// is.
func fillDocumentText(ctx context.Context, e env, db *store.DB) (filled, failed int, err error) {
	var after int64
	for {
		docs, err := db.DocumentsWithoutText(ctx, after, 100)
		if err != nil || len(docs) == 0 {
			return filled, failed, err
		}
		for _, d := range docs {
			after = d.ID
			_, data, err := db.DocumentFile(ctx, d.ID)
			if err != nil {
				return filled, failed, err
			}
			text, err := pdftext.FromFile(d.ContentType, data, samrad.MaxDocumentText)
			if err != nil {
				failed++
				fmt.Fprintf(e.stderr, "document %d (%s): %v\n", d.ID, d.Filename, err)
				continue
			}
			if text == "" {
				continue
			}
			if err := db.SetDocumentText(ctx, d.ID, text); err != nil {
				return filled, failed, err
			}
			filled++
		}
	}
}
