package config

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/bluehats/bluehats-bot/conference"
)

// EventSpec is one event the bot serves, built from the config.
type EventSpec struct {
	ID        string // "" for the single event: block
	Event     *conference.Conference
	Reminders Reminders
	Rooms     []string // where its reminders go; empty: matrix.rooms
	// FAQKeys names the config key of each of Event.FAQ, for check-config.
	FAQKeys []string
}

// BuildEvents builds every event the bot serves, in start order: the
// blocks of events:, or the single event:, proposals: and reminders:.
func (c *Config) BuildEvents() ([]EventSpec, Problems) {
	if len(c.Events) == 0 {
		ev, ps := c.buildEvent("event", "proposals", c.Event, c.Proposals)
		if ev == nil {
			return nil, ps
		}
		ev.FAQ = faqEntries(c.FAQ)
		return []EventSpec{{Event: ev, Reminders: c.Reminders, FAQKeys: faqKeys("faq", len(c.FAQ))}}, ps
	}
	var specs []EventSpec
	var ps Problems
	for i, blk := range c.Events {
		key := fmt.Sprintf("events[%d]", i)
		ev, eps := c.buildEvent(key, key+".proposals", blk.Event, blk.Proposals)
		ps = append(ps, eps...)
		if ev == nil {
			continue
		}
		ev.FAQ = append(faqEntries(c.FAQ), faqEntries(blk.FAQ)...)
		rem := c.Reminders
		if blk.Reminders != nil {
			rem = *blk.Reminders
		}
		keys := append(faqKeys("faq", len(c.FAQ)), faqKeys(key+".faq", len(blk.FAQ))...)
		specs = append(specs, EventSpec{ID: blk.ID, Event: ev, Reminders: rem, Rooms: blk.Rooms, FAQKeys: keys})
	}
	sort.SliceStable(specs, func(i, j int) bool { return specs[i].Event.Start.Before(specs[j].Event.Start) })
	return specs, ps
}

// BuildEvent builds the first event the bot serves (the only one, with a
// single event: block).
func (c *Config) BuildEvent() (*conference.Conference, Problems) {
	specs, ps := c.BuildEvents()
	if len(specs) == 0 {
		return nil, ps
	}
	return specs[0].Event, ps
}

// buildEvent reads the block's source post when set and applies the
// values of the block and its call for talks over it, so organisers never
// type twice what their site already says. Problems name the config key to
// fix, under the given prefixes.
func (c *Config) buildEvent(ek, pk string, e Event, p Proposals) (*conference.Conference, Problems) {
	var ps Problems
	add := func(key, format string, args ...any) {
		ps = append(ps, Problem{Key: key, Line: c.doc.line(key), Message: fmt.Sprintf(format, args...)})
	}
	loc, err := time.LoadLocation(e.Timezone)
	if err != nil {
		add(ek+".timezone", "unknown time zone %q", e.Timezone)
		return nil, ps
	}
	ev := &conference.Conference{Location: loc}
	if src := c.resolve(e.Source); src != "" {
		post, err := conference.ReadPostFile(src)
		if err != nil {
			add(ek+".source", "%v", err)
			return nil, ps
		}
		if ev, err = post.Event(loc); err != nil {
			add(ek+".source", "%v", err)
			return nil, ps
		}
		ev.Location = loc
	}

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
		open, close, ok := conference.ParseHours(e.Hours)
		if !ok {
			add(ek+".hours", "cannot read opening hours %q (expected e.g. 9h-18h or 09:00-18:00)", e.Hours)
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
	instant(ek+".start", e.Start, &ev.Start, false)
	instant(ek+".end", e.End, &ev.End, true)
	instant(pk+".deadline", p.Deadline, &ev.Proposals.Deadline, true)
	if toTheMinute(p.Deadline) {
		// "23:59" is the whole minute: the deadline is its last second.
		ev.Proposals.Deadline = ev.Proposals.Deadline.Add(59 * time.Second)
	}
	instant(pk+".response_date", p.ResponseDate, &ev.Proposals.ResponseDate, false)
	instant(pk+".programme_date", p.ProgrammeDate, &ev.Proposals.ProgrammeDate, false)
	if p.MinMinutes > 0 {
		ev.Proposals.MinMinutes = p.MinMinutes
	}
	if p.MaxMinutes > 0 {
		ev.Proposals.MaxMinutes = p.MaxMinutes
	}
	ev.Proposals.MaxPerPerson = p.MaxPerPerson
	if rt, err := time.Parse("15:04", p.ResponseTime); err == nil {
		ev.Proposals.ResponseTime = conference.ClockAt(rt.Hour(), rt.Minute())
	}
	ev.Proposals.NotifyImmediately = p.NotifyDecisions == NotifyImmediately
	if ev.Proposals.MinMinutes == 0 {
		ev.Proposals.MinMinutes = DefaultMinMinutes
	}
	if ev.Proposals.MaxMinutes == 0 {
		ev.Proposals.MaxMinutes = DefaultMaxMinutes
	}

	if ev.Title == "" {
		add(ek+".title", "required (here or in the post named by event.source)")
	}
	if ev.Start.IsZero() {
		add(ek+".start", "required (here or in the post named by event.source)")
	}
	if ev.End.IsZero() {
		add(ek+".end", "required (here or in the post named by event.source)")
	}
	if !ev.Start.IsZero() && !ev.End.IsZero() && !ev.End.After(ev.Start) {
		add(ek+".end", "must be after event.start")
	}
	pr := ev.Proposals
	if !pr.Deadline.IsZero() && !ev.Start.IsZero() && pr.Deadline.After(ev.Start) {
		add(pk+".deadline", "must be before the event starts")
	}
	if !pr.ResponseDate.IsZero() && !pr.Deadline.IsZero() && pr.ResponseDate.Before(pr.Deadline) {
		add(pk+".response_date", "must not be before the deadline")
	}
	if pr.MinMinutes > pr.MaxMinutes {
		add(pk+".max_minutes", "must not be below min_minutes (%d)", pr.MinMinutes)
	}
	return ev, ps
}

// faqKeys names the config key of each entry of a list of FAQ entries.
func faqKeys(prefix string, n int) []string {
	keys := make([]string, n)
	for j := range keys {
		keys[j] = fmt.Sprintf("%s[%d]", prefix, j)
	}
	return keys
}

func faqEntries(in []FAQEntry) []conference.FAQEntry {
	var out []conference.FAQEntry
	for _, e := range in {
		var qs []string
		for _, q := range e.Questions {
			if q = strings.TrimSpace(q); q != "" {
				qs = append(qs, q)
			}
		}
		out = append(out, conference.FAQEntry{Questions: qs, Answer: strings.TrimSpace(e.Answer), AnswerEN: strings.TrimSpace(e.AnswerEN)})
	}
	return out
}

func setString(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

// toTheMinute tells whether a local date and time is written without
// seconds ("2023-11-20 23:59").
func toTheMinute(s string) bool {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// ParseInstant reads RFC 3339, or a local date and time ("2023-12-06 09:00",
// "2023-12-06T09:00") or a date alone, in loc. A date alone means the start
// of that day, or its last second when endOfDay is set: a deadline written
// as a date is open all of that day.
func ParseInstant(s string, loc *time.Location, endOfDay bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	// RFC 3339, and the forms YAML tools write timestamps back in: a space
	// for the T, the offset after a space or none.
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 Z07:00", "2006-01-02T15:04Z07:00", "2006-01-02 15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.In(loc), nil
		}
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
