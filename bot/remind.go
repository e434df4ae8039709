package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/conference"
	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/metrics"
	"github.com/bluehats/bluehats-bot/reminders"
	"github.com/bluehats/bluehats-bot/storage"
)

// fireReminders queues the reminders that are due, once each: their
// messages go into the outbox together with the record that the reminder
// fired, in one transaction. Reminders missed beyond the catch-up window,
// past their milestone, or due before the bot's first start are recorded
// as skipped and never sent. It returns when the next reminder is due
// (zero when none is left).
func (b *Bot) fireReminders(ctx context.Context, now time.Time) (time.Time, error) {
	fired, err := b.store.Fired.IDs(ctx)
	if err != nil {
		return time.Time{}, err
	}
	var next time.Time
	catchUp := time.Duration(b.s().cfg.Reminders.CatchUp)
	for _, r := range b.s().plan {
		if fired[r.ID] {
			continue
		}
		decision := reminders.Decide(r, now, b.firstStart, catchUp)
		log := b.log.With().Str("reminder", r.ID).Time("due", r.At).Stringer("decision", decision).Logger()
		switch decision {
		case reminders.Wait:
			if next.IsZero() || r.At.Before(next) {
				next = r.At
			}
			continue
		case reminders.Send:
			queued := 0
			err := b.store.Txn(ctx, func(ctx context.Context) error {
				items, err := b.reminderItems(ctx, r, now)
				if err != nil {
					return err
				}
				queued = len(items)
				_, err = b.store.Fired.Mark(ctx, r.ID, decision.String(), time.Now())
				return err
			})
			if err != nil {
				return next, fmt.Errorf("fire reminder %s: %w", r.ID, err)
			}
			log.Info().Int("messages", queued).Msg("Reminder queued")
		default:
			if _, err := b.store.Fired.Mark(ctx, r.ID, decision.String(), time.Now()); err != nil {
				return next, err
			}
			metrics.Reminders.WithLabelValues("skipped").Inc()
			log.Warn().Msg("Reminder skipped")
		}
	}
	return next, nil
}

// reminderItems are the messages of one reminder: one per target room, in
// the rooms' language, and one per member who gets it by direct chat, in
// theirs. Keys make each of them go out once.
func (b *Bot) reminderItems(ctx context.Context, r reminders.Reminder, now time.Time) ([]*storage.OutboxItem, error) {
	rooms := b.configuredRooms()
	if len(r.Rooms) > 0 {
		rooms = rooms[:0]
		b.roomsMu.RLock()
		for _, ref := range r.Rooms {
			if id, ok := b.roomRefs[ref]; ok {
				rooms = append(rooms, id)
			}
		}
		b.roomsMu.RUnlock()
	}
	env := b.s().env.ForConference(r.ConferenceID)
	kind := storage.KindReminder
	if r.Kind == reminders.KindAnnouncement {
		kind = storage.KindAnnouncement
	}
	reply := &commands.Reply{}
	for _, room := range rooms {
		reply.Add(commands.Part{To: commands.ToRoom, Room: room, Kind: kind, Key: fmt.Sprintf("reminder:%s:room:%s", r.ID, room),
			Markdown: commands.RenderReminder(env, r, b.s().env.DefaultLang, now)})
	}
	people, err := b.store.Prefs.Recipients(ctx, r.Speakers, r.ConferenceID)
	if err != nil {
		return nil, err
	}
	for _, p := range people {
		reply.Add(commands.Part{To: commands.ToUser, User: p.User, Kind: storage.KindReminder, Key: fmt.Sprintf("reminder:%s:user:%s", r.ID, p.User),
			Markdown: commands.RenderReminder(env, r, i18n.Lang(p.Lang), now)})
	}
	return b.queue(ctx, origin{}, reply)
}

// purgeIfDue runs the daily purge of personal data under
// privacy.retention_days (calendar time): each event's proposals once that
// many days have passed since its end, what the bot keeps about members
// once that holds for every event, and, meanwhile, messages sent and drafts
// older than that. It returns when to run next, zero for never.
func (b *Bot) purgeIfDue(ctx context.Context, now time.Time) (time.Time, error) {
	s := b.s()
	days := s.cfg.Privacy.RetentionDays
	if days <= 0 {
		return time.Time{}, nil
	}
	// The scheduler asks after every message it sends: between runs the
	// answer is in memory, not in the database.
	if next := b.purgeNext.Load(); next != 0 && now.UnixNano() < next && now.UnixNano() >= b.purgeLast.Load() {
		return time.Unix(0, next), nil
	}
	type expiry struct {
		id  string
		due time.Time
	}
	events := []expiry{}
	add := func(id string, e *conference.Conference) {
		end := e.End.In(e.Location)
		events = append(events, expiry{id, time.Date(end.Year(), end.Month(), end.Day()+days, end.Hour(), end.Minute(), 0, 0, end.Location())})
	}
	if len(s.env.Conferences) == 0 {
		add(s.env.ConferenceID, s.env.Conference)
	}
	for _, ev := range s.env.Conferences {
		add(ev.ID, ev.Conference)
	}
	lastText, err := b.store.State.Get(ctx, storage.KeyPurged)
	if err != nil {
		return time.Time{}, err
	}
	if last, err := time.Parse(time.RFC3339, lastText); err == nil && !now.Before(last) {
		next := last.Add(24 * time.Hour)
		for _, e := range events {
			if e.due.After(last) && e.due.Before(next) {
				next = e.due
			}
		}
		if now.Before(next) {
			b.purgeLast.Store(last.UnixNano())
			b.purgeNext.Store(next.UnixNano())
			return next, nil
		}
	}

	allOver := true
	for _, e := range events {
		if now.Before(e.due) {
			allOver = false
			continue
		}
		n, err := b.store.PurgeConference(ctx, e.id)
		if err != nil {
			return time.Time{}, err
		}
		if n > 0 {
			b.log.Info().Str("event", e.id).Int64("proposals", n).Int("retention_days", days).Msg("Proposals of a past event purged")
		}
	}
	// Answered messages and sent ones carry real timestamps; drafts, the
	// calendar's.
	before := time.Now().AddDate(0, 0, -days)
	if allOver {
		if err := b.store.Purge(ctx, time.Now().Add(-24*time.Hour)); err != nil {
			return time.Time{}, err
		}
		b.log.Info().Int("retention_days", days).Msg("Personal data of the past events purged")
	} else if n, err := b.store.PurgeBefore(ctx, before, now.AddDate(0, 0, -days)); err != nil {
		return time.Time{}, err
	} else if n > 0 {
		b.log.Info().Int64("rows", n).Int("retention_days", days).Msg("Old messages and drafts purged")
	}
	if err := b.store.State.Set(ctx, storage.KeyPurged, now.Format(time.RFC3339)); err != nil {
		return time.Time{}, err
	}
	next := now.Add(24 * time.Hour)
	for _, e := range events {
		if e.due.After(now) && e.due.Before(next) {
			next = e.due
		}
	}
	b.purgeLast.Store(now.UnixNano())
	b.purgeNext.Store(next.UnixNano())
	return next, nil
}
