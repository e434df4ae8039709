package bot

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l := newLimiter(3, 60) // one token a second
	type step struct {
		at       time.Duration
		ok, warn bool
	}
	steps := []step{
		{0, true, false}, {0, true, false}, {0, true, false}, // the burst
		{0, false, true},                       // over: warned once
		{500 * time.Millisecond, false, false}, // still over: quiet
		{time.Second, true, false},             // a token refilled
		{time.Second, false, false},            // over again, warned less than a minute ago
		{62 * time.Second, true, false},        // refilled to the burst, not beyond
		{62 * time.Second, true, false},
		{62 * time.Second, true, false},
		{62 * time.Second, false, true}, // a minute later: warned again
	}
	for i, s := range steps {
		ok, warn := l.allow("u:a", start.Add(s.at))
		if ok != s.ok || warn != s.warn {
			t.Errorf("step %d at %s: got ok=%v warn=%v, want ok=%v warn=%v", i, s.at, ok, warn, s.ok, s.warn)
		}
	}
	if ok, _ := l.allow("u:b", start); !ok {
		t.Error("another member is limited by the first one")
	}
}
