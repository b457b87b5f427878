package store

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Rate limits live in the database so that every instance on it counts the
// same requests. A bucket (an action, such as "login") counts requests per
// key (a client address, an e-mail address) in fixed windows aligned to the
// window's length; a request is allowed while the sliding estimate
//
//	previous window's count × the part of it still inside the last window + this window's count
//
// is at most the limit. The estimate keeps a client from spending a whole
// limit at the end of one window and another at the start of the next, as a
// plain fixed window would allow. Refused requests count too, so a client
// that keeps trying waits longer.

// Allow counts one request of key in bucket at now and reports whether it
// is within limit requests per window; if not, retryAfter is how long until
// one more would be. A bucket must always be used with the same window.
func (db *DB) Allow(ctx context.Context, bucket, key string, limit int, window time.Duration, now time.Time) (ok bool, retryAfter time.Duration, err error) {
	w := int64(window / time.Second)
	if w < 1 || limit < 1 {
		return false, 0, fmt.Errorf("rate limit %s: window %s and limit %d must be at least a second and one", bucket, window, limit)
	}
	start := now.Unix() - now.Unix()%w
	var cur, prev int64
	err = db.db.QueryRowContext(ctx, `INSERT INTO rate_limits (bucket, key, window_start, hits, expires_at) VALUES ($1, $2, $3, 1, $4)
		ON CONFLICT (bucket, key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
		RETURNING hits, COALESCE((SELECT p.hits FROM rate_limits p WHERE p.bucket = $1 AND p.key = $2 AND p.window_start = $5), 0)`,
		bucket, key, start, start+2*w, start-w).Scan(&cur, &prev)
	if err != nil {
		return false, 0, fmt.Errorf("rate limit %s: %w", bucket, err)
	}
	db.purgeRateLimits(ctx, now)
	ok, retryAfter = slidingWindow(float64(limit), float64(w), now.Sub(time.Unix(start, 0)).Seconds(), float64(prev), float64(cur))
	return ok, retryAfter, nil
}

// slidingWindow decides a request with the counts of the previous and the
// current window (cur includes this request), elapsed seconds into a window
// of w seconds.
func slidingWindow(limit, w, elapsed, prev, cur float64) (bool, time.Duration) {
	if prev*(w-elapsed)/w+cur <= limit {
		return true, 0
	}
	// One more request fits in this window once enough of the previous one
	// has slid out, if this window's own count leaves room for it …
	if prev > 0 && cur+1 <= limit {
		t := (w - elapsed) - (limit-cur-1)*w/prev
		return false, roundUp(max(t, 0))
	}
	// … else in the next window, once enough of this one has slid out.
	u := 0.0
	if cur > limit-1 {
		u = w * (1 - (limit-1)/cur)
	}
	return false, roundUp(w - elapsed + u)
}

func roundUp(seconds float64) time.Duration {
	return time.Duration(max(1, math.Ceil(seconds))) * time.Second
}

// purgeRateLimits deletes windows that no longer count, at most once a
// minute per instance. A failure is left for the next time: the rows only
// take room.
func (db *DB) purgeRateLimits(ctx context.Context, now time.Time) {
	last := db.rlPurged.Load()
	if now.Unix()-last < 60 || !db.rlPurged.CompareAndSwap(last, now.Unix()) {
		return
	}
	_, _ = db.db.ExecContext(ctx, `DELETE FROM rate_limits WHERE expires_at <= $1`, now.Unix())
}
