// Package reminders computes when the bot reminds the community of the
// event's milestones: the default schedule derived from the call for talks
// and the event days, or the one in the config, plus scheduled
// announcements. It only computes times and identities; what is said lives
// with the commands, and sending exactly once lives with the bot.
package reminders

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bluehats/bluehats-bot/conference"
	"github.com/bluehats/bluehats-bot/config"
)

// Kinds of reminders: the milestone they announce, or custom text.
const (
	KindDeadline     = config.MilestoneDeadline
	KindResponse     = config.MilestoneResponse
	KindProgramme    = config.MilestoneProgramme
	KindEventEve     = "event_eve"
	KindEventDay     = "event_day"
	KindCustom       = "custom"
	KindAnnouncement = "announcement"
)

// Reminder is one reminder to send once to its rooms (and people).
type Reminder struct {
	ID      string    // stable across restarts: the key of its sends
	Kind    string    // what it announces; default texts follow it
	At      time.Time // when to send, in the event's zone
	Expires time.Time // never sent at or after this (the milestone has passed); zero: never expires
	Text    string    // organiser's markdown; empty for the default text of Kind
	Rooms   []string  // matrix.rooms entries; empty means all of them
	// Speakers also sends it by direct chat to everyone with a proposal
	// (deadline and decision reminders), unless they opted out.
	Speakers     bool
	Day          int    // for KindEventDay: 1 for the first day
	ConferenceID string // the event it belongs to, when the bot serves several
}

// morning is when default reminders go out, local time.
var morning = conference.ClockAt(9, 0)

// Plan returns every reminder and scheduled announcement, in time order.
func Plan(ev *conference.Conference, rc config.Reminders, ac config.Announcements) ([]Reminder, error) {
	var out []Reminder
	if rc.Schedule == nil {
		out = defaults(ev)
	} else {
		for i, r := range *rc.Schedule {
			rem, err := custom(ev, r)
			if err != nil {
				return nil, fmt.Errorf("reminders.schedule[%d]: %w", i, err)
			}
			if !rem.At.IsZero() {
				out = append(out, rem)
			}
		}
	}
	for i, a := range ac.Scheduled {
		at, err := config.ParseInstant(a.At, ev.Location, false)
		if err != nil {
			return nil, fmt.Errorf("announcements.scheduled[%d]: %w", i, err)
		}
		out = append(out, Reminder{ID: "announce-" + hash(a.At, a.Text), Kind: KindAnnouncement, At: at, Text: a.Text})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// defaults derives the standard schedule from the milestones: the call for
// talks a week, a day and the morning before its deadline; the morning of
// the response day; the programme on its publication day; the event the
// day before and each morning.
func defaults(ev *conference.Conference) []Reminder {
	loc := ev.Location
	at := func(day time.Time, daysBefore int) time.Time {
		d := day.In(loc)
		return morning.On(time.Date(d.Year(), d.Month(), d.Day()-daysBefore, 12, 0, 0, 0, loc), loc)
	}
	endOfDay := func(day time.Time) time.Time {
		d := day.In(loc)
		return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
	}
	var out []Reminder
	p := ev.Proposals
	if !p.Deadline.IsZero() {
		for _, r := range []struct {
			id   string
			days int
		}{{"deadline-7d", 7}, {"deadline-1d", 1}, {"deadline-day", 0}} {
			out = append(out, Reminder{ID: r.id, Kind: KindDeadline, At: at(p.Deadline, r.days), Expires: p.Deadline, Speakers: true})
		}
	}
	if !p.ResponseDate.IsZero() {
		out = append(out, Reminder{ID: "response-day", Kind: KindResponse, At: at(p.ResponseDate, 0), Expires: endOfDay(p.ResponseDate), Speakers: true})
	}
	if !p.ProgrammeDate.IsZero() {
		out = append(out, Reminder{ID: "programme-day", Kind: KindProgramme, At: at(p.ProgrammeDate, 0), Expires: endOfDay(p.ProgrammeDate)})
	}
	if !ev.Start.IsZero() {
		out = append(out, Reminder{ID: "event-eve", Kind: KindEventEve, At: at(ev.Start, 1), Expires: ev.Start})
		for i, d := range ev.Days() {
			expires := endOfDay(d)
			if ev.DailyClose.Set {
				expires = ev.DailyClose.On(d, loc)
			}
			out = append(out, Reminder{ID: fmt.Sprintf("event-day-%d", i+1), Kind: KindEventDay, At: at(d, 0), Expires: expires, Day: i + 1})
		}
	}
	return out
}

// custom reads one reminders.schedule entry. A zero At means the milestone
// it counts from is not set.
func custom(ev *conference.Conference, r config.Reminder) (Reminder, error) {
	rem := Reminder{ID: "custom-" + hash(r.At, r.Before, r.Offset, r.Time, r.Text, strings.Join(r.Rooms, ",")), Text: r.Text, Rooms: r.Rooms, Kind: KindCustom}
	loc := ev.Location
	if r.At != "" {
		at, err := config.ParseInstant(r.At, loc, false)
		rem.At = at
		return rem, err
	}
	var milestone time.Time
	switch r.Before {
	case config.MilestoneDeadline:
		milestone = ev.Proposals.Deadline
	case config.MilestoneResponse:
		milestone = ev.Proposals.DecisionTime(loc)
	case config.MilestoneProgramme:
		milestone = ev.Proposals.ProgrammeDate
	case config.MilestoneEventStart:
		milestone = ev.Start
	default:
		return rem, fmt.Errorf("unknown milestone %q", r.Before)
	}
	if milestone.IsZero() {
		return rem, nil
	}
	if r.Text == "" {
		rem.Kind = r.Before
		rem.Speakers = r.Before == config.MilestoneDeadline || r.Before == config.MilestoneResponse
	}
	days, rest, err := splitDays(r.Offset)
	if err != nil {
		return rem, err
	}
	// Days are calendar days in the event's zone, so "7d" before 23:59
	// stays at 23:59 across a DST change; hours are elapsed time.
	m := milestone.In(loc)
	at := time.Date(m.Year(), m.Month(), m.Day()-days, m.Hour(), m.Minute(), m.Second(), 0, loc).Add(-rest)
	if r.Time != "" {
		tod, err := time.Parse("15:04", r.Time)
		if err != nil {
			return rem, err
		}
		at = conference.ClockAt(tod.Hour(), tod.Minute()).On(at, loc)
	}
	rem.At, rem.Expires = at, milestone
	return rem, nil
}

// splitDays reads "7d", "24h", "1d12h" into calendar days and a duration.
func splitDays(s string) (int, time.Duration, error) {
	s = strings.TrimSpace(s)
	days := 0
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil {
			return 0, 0, fmt.Errorf("invalid offset %q", s)
		}
		days, s = n, s[i+1:]
	}
	if s == "" {
		return days, 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, 0, fmt.Errorf("invalid offset %q", s)
	}
	return days, d, nil
}

func hash(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:6])
}

// Decision says what to do with a reminder that is due.
type Decision int

// Decisions about a due reminder.
const (
	Wait    Decision = iota // not due yet
	Send                    // due: send it now
	TooLate                 // missed by more than the catch-up window
	Expired                 // its milestone has passed
	Backlog                 // due before the bot's very first start
)

func (d Decision) String() string {
	return [...]string{"wait", "send", "too late", "expired", "before first start"}[d]
}

// Decide says whether a reminder goes out now: not before its time, not
// after its milestone, not later than catchUp after its time (the bot was
// down), and never for a time before the bot's very first start, so that
// installing the bot mid-campaign does not flood the rooms with backlog.
func Decide(r Reminder, now, firstStart time.Time, catchUp time.Duration) Decision {
	switch {
	case now.Before(r.At):
		return Wait
	case r.At.Before(firstStart):
		return Backlog
	case !r.Expires.IsZero() && !now.Before(r.Expires):
		return Expired
	case now.Sub(r.At) > catchUp:
		return TooLate
	default:
		return Send
	}
}
