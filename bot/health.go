package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/metrics"
)

// syncHealth is what the sync loop last said, for the health check.
type syncHealth struct {
	lastOK   atomic.Int64 // Unix ms of the last processed sync
	lastErr  atomic.Pointer[string]
	failures atomic.Int32
}

func (h *syncHealth) ok(now time.Time) {
	h.lastOK.Store(now.UnixMilli())
	h.failures.Store(0)
	metrics.LastSync.Set(float64(now.Unix()))
}

func (h *syncHealth) failed(err error) {
	msg := err.Error()
	h.lastErr.Store(&msg)
	h.failures.Add(1)
	metrics.SyncErrors.Inc()
}

// staleSync is how old the last sync may be: syncs long-poll for 30 s, so
// a healthy loop comes back well within this.
const staleSync = 2 * time.Minute

// Check says whether the bot works: its sync loop reached the homeserver
// last time and recently, and its database answers.
func (b *Bot) Check(ctx context.Context) error {
	if b.health.failures.Load() > 0 {
		msg := "unknown error"
		if p := b.health.lastErr.Load(); p != nil {
			msg = *p
		}
		return fmt.Errorf("homeserver unreachable: %s", msg)
	}
	last := b.health.lastOK.Load()
	if last == 0 {
		return errors.New("not synced yet")
	}
	if age := time.Since(time.UnixMilli(last)); age > staleSync {
		return fmt.Errorf("last sync %s ago", age.Round(time.Second))
	}
	if err := b.store.DB.RawDB.PingContext(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	return nil
}

// ProgrammeICS is the event's calendar, with the programme once published.
// With several events, it is the current one's, as the commands answer.
func (b *Bot) ProgrammeICS(ctx context.Context) ([]byte, error) {
	return commands.CalendarFile(ctx, b.s().env.At(b.calendar.Now()))
}

// publicTalk is a talk as the public programme shows it.
type publicTalk struct {
	Title    string    `json:"title"`
	Speakers string    `json:"speakers"`
	Minutes  int       `json:"minutes"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
}

// ProgrammeJSON is the published programme as JSON; empty before. With
// several events, it is the current one's.
func (b *Bot) ProgrammeJSON(ctx context.Context) ([]byte, error) {
	env := b.s().env.At(b.calendar.Now())
	talks, err := commands.PublishedTalks(ctx, env)
	if err != nil {
		return nil, err
	}
	out := struct {
		Event     string       `json:"event"`
		Published bool         `json:"published"`
		Talks     []publicTalk `json:"talks"`
	}{Event: env.Conference.Title, Published: talks != nil, Talks: []publicTalk{}}
	for _, p := range talks {
		start := p.SlotStart.In(env.Conference.Location)
		out.Talks = append(out.Talks, publicTalk{Title: p.Title, Speakers: commands.SpeakerLine(ctx, env, p), Minutes: p.Minutes,
			Start: start, End: start.Add(time.Duration(p.Minutes) * time.Minute)})
	}
	return json.MarshalIndent(out, "", "  ")
}
