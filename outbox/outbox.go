// Package outbox delivers the e-mail Samråd has queued in the database:
// confirmations, reminders and newsletter issues, written to the outbox
// table in the same transaction as the change that causes them.
//
// A Sender claims due messages for a while (a lease) so that no other
// sender, in this process or another instance on the same database, takes
// them; sends them over SMTP at a limited rate with a few connections at
// once; and records each attempt: sent, to retry later with back-off, or
// failed. When its context ends it starts nothing new, lets the messages
// under way finish, records them and gives back the claims it did not use,
// so a restart neither loses a message nor sends one twice.
//
// A crash is another matter: the server may have taken a message whose
// result was never recorded. So right before a message's SMTP transaction
// the sender commits that it is sending it (marks from the connections
// under way are committed together). After a crash, a claimed message not
// yet marked is claimed again when the lease expires; a marked one is
// never sent again by the sender but becomes unknown ("may have been
// sent"), counted and shown, for a person to send again if they choose.
// An e-mail is therefore sent at most once by Samråd, and every message
// not in doubt is sent.
package outbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/samrad/samrad/mail"
	"github.com/samrad/samrad/store"
)

// Transport sends one built message; *mail.Sender is one.
type Transport interface {
	SendRaw(ctx context.Context, from string, to []string, data []byte) error
}

// Sender delivers the outbox. Set the fields before Run; zero values take
// the defaults.
type Sender struct {
	DB        *store.DB
	Transport Transport
	Log       *slog.Logger

	Rate        float64       // messages per second at most; 0: no limit
	Connections int           // conversations at once; default 4
	Batch       int           // messages claimed at a time; default 100
	Lease       time.Duration // how long a claim lasts; default 10 min
	Poll        time.Duration // how often to look when idle; default 2 s
	MaxAttempts int           // attempts before a temporary failure is final; default 8
	Backoff     func(attempt int) time.Duration
	Now         func() time.Time
	Instance    string // names this sender in its claims; default host, process and a random part

	// Observe, if set, is told the outcome of every attempt as it is
	// recorded, e.g. to count e-mails for monitoring. It must not block.
	Observe func(kind string, outcome Outcome)

	wake chan struct{}
	once sync.Once

	mu   sync.Mutex
	slot time.Time // when the rate limit lets the next message go
}

func (s *Sender) init() {
	s.once.Do(func() {
		s.wake = make(chan struct{}, 1)
		if s.Connections <= 0 {
			s.Connections = 4
		}
		if s.Batch <= 0 {
			s.Batch = 100
		}
		if s.Lease <= 0 {
			s.Lease = 10 * time.Minute
		}
		if s.Poll <= 0 {
			s.Poll = 2 * time.Second
		}
		if s.MaxAttempts <= 0 {
			s.MaxAttempts = 8
		}
		if s.Backoff == nil {
			s.Backoff = Backoff
		}
		if s.Now == nil {
			s.Now = time.Now
		}
		if s.Log == nil {
			s.Log = slog.New(slog.DiscardHandler)
		}
		if s.Instance == "" {
			s.Instance = instanceName()
		}
	})
}

// instanceName names one sender uniquely: the host and process for a
// reader of the table, and a random part so that a restarted process with
// the same pid is not taken for the one before.
func instanceName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Outcome is how one attempt to send a message ended.
type Outcome string

const (
	Sent    Outcome = "sent"    // the server took the message
	Retried Outcome = "retried" // a temporary failure; it is queued again
	Failed  Outcome = "failed"  // a permanent failure, or the last attempt
)

// Backoff is the default wait before attempt n+1 after n failed attempts:
// 1, 2, 4 … minutes, at most 6 hours.
func Backoff(n int) time.Duration {
	d := time.Minute
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// Wake tells a running sender that new messages are queued, so it need
// not wait for its next poll.
func (s *Sender) Wake() {
	s.init()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run sends due messages until ctx ends, then finishes the messages under
// way and returns. It returns nil on a clean stop.
func (s *Sender) Run(ctx context.Context) error {
	s.init()
	for {
		n, err := s.round(ctx)
		if err != nil && ctx.Err() == nil {
			s.Log.Error("outbox", "err", err)
		}
		if ctx.Err() != nil {
			return nil
		}
		if n == s.Batch {
			continue // there may be more due at once
		}
		t := time.NewTimer(s.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-s.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// Drain sends every message due now and returns how many it attempted;
// for commands and tests.
func (s *Sender) Drain(ctx context.Context) (int, error) {
	s.init()
	total := 0
	for {
		n, err := s.round(ctx)
		total += n
		if err != nil || n < s.Batch || ctx.Err() != nil {
			return total, err
		}
	}
}

// round claims one batch and sends it. Each message is marked sending
// before its SMTP transaction, and its result recorded after it; marks
// and results are committed together as they come (one transaction for
// whatever has arrived meanwhile), so a message the server took is
// recorded within milliseconds and marking costs no transaction of its own.
func (s *Sender) round(ctx context.Context) (int, error) {
	doubt, err := s.DB.ExpireSending(ctx, s.Now())
	if err != nil {
		return 0, err
	}
	if len(doubt) > 0 {
		s.Log.Warn("outbox: may have been sent; not sent again without a person's decision", "ids", doubt)
	}
	now := s.Now()
	msgs, err := s.DB.ClaimOutbox(ctx, s.Instance, now, s.Batch, s.Lease)
	if err != nil || len(msgs) == 0 {
		return 0, err
	}
	// Past its lease the claim may be another sender's: begin nothing then.
	leaseEnd := now.Add(s.Lease)
	// Recording must happen even when ctx has ended.
	keep := context.WithoutCancel(ctx)
	jobs := make(chan store.OutboxMessage)
	marks := make(chan markRequest, s.Connections) // one a connection: asking never waits
	results := make(chan store.OutboxResult, len(msgs))
	var unsent []int64
	var unsentMu sync.Mutex
	var wg sync.WaitGroup
	giveBack := func(id int64) {
		unsentMu.Lock()
		unsent = append(unsent, id)
		unsentMu.Unlock()
	}
	// take gets a connection's next message and asks for its mark; the
	// answer comes on the channel it returns. The mark of the next message
	// is committed while the current one is sent, so marking costs no
	// time on the way, and a crash leaves at most one message per
	// connection marked that was not begun.
	take := func() (store.OutboxMessage, chan bool, bool) {
		m, ok := <-jobs
		if !ok {
			return m, nil, false
		}
		req := markRequest{id: m.ID, ok: make(chan bool, 1)}
		if ctx.Err() != nil {
			req.ok <- false
		} else {
			marks <- req
		}
		return m, req.ok, true
	}
	for range min(s.Connections, len(msgs)) {
		wg.Go(func() {
			m, mark, ok := take()
			for ok {
				marked := <-mark
				next, nextMark, more := take()
				if marked && s.wait(ctx) && s.Now().Before(leaseEnd) {
					// A message under way finishes even if ctx ends
					// meanwhile; the transport's own timeout bounds it.
					err := s.Transport.SendRaw(keep, m.From, []string{m.To}, m.Data)
					results <- s.result(m, err)
				} else {
					giveBack(m.ID)
				}
				m, mark, ok = next, nextMark, more
			}
		})
	}
	recorded := make(chan error, 1)
	go func() { recorded <- s.record(keep, marks, results) }()
	for _, m := range msgs {
		jobs <- m
	}
	close(jobs)
	wg.Wait()
	close(marks)
	close(results)
	err = <-recorded
	if rerr := s.DB.ReleaseOutbox(keep, s.Instance, unsent...); rerr != nil {
		err = errors.Join(err, rerr)
	}
	return len(msgs) - len(unsent), err
}

// markRequest asks for one message to be marked sending; ok answers
// whether it was, and so may be sent.
type markRequest struct {
	id int64
	ok chan bool
}

func (s *Sender) result(m store.OutboxMessage, err error) store.OutboxResult {
	r := store.OutboxResult{ID: m.ID, At: s.Now(), Err: err}
	outcome := Sent
	attempt := m.Attempts + 1
	switch {
	case err == nil:
	case mail.IsTemporary(err) && attempt < s.MaxAttempts:
		outcome = Retried
		r.Retry = r.At.Add(s.Backoff(attempt))
		s.Log.Warn("outbox: will retry", "id", m.ID, "kind", m.Kind, "attempt", attempt, "retry", r.Retry, "err", err)
	default:
		outcome = Failed
		s.Log.Error("outbox: failed", "id", m.ID, "kind", m.Kind, "attempt", attempt, "err", err)
	}
	if s.Observe != nil {
		s.Observe(m.Kind, outcome)
	}
	return r
}

// record commits what the connections report, all that has arrived in
// one transaction: the results of messages sent and the marks of messages
// about to be, answering each mark. A message it could not mark is not
// sent: it is no longer this sender's, or the database failed (then the
// claim is given back, whether or not the mark committed after all; a
// result lost so leaves its message in doubt, never sent twice).
func (s *Sender) record(ctx context.Context, marks <-chan markRequest, results <-chan store.OutboxResult) error {
	var errs []error
	for marks != nil || results != nil {
		var group []markRequest
		var done []store.OutboxResult
		select {
		case r, ok := <-marks:
			if !ok {
				marks = nil
				continue
			}
			group = append(group, r)
		case r, ok := <-results:
			if !ok {
				results = nil
				continue
			}
			done = append(done, r)
		}
	more:
		for {
			select {
			case r, ok := <-marks:
				if !ok {
					marks = nil
					continue
				}
				group = append(group, r)
			case r, ok := <-results:
				if !ok {
					results = nil
					continue
				}
				done = append(done, r)
			default:
				break more
			}
		}
		ids := make([]int64, len(group))
		for i, r := range group {
			ids[i] = r.id
		}
		marked, err := s.DB.RecordOutbox(ctx, s.Instance, s.Now(), ids, done...)
		if err != nil {
			errs = append(errs, err)
		}
		ours := make(map[int64]bool, len(marked))
		for _, id := range marked {
			ours[id] = true
		}
		for _, r := range group {
			r.ok <- ours[r.id]
		}
	}
	return errors.Join(errs...)
}

// wait holds a message back until the rate limit lets it go; false if
// ctx ended first.
func (s *Sender) wait(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	if s.Rate <= 0 {
		return true
	}
	interval := time.Duration(float64(time.Second) / s.Rate)
	s.mu.Lock()
	now := time.Now()
	at := s.slot
	if at.Before(now) {
		at = now
	}
	s.slot = at.Add(interval)
	s.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
	return true
}
