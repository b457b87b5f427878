package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// TestVersionTime checks that the data version tells when the data last
// changed (pages send it as Last-Modified), on both engines.
func TestVersionTime(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		before := time.Now().Truncate(time.Second)
		o := samrad.Organisation{Kind: samrad.KindOther, Code: "vt1", NameNB: "Versjonstid", NameEN: "Version time"}
		if err := db.CreateOrganisation(ctx, &o); err != nil {
			t.Fatal(err)
		}
		after := time.Now()
		v, err := db.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		at := store.VersionTime(v)
		if at.Before(before) || at.After(after) {
			t.Errorf("VersionTime(%q) = %v, want between %v and %v", v, at, before, after)
		}
		if got := store.VersionTime(""); !got.IsZero() {
			t.Errorf("VersionTime of no version = %v, want the zero time", got)
		}
		if got := store.VersionTime("not a stamp"); !got.IsZero() {
			t.Errorf("VersionTime of a malformed version = %v, want the zero time", got)
		}
	})
}
