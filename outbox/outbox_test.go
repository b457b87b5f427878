package outbox_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samrad/samrad/internal/smtptest"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/mail"
	"github.com/samrad/samrad/outbox"
	"github.com/samrad/samrad/store"
)

// queue puts n messages to n0@example.no … in the outbox.
func queue(t testing.TB, db *store.DB, kind string, n int) {
	t.Helper()
	msgs := make([]store.OutboxMessage, n)
	for i := range msgs {
		to := fmt.Sprintf("n%d@example.no", i)
		m := &mail.Message{From: mail.Address{Name: "Sekretariatet", Email: "post@samrad.example.no"},
			To: []mail.Address{{Email: to}}, Subject: fmt.Sprintf("Melding %d", i), Text: "Hei.\n"}
		data, err := m.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		msgs[i] = store.OutboxMessage{Kind: kind, RefID: 1, From: "post@samrad.example.no", To: to, Data: data}
	}
	if err := db.Enqueue(context.Background(), msgs...); err != nil {
		t.Fatal(err)
	}
}

func sender(db *store.DB, srv *smtptest.Server) *outbox.Sender {
	return &outbox.Sender{DB: db, Transport: mail.NewSender(mail.SMTPConfig{Host: srv.Host(), Port: srv.Port(), Timeout: 10 * time.Second}), Poll: 20 * time.Millisecond}
}

// receivedOnce checks that the server got each of the n recipients exactly once.
func receivedOnce(t *testing.T, srv *smtptest.Server, n int) {
	t.Helper()
	seen := map[string]int{}
	for _, m := range srv.Messages() {
		for _, to := range m.To {
			seen[to]++
		}
	}
	for i := range n {
		to := fmt.Sprintf("n%d@example.no", i)
		if seen[to] != 1 {
			t.Errorf("%s received %d times", to, seen[to])
		}
		delete(seen, to)
	}
	for to, k := range seen {
		t.Errorf("unexpected recipient %s (%d times)", to, k)
	}
}

func TestDrainSendsEveryMessageOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := smtptest.Start(t)
		queue(t, db, "newsletter_issue", 30)
		n, err := sender(db, srv).Drain(ctx)
		if err != nil || n != 30 {
			t.Fatalf("Drain = %d, %v", n, err)
		}
		receivedOnce(t, srv, 30)
		c, err := db.CountOutbox(ctx, "newsletter_issue", 1)
		if err != nil || c != (store.OutboxCounts{Sent: 30}) {
			t.Fatalf("counts = %+v, %v", c, err)
		}
		// Nothing is sent twice: a second drain finds nothing due.
		if n, err := sender(db, srv).Drain(ctx); n != 0 || err != nil {
			t.Fatalf("second Drain = %d, %v", n, err)
		}
		if got := len(srv.Messages()); got != 30 {
			t.Fatalf("server has %d messages", got)
		}
		if !strings.Contains(string(srv.Messages()[0].Data), "Subject: Melding") {
			t.Errorf("message not as queued:\n%s", srv.Messages()[0].Data)
		}
	})
}

func TestTemporaryFailuresRetryWithBackoffPermanentOnesFail(t *testing.T) {
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
		queue(t, db, "registration", 3)
		clock := time.Now().UTC().Add(time.Minute).Truncate(time.Second) // the messages are due
		s := sender(db, srv)
		s.MaxAttempts = 3
		s.Now = func() time.Time { return clock }
		if _, err := s.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		c, _ := db.CountOutbox(ctx, "registration", 1)
		if c != (store.OutboxCounts{Sent: 1, Queued: 1, Failed: 1}) {
			t.Fatalf("after the first round: %+v", c)
		}
		next, err := db.NextOutbox(ctx)
		if err != nil || !next.Equal(clock.Add(time.Minute)) {
			t.Fatalf("next attempt %v, %v; want one minute later", next, err)
		}
		// Not due yet: nothing happens.
		if n, _ := s.Drain(ctx); n != 0 {
			t.Fatalf("sent %d before the retry was due", n)
		}
		clock = clock.Add(time.Minute)
		if n, _ := s.Drain(ctx); n != 1 {
			t.Fatalf("retry attempted %d", n)
		}
		if next, _ := db.NextOutbox(ctx); !next.Equal(clock.Add(2 * time.Minute)) {
			t.Fatalf("second back-off until %v, want 2 minutes", next)
		}
		clock = clock.Add(2 * time.Minute)
		s.Drain(ctx)
		c, _ = db.CountOutbox(ctx, "registration", 1)
		if c != (store.OutboxCounts{Sent: 1, Failed: 2}) {
			t.Fatalf("after the last attempt: %+v", c)
		}
		if len(srv.Messages()) != 1 {
			t.Fatalf("server took %d messages", len(srv.Messages()))
		}
	})
}

// TestStopMidSendLosesNothingSendsNothingTwice stops a sender while it is
// sending (the server answers each message slowly), checks that the
// database records exactly what the server took, and lets a new sender
// finish: every recipient gets the message once.
func TestStopMidSendLosesNothingSendsNothingTwice(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := smtptest.Start(t, smtptest.WithDelay(5*time.Millisecond))
		const n = 200
		queue(t, db, "newsletter_issue", n)
		ctx, cancel := context.WithCancel(context.Background())
		s := sender(db, srv)
		s.Connections, s.Batch = 3, 40
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		if _, err := srv.WaitFor(50, 30*time.Second); err != nil {
			t.Fatal(err)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		took := len(srv.Messages())
		c, err := db.CountOutbox(context.Background(), "newsletter_issue", 1)
		if err != nil {
			t.Fatal(err)
		}
		if c.Sent != took || c.Queued != n-took || c.Failed != 0 {
			t.Fatalf("after stop: server took %d, database says %+v", took, c)
		}
		if took >= n {
			t.Fatalf("the sender was not stopped mid-send (it sent all %d)", took)
		}
		// The unused claims were given back: a new sender need not wait
		// for the lease to expire.
		if _, err := sender(db, srv).Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		receivedOnce(t, srv, n)
	})
}

// TestTwoSendersShareTheOutbox runs two senders on one database at once,
// as two instances would: each message goes out once.
func TestTwoSendersShareTheOutbox(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := smtptest.Start(t)
		const n = 300
		queue(t, db, "newsletter_issue", n)
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				s := sender(db, srv)
				s.Batch = 25
				if _, err := s.Drain(context.Background()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		receivedOnce(t, srv, n)
	})
}

func TestBackoff(t *testing.T) {
	for n, want := range map[int]time.Duration{1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute, 9: 256 * time.Minute, 10: 6 * time.Hour, 40: 6 * time.Hour} {
		if got := outbox.Backoff(n); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", n, got, want)
		}
	}
}

// stall hands a message to the server and then never reports back, as a
// sender that died right after the server took the message would not.
type stall struct {
	mail    *mail.Sender
	resume  chan struct{}
	stalled chan struct{}
	once    sync.Once
}

func (s *stall) SendRaw(ctx context.Context, from string, to []string, data []byte) error {
	err := s.mail.SendRaw(ctx, from, to, data)
	s.once.Do(func() { close(s.stalled) })
	<-s.resume
	return err
}

// TestCrashDuringSendIsInDoubtNotRepeated: a sender that stopped between
// the server's acceptance and the record leaves that message unknown
// (counted, not sent again), and so the next one, whose mark it committed
// meanwhile; the messages it had claimed but not marked are left for the
// next sender, which sends each of them once.
func TestCrashDuringSendIsInDoubtNotRepeated(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := smtptest.Start(t)
		const n = 30
		queue(t, db, "newsletter_issue", n)
		// The first sender claims 10, begins the first and hangs.
		dead := sender(db, srv)
		st := &stall{mail: dead.Transport.(*mail.Sender), resume: make(chan struct{}), stalled: make(chan struct{})}
		dead.Transport, dead.Connections, dead.Batch = st, 1, 10
		deadDone := make(chan error, 1)
		go func() { _, err := dead.Drain(ctx); deadDone <- err }()
		<-st.stalled
		// The mark of the next message is asked for while the first is
		// sent; wait until it is committed, as it would be before a crash
		// some time later.
		for deadline := time.Now().Add(30 * time.Second); ; {
			var marked int
			if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE status = 'sending'`).Scan(&marked); err != nil {
				t.Fatal(err)
			}
			if marked == 2 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d messages marked sending, want 2", marked)
			}
			time.Sleep(10 * time.Millisecond)
		}

		// Its lease expires; the next sender finds the first two messages
		// in doubt and sends every other.
		later := time.Now().Add(11 * time.Minute)
		next := sender(db, srv)
		next.Now = func() time.Time { return later }
		if _, err := next.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		c, err := db.CountOutbox(ctx, "newsletter_issue", 1)
		if err != nil || c != (store.OutboxCounts{Sent: n - 2, Unknown: 2}) {
			t.Fatalf("counts = %+v, %v; want %d sent, 2 unknown", c, err, n-2)
		}
		seen := map[string]int{}
		for _, m := range srv.Messages() {
			seen[m.To[0]]++
		}
		for i := range n {
			to, want := fmt.Sprintf("n%d@example.no", i), 1
			if i == 1 {
				want = 0 // marked, never begun
			}
			if seen[to] != want {
				t.Errorf("%s received %d times, want %d", to, seen[to], want)
			}
		}
		// Another drain sends nothing: the unknown ones stay unknown.
		if k, err := sender(db, srv).Drain(ctx); k != 0 || err != nil {
			t.Fatalf("drain after = %d, %v", k, err)
		}
		if got := len(srv.Messages()); got != n-1 {
			t.Fatalf("server has %d messages, want %d", got, n-1)
		}
		// The stalled sender wakes up within its own lease: the server did
		// take its message, so it is recorded as sent; it sends the one it
		// had marked, and the rest of its batch (sent by the next sender
		// meanwhile) is not its to send any more.
		close(st.resume)
		if err := <-deadDone; err != nil {
			t.Fatal(err)
		}
		receivedOnce(t, srv, n)
		if c, _ := db.CountOutbox(ctx, "newsletter_issue", 1); c != (store.OutboxCounts{Sent: n}) {
			t.Fatalf("after the first sender woke: %+v", c)
		}
	})
}
