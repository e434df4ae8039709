package reminders

import (
	"testing"
	"time"

	_ "time/tzdata"

	"github.com/bluehats/bluehats-bot/conference"
	"github.com/bluehats/bluehats-bot/config"
)

func paris(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// seed is the event of the seed post, as the example config describes it.
func seed(t *testing.T) *conference.Conference {
	loc := paris(t)
	return &conference.Conference{
		Location:  loc,
		Start:     time.Date(2023, 12, 6, 9, 0, 0, 0, loc),
		End:       time.Date(2023, 12, 7, 18, 0, 0, 0, loc),
		DailyOpen: conference.ClockAt(9, 0), DailyClose: conference.ClockAt(18, 0),
		Proposals: conference.CallForTalks{
			Deadline:      time.Date(2023, 11, 20, 23, 59, 59, 0, loc),
			ResponseDate:  time.Date(2023, 11, 27, 0, 0, 0, 0, loc),
			ProgrammeDate: time.Date(2023, 12, 4, 0, 0, 0, 0, loc),
		},
	}
}

func TestDefaultScheduleOfTheSeedEvent(t *testing.T) {
	loc := paris(t)
	plan, err := Plan(seed(t), config.Reminders{}, config.Announcements{})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id       string
		at       time.Time
		expires  time.Time
		speakers bool
	}{
		{"deadline-7d", time.Date(2023, 11, 13, 9, 0, 0, 0, loc), time.Date(2023, 11, 20, 23, 59, 59, 0, loc), true},
		{"deadline-1d", time.Date(2023, 11, 19, 9, 0, 0, 0, loc), time.Date(2023, 11, 20, 23, 59, 59, 0, loc), true},
		{"deadline-day", time.Date(2023, 11, 20, 9, 0, 0, 0, loc), time.Date(2023, 11, 20, 23, 59, 59, 0, loc), true},
		{"response-day", time.Date(2023, 11, 27, 9, 0, 0, 0, loc), time.Date(2023, 11, 28, 0, 0, 0, 0, loc), true},
		{"programme-day", time.Date(2023, 12, 4, 9, 0, 0, 0, loc), time.Date(2023, 12, 5, 0, 0, 0, 0, loc), false},
		{"event-eve", time.Date(2023, 12, 5, 9, 0, 0, 0, loc), time.Date(2023, 12, 6, 9, 0, 0, 0, loc), false},
		{"event-day-1", time.Date(2023, 12, 6, 9, 0, 0, 0, loc), time.Date(2023, 12, 6, 18, 0, 0, 0, loc), false},
		{"event-day-2", time.Date(2023, 12, 7, 9, 0, 0, 0, loc), time.Date(2023, 12, 7, 18, 0, 0, 0, loc), false},
	}
	if len(plan) != len(want) {
		t.Fatalf("got %d reminders, want %d: %+v", len(plan), len(want), plan)
	}
	for i, w := range want {
		r := plan[i]
		if r.ID != w.id || !r.At.Equal(w.at) || !r.Expires.Equal(w.expires) || r.Speakers != w.speakers {
			t.Errorf("%d: got %s at %s (expires %s, speakers %v), want %s at %s (expires %s, speakers %v)",
				i, r.ID, r.At, r.Expires, r.Speakers, w.id, w.at, w.expires, w.speakers)
		}
	}
	if none, _ := Plan(seed(t), config.Reminders{Schedule: &[]config.Reminder{}}, config.Announcements{}); len(none) != 0 {
		t.Errorf("schedule: [] must mean no reminders, got %d", len(none))
	}
}

// Calendar days keep the local time across the end of summer time on
// 29 October 2023; hours are elapsed time.
func TestCustomScheduleAcrossDST(t *testing.T) {
	loc := paris(t)
	ev := seed(t)
	ev.Proposals.Deadline = time.Date(2023, 10, 29, 10, 0, 0, 0, loc) // after the change at 3:00
	tests := []struct {
		r    config.Reminder
		want time.Time
	}{
		{config.Reminder{Before: "deadline", Offset: "1d"}, time.Date(2023, 10, 28, 10, 0, 0, 0, loc)},
		{config.Reminder{Before: "deadline", Offset: "7d"}, time.Date(2023, 10, 22, 10, 0, 0, 0, loc)},
		{config.Reminder{Before: "deadline", Offset: "24h"}, time.Date(2023, 10, 28, 11, 0, 0, 0, loc)},
		{config.Reminder{Before: "deadline", Offset: "2h"}, time.Date(2023, 10, 29, 8, 0, 0, 0, loc)},
		{config.Reminder{Before: "deadline", Offset: "3d", Time: "09:30"}, time.Date(2023, 10, 26, 9, 30, 0, 0, loc)},
		{config.Reminder{Before: "event_start", Offset: "1d12h"}, time.Date(2023, 12, 4, 21, 0, 0, 0, loc)},
		{config.Reminder{Before: "response_date", Offset: "1h"}, time.Date(2023, 11, 27, 8, 0, 0, 0, loc)},
		{config.Reminder{At: "2023-10-29T02:30:00+01:00", Text: "x"}, time.Date(2023, 10, 29, 1, 30, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		plan, err := Plan(ev, config.Reminders{Schedule: &[]config.Reminder{tc.r}}, config.Announcements{})
		if err != nil {
			t.Fatal(err)
		}
		if len(plan) != 1 || !plan[0].At.Equal(tc.want) {
			t.Errorf("%+v: got %v, want %s", tc.r, plan, tc.want)
		}
	}
	// The same entry has the same identity in every run.
	a, _ := Plan(ev, config.Reminders{Schedule: &[]config.Reminder{tests[0].r}}, config.Announcements{})
	b, _ := Plan(ev, config.Reminders{Schedule: &[]config.Reminder{tests[0].r}}, config.Announcements{})
	if a[0].ID != b[0].ID || a[0].ID == "" {
		t.Errorf("unstable IDs: %q %q", a[0].ID, b[0].ID)
	}
}

func TestDecide(t *testing.T) {
	loc := paris(t)
	at := time.Date(2023, 11, 19, 9, 0, 0, 0, loc)
	r := Reminder{At: at, Expires: time.Date(2023, 11, 20, 23, 59, 59, 0, loc)}
	first := time.Date(2023, 11, 1, 0, 0, 0, 0, loc)
	tests := []struct {
		name  string
		now   time.Time
		first time.Time
		want  Decision
	}{
		{"before its time", at.Add(-time.Second), first, Wait},
		{"on time", at, first, Send},
		{"late within catch-up", at.Add(2 * time.Hour), first, Send},
		{"late beyond catch-up", at.Add(2*time.Hour + time.Second), first, TooLate},
		{"milestone passed", r.Expires, first, Expired},
		{"installed after its time", at.Add(time.Minute), at.Add(time.Second), Backlog},
		{"installed before its time", at.Add(time.Minute), at.Add(-time.Second), Send},
	}
	for _, tc := range tests {
		if got := Decide(r, tc.now, tc.first, 2*time.Hour); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestScheduledAnnouncements(t *testing.T) {
	loc := paris(t)
	plan, err := Plan(seed(t), config.Reminders{Schedule: &[]config.Reminder{}}, config.Announcements{Scheduled: []config.ScheduledAnnouncement{{At: "2023-11-15 12:00", Text: "**Venez !**"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 1 || plan[0].Kind != KindAnnouncement || !plan[0].At.Equal(time.Date(2023, 11, 15, 12, 0, 0, 0, loc)) || plan[0].Text != "**Venez !**" {
		t.Errorf("got %+v", plan)
	}
}
