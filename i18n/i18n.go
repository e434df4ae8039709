// Package i18n holds every text the bot shows people, one catalogue per
// language, and the date formatting that goes with each language.
//
// The texts are split by command family, one file each (info.go,
// proposals.go, review.go...), and each file holds its family's fields
// with the French and the English values side by side: whoever changes a
// command finds all its words in one place, and a text added in one
// language sits next to the place its translation goes. One field per line
// keeps concurrent edits to different texts from touching the same lines.
// fr.go and en.go only assemble the families with each language's date
// formatting.
//
// French is the reference; English mirrors it field for field, and a test
// checks that no text is missing in either and that both take the same
// format arguments.
package i18n

import (
	"fmt"
	"strings"
	"time"
)

// Lang is a language the bot speaks.
type Lang string

// Languages the bot speaks.
const (
	FR Lang = "fr"
	EN Lang = "en"
)

// Get returns the catalogue for a language, French when unknown.
func Get(l Lang) *Text {
	if l == EN {
		return &english
	}
	return &french
}

// Text is one language's catalogue. Fields holding a format take the
// arguments named in their comment, in that order, or else those of the
// French text. The families are embedded so that their fields read as the
// catalogue's own (t.CardWhen), wherever they are declared; a field name
// must therefore be unique across families.
type Text struct {
	Lang Lang

	weekdays   [7]string  // Sunday first, as time.Weekday
	months     [12]string // January first
	dayOrdinal func(day int) string
	clock      func(h, m int) string
	timeZone   func(city, offset string) string // "heure de Paris (UTC+1)"
	at         string                           // joins a date and a time in deadlines
	rangeFmt   func(from, to string) string     // "du X au Y"
	hoursFmt   func(from, to string) string     // "de 9h à 18h"

	InfoText
	QuestionText
	ProposalText
	ReviewText
	ProgrammeText
	ReminderText
	PrivacyText
	EventDayText
	WebText
	CommonText
}

// Count writes n with its noun in the right number: "1 intervention",
// "3 interventions".
func (t *Text) Count(n int, noun [2]string) string {
	if n == 1 || (t.Lang == FR && n == 0) {
		return fmt.Sprintf("%d %s", n, noun[0])
	}
	return fmt.Sprintf("%d %s", n, noun[1])
}

// Date formats a day: "mercredi 6 décembre 2023" / "Wednesday 6 December 2023".
func (t *Text) Date(tm time.Time) string {
	return fmt.Sprintf("%s %s %s %d", t.weekdays[tm.Weekday()], t.dayOrdinal(tm.Day()), t.months[tm.Month()-1], tm.Year())
}

// DayMonth formats a day without its year: "mercredi 6 décembre".
func (t *Text) DayMonth(tm time.Time) string {
	return fmt.Sprintf("%s %s %s", t.weekdays[tm.Weekday()], t.dayOrdinal(tm.Day()), t.months[tm.Month()-1])
}

// Clock formats a time of day: "9h", "23h59" / "9:00", "23:59".
func (t *Text) Clock(tm time.Time) string { return t.clock(tm.Hour(), tm.Minute()) }

// ClockMinutes formats minutes after midnight.
func (t *Text) ClockMinutes(m int) string { return t.clock(m/60, m%60) }

// DateTime formats a day and time: "mercredi 6 décembre 2023, 9h".
func (t *Text) DateTime(tm time.Time) string { return t.Date(tm) + ", " + t.Clock(tm) }

// When formats an instant as a date alone when it is midnight (a day), with
// its time otherwise.
func (t *Text) When(tm time.Time) string {
	if tm.Hour() == 0 && tm.Minute() == 0 {
		return t.Date(tm)
	}
	return t.DateTime(tm)
}

// Deadline states a deadline without ambiguity: day, time to the minute,
// the zone and its UTC offset, because "midnight" and bare times get misread.
// tm must already be in the event's zone.
func (t *Text) Deadline(tm time.Time) string {
	return fmt.Sprintf("%s %s %s, %s", t.Date(tm), t.at, t.Clock(tm), t.timeZone(zoneCity(tm.Location()), UTCOffset(tm)))
}

// Range formats the span of an event: "du mercredi 6 au jeudi 7 décembre 2023".
func (t *Text) Range(from, to time.Time) string {
	if from.Year() == to.Year() && from.YearDay() == to.YearDay() {
		return t.Date(from)
	}
	if from.Year() == to.Year() && from.Month() == to.Month() {
		return t.rangeFmt(t.weekdays[from.Weekday()]+" "+t.dayOrdinal(from.Day()), t.Date(to))
	}
	if from.Year() == to.Year() {
		return t.rangeFmt(t.DayMonth(from), t.Date(to))
	}
	return t.rangeFmt(t.Date(from), t.Date(to))
}

// HoursRange formats opening hours: "de 9h à 18h" / "9:00 to 18:00".
func (t *Text) HoursRange(open, close int) string {
	return t.hoursFmt(t.ClockMinutes(open), t.ClockMinutes(close))
}

// Countdown says how far an instant is from now: "dans 3 jours", "demain",
// "passée". Days are counted in calendar days of loc, which is what people
// mean by "in 3 days".
func (t *Text) Countdown(now, at time.Time, loc *time.Location) string {
	if !at.After(now) {
		return t.Past
	}
	d := at.Sub(now)
	n, a := now.In(loc), at.In(loc)
	days := int(time.Date(a.Year(), a.Month(), a.Day(), 12, 0, 0, 0, loc).Sub(time.Date(n.Year(), n.Month(), n.Day(), 12, 0, 0, 0, loc)).Round(24*time.Hour) / (24 * time.Hour))
	switch {
	case days == 0 && d < time.Hour:
		return fmt.Sprintf(t.TodayInMinute, max(1, int(d.Minutes())))
	case days == 0:
		return fmt.Sprintf(t.TodayInHours, int(d.Hours()))
	case days == 1:
		return t.Tomorrow
	default:
		return fmt.Sprintf(t.InDays, days)
	}
}

// UTCOffset formats the zone offset at an instant: "UTC+1", "UTC+5:30".
func UTCOffset(tm time.Time) string {
	_, off := tm.Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	h, m := off/3600, off%3600/60
	if m != 0 {
		return fmt.Sprintf("UTC%s%d:%02d", sign, h, m)
	}
	return fmt.Sprintf("UTC%s%d", sign, h)
}

// zoneCity names a zone by its city ("Europe/Paris" → "Paris").
func zoneCity(loc *time.Location) string {
	name := loc.String()
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return strings.ReplaceAll(name, "_", " ")
}
