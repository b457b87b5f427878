package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

func message(kind string) func(samrad.Subscriber) (store.OutboxMessage, error) {
	return func(s samrad.Subscriber) (store.OutboxMessage, error) {
		return store.OutboxMessage{Kind: kind, From: "post@example.no", To: s.Email, Data: []byte("Subject: " + string(s.Status) + "\r\n\r\nHei\r\n")}, nil
	}
}

func newsletterList(t *testing.T, db *store.DB, a samrad.Alliance, slug string) samrad.NewsletterList {
	t.Helper()
	l := samrad.NewsletterList{AllianceID: a.ID, Slug: slug, NameNB: "Nyhetsbrev " + slug}
	if err := db.CreateList(context.Background(), &l); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestDoubleOptIn(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		main, topic := newsletterList(t, db, a, "nyhetsbrev"), newsletterList(t, db, a, "eu-programmer")
		if err := db.CreateList(ctx, &samrad.NewsletterList{AllianceID: a.ID, Slug: "nyhetsbrev", NameNB: "Igjen"}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Fatalf("duplicate list: %v", err)
		}
		s := samrad.Subscriber{AllianceID: a.ID, Email: " Kari@Example.NO ", Name: "Kari", Lists: []int64{main.ID, topic.ID}, Consent: "Vi lagrer adressen din."}
		if err := db.Subscribe(ctx, &s, message("newsletter_confirm")); err != nil {
			t.Fatal(err)
		}
		if s.Email != "kari@example.no" || s.Status != samrad.SubscriberPending || s.ID == 0 {
			t.Fatalf("subscriber %+v", s)
		}
		c, _ := db.CountOutbox(ctx, "newsletter_confirm", s.ID)
		if c.Queued != 1 {
			t.Fatalf("confirmation not queued: %+v", c)
		}
		// Signing up again at once sends nothing more (no flooding), and
		// changes nothing.
		again := samrad.Subscriber{AllianceID: a.ID, Email: "kari@example.no", Lists: []int64{topic.ID}, Consent: "x"}
		if err := db.Subscribe(ctx, &again, message("newsletter_confirm")); err != nil {
			t.Fatal(err)
		}
		if c, _ := db.CountOutbox(ctx, "newsletter_confirm", s.ID); c.Queued != 1 {
			t.Fatalf("second sign-up queued another e-mail: %+v", c)
		}
		// Pending subscribers get no issue.
		lists, _ := db.Lists(ctx, a.ID)
		if lists[0].Subscribers != 0 {
			t.Fatalf("pending subscriber counted: %+v", lists[0])
		}
		if err := db.ConfirmSubscriber(ctx, a.ID, s.ID); err != nil {
			t.Fatal(err)
		}
		got, err := db.Subscriber(ctx, a.ID, s.ID)
		if err != nil || got.Status != samrad.SubscriberConfirmed || got.ConfirmedAt.IsZero() || fmt.Sprint(got.Lists) != fmt.Sprint([]int64{main.ID, topic.ID}) {
			t.Fatalf("after confirming: %+v, %v", got, err)
		}
		// Another alliance cannot confirm or read it.
		other := newAlliance(t, db, "vestregionen")
		if _, err := db.Subscriber(ctx, other.ID, s.ID); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Fatalf("other alliance reads subscriber: %v", err)
		}
		if err := db.SetPreferences(ctx, a.ID, s.ID, []int64{newsletterList(t, db, other, "x").ID}, "en"); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Fatalf("list of another alliance: %v", err)
		}
		// One list off, then the other: the subscriber is gone.
		if err := db.Unsubscribe(ctx, a.ID, s.ID, topic.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Subscriber(ctx, a.ID, s.ID); fmt.Sprint(got.Lists) != fmt.Sprint([]int64{main.ID}) {
			t.Fatalf("after leaving the topic: %v", got.Lists)
		}
		if err := db.Unsubscribe(ctx, a.ID, s.ID, main.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Subscriber(ctx, a.ID, s.ID); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Fatalf("subscriber kept after leaving every list: %v", err)
		}
		if err := db.Unsubscribe(ctx, a.ID, s.ID, 0); err != nil {
			t.Fatalf("unsubscribing twice: %v", err)
		}
	})
}

func TestSubscribeRefusesBadInput(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		l := newsletterList(t, db, a, "nyhetsbrev")
		for _, s := range []samrad.Subscriber{
			{Email: "ikke-en-adresse", Lists: []int64{l.ID}, Consent: "c"},
			{Email: "kari@example.no\r\nBcc: alle@example.no", Lists: []int64{l.ID}, Consent: "c"},
			{Email: "kari@example.no", Name: "Kari\r\nBcc: alle@example.no", Lists: []int64{l.ID}, Consent: "c"},
			{Email: "kåri@example.no", Lists: []int64{l.ID}, Consent: "c"},
			{Email: "kari@localhost", Lists: []int64{l.ID}, Consent: "c"},
			{Email: "kari@example.no", Consent: "c"},
			{Email: "kari@example.no", Lists: []int64{l.ID}},
			{Email: "kari@example.no", Lists: []int64{l.ID + 100}, Consent: "c"},
		} {
			s.AllianceID = a.ID
			if err := db.Subscribe(ctx, &s, message("newsletter_confirm")); samrad.ErrorCode(err) != samrad.EINVALID {
				t.Errorf("%q/%q: %v", s.Email, s.Name, err)
			}
		}
		if subs, _ := db.Subscribers(ctx, a.ID); len(subs) != 0 {
			t.Fatalf("stored %d subscribers", len(subs))
		}
		if n, _ := db.NextOutbox(ctx); !n.IsZero() {
			t.Fatal("a message was queued")
		}
	})
}

func TestSendIssueQueuesEveryConfirmedSubscriberOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		main, topic := newsletterList(t, db, a, "nyhetsbrev"), newsletterList(t, db, a, "eu")
		for i := range 12 {
			s := samrad.Subscriber{AllianceID: a.ID, Email: fmt.Sprintf("s%d@example.no", i), Lists: []int64{main.ID}, Consent: "c"}
			if i%4 == 3 {
				s.Lists = []int64{topic.ID}
			}
			if err := db.Subscribe(ctx, &s, message("newsletter_confirm")); err != nil {
				t.Fatal(err)
			}
			if i%3 != 2 { // every third never confirms
				if err := db.ConfirmSubscriber(ctx, a.ID, s.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		issue := samrad.NewsletterIssue{AllianceID: a.ID, ListID: main.ID, Subject: "Nytt fra Brussel", Intro: "Hei alle."}
		if err := db.SaveIssue(ctx, &issue); err != nil {
			t.Fatal(err)
		}
		// Main list: i%4 != 3 → 9 subscribers; of those i%3 == 2 (2, 5, 8) are pending: 6 confirmed.
		var wg sync.WaitGroup
		results := make([]error, 2)
		counts := make([]int, 2)
		for k := range 2 {
			wg.Go(func() { counts[k], results[k] = db.SendIssue(ctx, a.ID, issue.ID, message("newsletter_issue")) })
		}
		wg.Wait()
		conflicts := 0
		for k, err := range results {
			switch {
			case err == nil && counts[k] == 6:
			case samrad.ErrorCode(err) == samrad.ECONFLICT:
				conflicts++
			default:
				t.Fatalf("send %d: %d, %v", k, counts[k], err)
			}
		}
		if conflicts != 1 {
			t.Fatalf("two sends of one issue: %v", results)
		}
		c, _ := db.CountOutbox(ctx, "newsletter_issue", issue.ID)
		if c.Queued != 6 {
			t.Fatalf("queued %+v, want 6", c)
		}
		got, _ := db.Issue(ctx, a.ID, issue.ID)
		if got.Status != samrad.IssueSent || got.Recipients != 6 || got.Sent.IsZero() {
			t.Fatalf("issue after sending: %+v", got)
		}
		issue.Subject = "Endret"
		if err := db.SaveIssue(ctx, &issue); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Fatalf("editing a sent issue: %v", err)
		}
		log, err := db.OutboxLog(ctx, a.ID, "newsletter_issue", issue.ID, 100)
		if err != nil || len(log) != 6 || log[0].Status != store.OutboxQueued {
			t.Fatalf("send log %+v, %v", log, err)
		}
		// An empty issue is refused.
		if err := db.SaveIssue(ctx, &samrad.NewsletterIssue{AllianceID: a.ID, ListID: main.ID, Subject: "Tomt"}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Fatalf("empty issue: %v", err)
		}
	})
}

func TestPurgeUnconfirmed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		l := newsletterList(t, db, a, "nyhetsbrev")
		var ids []int64
		for i := range 3 {
			s := samrad.Subscriber{AllianceID: a.ID, Email: fmt.Sprintf("p%d@example.no", i), Lists: []int64{l.ID}, Consent: "c"}
			if err := db.Subscribe(ctx, &s, message("newsletter_confirm")); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, s.ID)
		}
		db.ConfirmSubscriber(ctx, a.ID, ids[0])
		if n, err := db.PurgeUnconfirmed(ctx, time.Now().Add(-time.Hour)); n != 0 || err != nil {
			t.Fatalf("purged fresh sign-ups: %d, %v", n, err)
		}
		if n, err := db.PurgeUnconfirmed(ctx, time.Now().Add(time.Minute)); n != 2 || err != nil {
			t.Fatalf("purged %d, %v; want the 2 unconfirmed", n, err)
		}
		subs, _ := db.Subscribers(ctx, a.ID)
		if len(subs) != 1 || subs[0].ID != ids[0] {
			t.Fatalf("left %+v", subs)
		}
	})
}
