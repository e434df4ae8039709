// Package conference holds the model of an event the bot serves (dates, venue,
// registration, call for talks) and reads it from the posts the organisers
// publish on their site (Jekyll front matter plus a markdown body).
package conference

import "time"

// Conference is everything the bot may tell people about one event (the
// word "event" is left to Matrix events). Every value
// comes from a site post, from the configuration, or from both (the
// configuration wins).
type Conference struct {
	Title        string
	Description  string // short summary, markdown allowed
	Location     *time.Location
	Start, End   time.Time // in Location
	Venue        Venue
	Hours        string // as published, e.g. "9h-18h"
	DailyOpen    Clock  // parsed from Hours when possible
	DailyClose   Clock  // zero when Hours could not be parsed
	Registration Registration
	InfoURL      string
	Contact      string // e-mail address, without "mailto:"
	Proposals    CallForTalks
	// ProgrammeStatus is the programme section's status line as published
	// (e.g. "en cours de construction"); empty when the post has none.
	ProgrammeStatus string
	// FAQ are the questions the organisers answer themselves, beyond what
	// the post says (the cloakroom, the wifi…).
	FAQ []FAQEntry
}

// FAQEntry is one question the organisers answer themselves.
type FAQEntry struct {
	Questions []string // a few example phrasings, French and/or English
	Answer    string   // markdown
	AnswerEN  string   // optional English answer; Answer otherwise
}

// Venue is where the event takes place.
type Venue struct {
	Name      string
	Address   string
	Latitude  float64
	Longitude float64
	HasGeo    bool     // Latitude/Longitude are set
	Access    []string // one way to get there per line
}

// Registration says whether attending is free and/or needs a badge.
type Registration struct {
	Free     bool
	Required bool
	URL      string
}

// CallForTalks is the call for proposals and its milestones.
type CallForTalks struct {
	Deadline      time.Time // last instant a proposal is accepted (inclusive)
	ResponseDate  time.Time // when authors get an answer
	ProgrammeDate time.Time // when the programme is published
	MinMinutes    int
	MaxMinutes    int
	MaxPerPerson  int   // proposals one person may have at once (withdrawn ones do not count)
	ResponseTime  Clock // time of day decisions are told on ResponseDate
	// NotifyImmediately tells decisions as soon as they are taken instead of
	// holding them until ResponseDate.
	NotifyImmediately bool
}

// DecisionTime is when authors are told the decisions.
func (c CallForTalks) DecisionTime(loc *time.Location) time.Time {
	if c.ResponseDate.IsZero() {
		return time.Time{}
	}
	at := c.ResponseTime
	if !at.Set {
		at = ClockAt(9, 0)
	}
	return at.On(c.ResponseDate, loc)
}

// Clock is a time of day, in minutes after midnight; Set tells whether it was given.
type Clock struct {
	Minutes int
	Set     bool
}

// ClockAt returns a Clock for hour h and minute m.
func ClockAt(h, m int) Clock { return Clock{Minutes: h*60 + m, Set: true} }

// On returns the instant at this time of day on the day of t, in loc.
// It goes through time.Date so that a time of day stays right across DST.
func (c Clock) On(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), c.Minutes/60, c.Minutes%60, 0, 0, loc)
}

// Days returns midnight of each calendar day the event spans, in its time zone.
func (e *Conference) Days() []time.Time {
	if e.Location == nil || e.Start.IsZero() || e.End.IsZero() || e.End.Before(e.Start) {
		return nil
	}
	s, en := e.Start.In(e.Location), e.End.In(e.Location)
	var days []time.Time
	for d := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, e.Location); !d.After(en); d = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, e.Location) {
		days = append(days, d)
	}
	return days
}
