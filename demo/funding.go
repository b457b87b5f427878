package demo

import (
	"context"

	"github.com/samrad/samrad/store"
)

func loadFunding(ctx context.Context, db *store.DB, l *lookup) error { return nil }
