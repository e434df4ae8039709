// Package calendar writes the event and its published programme as an
// iCalendar file (RFC 5545) that calendar applications import in one tap:
// the event's days with the venue and its coordinates, then each talk as its
// own event. UIDs are stable, so importing a newer file updates the
// entries instead of duplicating them.
package calendar

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/conference"
	"github.com/bluehats/bluehats-bot/storage"
)

// localFormat is a DATE-TIME in the event's zone, referenced by TZID.
const localFormat = "20060102T150405"

// Names shows a speaker.
type Names func(id.UserID) string

// Build writes the calendar: one VEVENT per day of the event, and, when
// the programme is published, one per scheduled talk. domain makes the
// UIDs globally unique (the bot's server name).
func Build(ev *conference.Conference, talks []*storage.Proposal, names Names, domain string, now time.Time) ([]byte, error) {
	if ev.Location == nil {
		return nil, fmt.Errorf("build calendar: the event has no time zone")
	}
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//BlueHats//bluehats-bot//FR")
	cal.SetName(ev.Title)
	cal.SetXWRCalName(ev.Title)
	cal.SetXWRTimezone(ev.Location.String())
	addTimezone(cal, ev.Location, ev.Start.In(ev.Location).Year())
	tzid := ics.WithTZID(ev.Location.String())
	slug := uidSlug(ev)

	location := ev.Venue.Name
	if ev.Venue.Address != "" {
		location = strings.TrimPrefix(location+", "+ev.Venue.Address, ", ")
	}
	for i, day := range ev.Days() {
		start, end := ev.Start.In(ev.Location), ev.End.In(ev.Location)
		if ev.DailyOpen.Set && ev.DailyClose.Set {
			start, end = ev.DailyOpen.On(day, ev.Location), ev.DailyClose.On(day, ev.Location)
		}
		e := cal.AddEvent(fmt.Sprintf("%s-day-%d@%s", slug, i+1, domain))
		e.SetDtStampTime(now)
		e.SetProperty(ics.ComponentPropertyDtStart, start.Format(localFormat), tzid)
		e.SetProperty(ics.ComponentPropertyDtEnd, end.Format(localFormat), tzid)
		e.SetSummary(ev.Title)
		e.SetDescription(description(ev))
		if location != "" {
			e.SetLocation(location)
		}
		if ev.Venue.HasGeo {
			e.SetGeo(ev.Venue.Latitude, ev.Venue.Longitude)
		}
		if url := firstNonEmpty(ev.Registration.URL, ev.InfoURL); url != "" {
			e.SetURL(url)
		}
	}
	for _, p := range talks {
		if !p.Scheduled() {
			continue
		}
		start := p.SlotStart.In(ev.Location)
		e := cal.AddEvent(fmt.Sprintf("%s-talk-%d@%s", slug, p.ID, domain))
		e.SetDtStampTime(now)
		e.SetProperty(ics.ComponentPropertyDtStart, start.Format(localFormat), tzid)
		e.SetProperty(ics.ComponentPropertyDtEnd, start.Add(time.Duration(p.Minutes)*time.Minute).Format(localFormat), tzid)
		speaker := p.Speakers
		if p.Author != "" {
			speaker = strings.TrimSuffix(names(p.Author)+", "+p.Speakers, ", ")
		}
		e.SetSummary(fmt.Sprintf("%s — %s", p.Title, speaker))
		e.SetDescription(fmt.Sprintf("%s (%d min)\n%s", speaker, p.Minutes, ev.Title))
		if location != "" {
			e.SetLocation(location)
		}
		if ev.Venue.HasGeo {
			e.SetGeo(ev.Venue.Latitude, ev.Venue.Longitude)
		}
	}
	var buf bytes.Buffer
	if err := cal.SerializeTo(&buf); err != nil {
		return nil, fmt.Errorf("build calendar: %w", err)
	}
	return buf.Bytes(), nil
}

func description(ev *conference.Conference) string {
	var lines []string
	if ev.Description != "" {
		lines = append(lines, ev.Description)
	}
	if ev.Registration.URL != "" {
		lines = append(lines, "Inscription : "+ev.Registration.URL)
	}
	for _, a := range ev.Venue.Access {
		lines = append(lines, a)
	}
	if ev.Contact != "" {
		lines = append(lines, "Contact : "+ev.Contact)
	}
	return strings.Join(lines, "\n")
}

// uidSlug names the event in UIDs from what does not change: its start.
func uidSlug(ev *conference.Conference) string {
	return "bluehats-" + ev.Start.In(ev.Location).Format("20060102")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// addTimezone writes a VTIMEZONE for loc, from Go's zone data: the
// offsets of the given year and, if it has summer time, the yearly rules
// of its two changes, so that calendar applications convert exactly.
func addTimezone(cal *ics.Calendar, loc *time.Location, year int) {
	tz := cal.AddTimezone(loc.String())
	jan := time.Date(year, 1, 1, 12, 0, 0, 0, loc)
	jul := time.Date(year, 7, 1, 12, 0, 0, 0, loc)
	janName, janOff := jan.Zone()
	julName, julOff := jul.Zone()
	if janOff == julOff {
		std := tz.AddStandard()
		std.AddProperty(ics.ComponentPropertyDtStart, "19700101T000000")
		std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), offset(janOff))
		std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), offset(janOff))
		std.AddProperty(ics.ComponentProperty(ics.PropertyTzname), janName)
		return
	}
	// The change into the second half of the year's offset, and back.
	toJul := transition(time.Date(year, 1, 1, 12, 0, 0, 0, loc), jul)
	toJan := transition(jul, time.Date(year, 12, 31, 12, 0, 0, 0, loc))
	add := func(c *ics.ComponentBase, at time.Time, from, to int, name string) {
		// DTSTART is the rule's first occurrence (in 1970, by custom), at
		// the local wall time just before the change.
		local := at.Add(time.Duration(from) * time.Second).UTC()
		first := ruleDay(1970, at.In(loc))
		c.AddProperty(ics.ComponentPropertyDtStart, first.Format("20060102")+"T"+local.Format("150405"))
		c.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), offset(from))
		c.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), offset(to))
		c.AddProperty(ics.ComponentProperty(ics.PropertyTzname), name)
		c.AddProperty(ics.ComponentPropertyRrule, rrule(at.In(loc)))
	}
	summerName, summerOff, winterName, winterOff := julName, julOff, janName, janOff
	toSummer, toWinter := toJul, toJan
	if julOff < janOff { // southern hemisphere
		summerName, summerOff, winterName, winterOff = janName, janOff, julName, julOff
		toSummer, toWinter = toJan, toJul
	}
	daylight := &ics.Daylight{}
	add(&daylight.ComponentBase, toSummer, winterOff, summerOff, summerName)
	tz.Components = append(tz.Components, daylight)
	std := tz.AddStandard()
	add(&std.ComponentBase, toWinter, summerOff, winterOff, winterName)
}

// transition finds the instant the offset changes between two times.
func transition(a, b time.Time) time.Time {
	_, offA := a.Zone()
	for b.Sub(a) > time.Second {
		mid := a.Add(b.Sub(a) / 2)
		if _, off := mid.Zone(); off == offA {
			a = mid
		} else {
			b = mid
		}
	}
	return b.Truncate(time.Second)
}

// rrule says which Sunday of its month a change falls on: the last one
// (-1SU) or the n-th.
func rrule(t time.Time) string {
	day := fmt.Sprintf("%dSU", (t.Day()-1)/7+1)
	if t.AddDate(0, 0, 7).Month() != t.Month() {
		day = "-1SU"
	}
	if t.Weekday() != time.Sunday {
		// Not a Sunday rule: state the date itself.
		return fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYMONTHDAY=%d", t.Month(), t.Day())
	}
	return fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%s", t.Month(), day)
}

// ruleDay is the day in year that follows the same rule as t: the same
// n-th (or last) Sunday of its month, or the same date.
func ruleDay(year int, t time.Time) time.Time {
	if t.Weekday() != time.Sunday {
		return time.Date(year, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	first := time.Date(year, t.Month(), 1, 0, 0, 0, 0, time.UTC)
	sunday := first.AddDate(0, 0, (7-int(first.Weekday()))%7)
	if t.AddDate(0, 0, 7).Month() != t.Month() { // the last Sunday
		for sunday.AddDate(0, 0, 7).Month() == t.Month() {
			sunday = sunday.AddDate(0, 0, 7)
		}
		return sunday
	}
	return sunday.AddDate(0, 0, 7*((t.Day()-1)/7))
}

func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	return fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
}
