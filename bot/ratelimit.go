package bot

import (
	"sync"
	"time"

	"maunium.net/go/mautrix/id"
)

// limiter is a token bucket per key: burst messages at once, then rate a
// minute. It also remembers when it last warned each key, so that an
// over-eager member is told once a minute at most, and otherwise ignored.
type limiter struct {
	mu      sync.Mutex
	burst   float64
	perSec  float64
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
	warned time.Time
}

// maxBuckets bounds the memory a flood of distinct senders can take.
const maxBuckets = 10000

func newLimiter(burst, perMinute int) *limiter {
	return &limiter{burst: float64(burst), perSec: float64(perMinute) / 60, buckets: map[string]*bucket{}}
}

// allow takes a token for key at now; when none is left it also says
// whether to warn (once a minute).
func (l *limiter) allow(key string, now time.Time) (ok, warn bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.perSec)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, false
	}
	if now.Sub(b.warned) >= time.Minute {
		b.warned = now
		return false, true
	}
	return false, false
}

// prune drops buckets that have refilled: they hold no information.
func (l *limiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.perSec >= l.burst {
			delete(l.buckets, k)
		}
	}
}

func userKey(u id.UserID) string { return "u:" + string(u) }
func roomKey(r id.RoomID) string { return "r:" + string(r) }
