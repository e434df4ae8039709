// Package clock provides the time sources of the bot. The calendar clock
// (deadlines, countdowns, reminders) may be a rehearsal clock started at a
// chosen instant; everything about Matrix itself uses the real clock.
package clock

import (
	"sync"
	"time"
)

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// Real is the system clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// Rehearsal is a clock that started at a chosen instant and flows at the
// normal rate from there.
type Rehearsal struct {
	offset time.Duration
}

// NewRehearsal returns a clock that reads start now and advances in real time.
func NewRehearsal(start time.Time) *Rehearsal {
	return &Rehearsal{offset: time.Until(start)}
}

// Now returns the rehearsal time.
func (r *Rehearsal) Now() time.Time { return time.Now().Add(r.offset) }

// Fake is a clock for tests that only moves when told to.
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

// NewFake returns a fake clock reading t.
func NewFake(t time.Time) *Fake { return &Fake{t: t} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Set moves the clock to t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	f.t = t
	f.mu.Unlock()
}

// Advance moves the clock forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}
