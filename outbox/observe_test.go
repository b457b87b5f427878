package outbox_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/samrad/samrad/internal/smtptest"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/outbox"
	"github.com/samrad/samrad/store"
)

func TestObserveIsToldEachOutcome(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := smtptest.Start(t, smtptest.WithFailures(func(rcpt string) (int, string) {
			switch rcpt {
			case "n1@example.no":
				return 451, "try again later"
			case "n2@example.no":
				return 550, "no such user"
			}
			return 0, ""
		}))
		queue(t, db, "reminder", 4)
		var mu sync.Mutex
		seen := map[outbox.Outcome]int{}
		clock := time.Now().UTC().Add(time.Minute)
		s := sender(db, srv)
		s.MaxAttempts = 2
		s.Now = func() time.Time { return clock }
		s.Observe = func(kind string, o outbox.Outcome) {
			mu.Lock()
			defer mu.Unlock()
			if kind != "reminder" {
				t.Errorf("kind %q", kind)
			}
			seen[o]++
		}
		if _, err := s.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if want := map[outbox.Outcome]int{outbox.Sent: 2, outbox.Retried: 1, outbox.Failed: 1}; !equal(seen, want) {
			t.Fatalf("after the first round %v, want %v", seen, want)
		}
		clock = clock.Add(time.Hour) // the retry is due; it is the last attempt
		if _, err := s.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if want := map[outbox.Outcome]int{outbox.Sent: 2, outbox.Retried: 1, outbox.Failed: 2}; !equal(seen, want) {
			t.Fatalf("after the retry %v, want %v", seen, want)
		}
	})
}

func equal(a, b map[outbox.Outcome]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
