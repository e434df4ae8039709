package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/bluehats/bluehats-bot/event"
)

// BuildEvent reads event.source when set and applies the values of the
// event: and proposals: sections over it, so organisers never type twice what
// their site already says. Problems name the config key to fix.
func (c *Config) BuildEvent() (*event.Event, Problems) {
	var ps Problems
	add := func(key, format string, args ...any) {
		ps = append(ps, Problem{Key: key, Line: c.doc.line(key), Message: fmt.Sprintf(format, args...)})
	}
	loc, err := time.LoadLocation(c.Event.Timezone)
	if err != nil {
		add("event.timezone", "unknown time zone %q", c.Event.Timezone)
		return nil, ps
	}
	ev := &event.Event{Location: loc}
	if src := c.SourcePath(); src != "" {
		post, err := event.ReadPostFile(src)
		if err != nil {
			add("event.source", "%v", err)
			return nil, ps
		}
		if ev, err = post.Event(loc); err != nil {
			add("event.source", "%v", err)
			return nil, ps
		}
		ev.Location = loc
	}

	e := c.Event
	setString(&ev.Title, e.Title)
	setString(&ev.Description, e.Description)
	setString(&ev.Venue.Name, e.Venue.Name)
	setString(&ev.Venue.Address, e.Venue.Address)
	setString(&ev.InfoURL, e.InfoURL)
	setString(&ev.Contact, strings.TrimPrefix(e.Contact, "mailto:"))
	setString(&ev.Registration.URL, e.Registration.URL)
	if len(e.Venue.Access) > 0 {
		ev.Venue.Access = e.Venue.Access
	}
	if e.Venue.Latitude != nil && e.Venue.Longitude != nil {
		ev.Venue.Latitude, ev.Venue.Longitude, ev.Venue.HasGeo = *e.Venue.Latitude, *e.Venue.Longitude, true
	}
	if e.Registration.Free != nil {
		ev.Registration.Free = *e.Registration.Free
	}
	if e.Registration.Required != nil {
		ev.Registration.Required = *e.Registration.Required
	}
	if e.Hours != "" {
		open, close, ok := event.ParseHours(e.Hours)
		if !ok {
			add("event.hours", "cannot read opening hours %q (expected e.g. 9h-18h or 09:00-18:00)", e.Hours)
		}
		ev.Hours, ev.DailyOpen, ev.DailyClose = e.Hours, open, close
	}

	instant := func(key, val string, target *time.Time, dateOnlyEnd bool) {
		if val == "" {
			return
		}
		t, err := ParseInstant(val, loc, dateOnlyEnd)
		if err != nil {
			add(key, "%v", err)
			return
		}
		*target = t
	}
	instant("event.start", e.Start, &ev.Start, false)
	instant("event.end", e.End, &ev.End, true)
	p := c.Proposals
	instant("proposals.deadline", p.Deadline, &ev.Proposals.Deadline, true)
	instant("proposals.response_date", p.ResponseDate, &ev.Proposals.ResponseDate, false)
	instant("proposals.programme_date", p.ProgrammeDate, &ev.Proposals.ProgrammeDate, false)
	if p.MinMinutes > 0 {
		ev.Proposals.MinMinutes = p.MinMinutes
	}
	if p.MaxMinutes > 0 {
		ev.Proposals.MaxMinutes = p.MaxMinutes
	}
	ev.Proposals.MaxPerPerson = p.MaxPerPerson
	if rt, err := time.Parse("15:04", p.ResponseTime); err == nil {
		ev.Proposals.ResponseTime = event.ClockAt(rt.Hour(), rt.Minute())
	}
	ev.Proposals.NotifyImmediately = p.NotifyDecisions == NotifyImmediately
	if ev.Proposals.MinMinutes == 0 {
		ev.Proposals.MinMinutes = DefaultMinMinutes
	}
	if ev.Proposals.MaxMinutes == 0 {
		ev.Proposals.MaxMinutes = DefaultMaxMinutes
	}

	if ev.Title == "" {
		add("event.title", "required (here or in the post named by event.source)")
	}
	if ev.Start.IsZero() {
		add("event.start", "required (here or in the post named by event.source)")
	}
	if ev.End.IsZero() {
		add("event.end", "required (here or in the post named by event.source)")
	}
	if !ev.Start.IsZero() && !ev.End.IsZero() && !ev.End.After(ev.Start) {
		add("event.end", "must be after event.start")
	}
	pr := ev.Proposals
	if !pr.Deadline.IsZero() && !ev.Start.IsZero() && pr.Deadline.After(ev.Start) {
		add("proposals.deadline", "must be before the event starts")
	}
	if !pr.ResponseDate.IsZero() && !pr.Deadline.IsZero() && pr.ResponseDate.Before(pr.Deadline) {
		add("proposals.response_date", "must not be before the deadline")
	}
	if pr.MinMinutes > pr.MaxMinutes {
		add("proposals.max_minutes", "must not be below min_minutes (%d)", pr.MinMinutes)
	}
	return ev, ps
}

func setString(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

// ParseInstant reads RFC 3339, or a local date and time ("2023-12-06 09:00",
// "2023-12-06T09:00") or a date alone, in loc. A date alone means the start
// of that day, or its last second when endOfDay is set: a deadline written
// as a date is open all of that day.
func ParseInstant(s string, loc *time.Location, endOfDay bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(loc), nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		if endOfDay {
			return time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, loc), nil
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("cannot read date %q (expected RFC 3339 like 2023-11-20T23:59:59+01:00, or 2023-11-20 23:59, or 2023-11-20)", s)
}
