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
// so a restart neither loses a message nor sends one twice. Only a crash
// between the server's acceptance and the record (a few milliseconds)
// can repeat a message, when its lease expires.
package outbox

import (
	"context"
	"errors"
	"log/slog"
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
	})
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

// round claims one batch and sends it. The results are recorded in groups
// as they come (one transaction for whatever has finished meanwhile), so
// a message the server took is recorded within milliseconds.
func (s *Sender) round(ctx context.Context) (int, error) {
	msgs, err := s.DB.ClaimOutbox(ctx, s.Now(), s.Batch, s.Lease)
	if err != nil || len(msgs) == 0 {
		return 0, err
	}
	// Recording must happen even when ctx has ended.
	keep := context.WithoutCancel(ctx)
	jobs := make(chan store.OutboxMessage)
	results := make(chan store.OutboxResult, len(msgs))
	var unsent []int64
	var unsentMu sync.Mutex
	var wg sync.WaitGroup
	for range min(s.Connections, len(msgs)) {
		wg.Go(func() {
			for m := range jobs {
				if !s.wait(ctx) {
					unsentMu.Lock()
					unsent = append(unsent, m.ID)
					unsentMu.Unlock()
					continue
				}
				// A message under way finishes even if ctx ends meanwhile;
				// the transport's own timeout bounds it.
				err := s.Transport.SendRaw(keep, m.From, []string{m.To}, m.Data)
				results <- s.result(m, err)
			}
		})
	}
	settled := make(chan error, 1)
	go func() { settled <- s.settle(keep, results) }()
	for _, m := range msgs {
		jobs <- m
	}
	close(jobs)
	wg.Wait()
	close(results)
	err = <-settled
	if rerr := s.DB.ReleaseOutbox(keep, unsent...); rerr != nil {
		err = errors.Join(err, rerr)
	}
	return len(msgs) - len(unsent), err
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

// settle records results as they arrive, all that have arrived in one
// transaction.
func (s *Sender) settle(ctx context.Context, results <-chan store.OutboxResult) error {
	var errs []error
	for r := range results {
		group := []store.OutboxResult{r}
	more:
		for {
			select {
			case r, ok := <-results:
				if !ok {
					break more
				}
				group = append(group, r)
			default:
				break more
			}
		}
		if err := s.DB.SettleOutbox(ctx, group...); err != nil {
			errs = append(errs, err)
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
