package calendar

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	_ "time/tzdata"

	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/conference"
	"github.com/bluehats/bluehats-bot/storage"
)

func seed(t *testing.T) *conference.Conference {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return &conference.Conference{
		Title: "La DINUM à l'Open Source Experience", Location: loc,
		Start: time.Date(2023, 12, 6, 9, 0, 0, 0, loc), End: time.Date(2023, 12, 7, 18, 0, 0, 0, loc),
		DailyOpen: conference.ClockAt(9, 0), DailyClose: conference.ClockAt(18, 0),
		Venue: conference.Venue{Name: "Palais des Congrès", Address: "2 Place de la Porte Maillot – 75017 Paris",
			Latitude: 48.8785, Longitude: 2.2831, HasGeo: true, Access: []string{"Métro Ligne 1"}},
		Registration: conference.Registration{Free: true, Required: true, URL: "https://www.opensource-experience.com/creer-mon-badge/"},
		Contact:      "contact@code.gouv.fr",
	}
}

func names(u id.UserID) string { return "Alice Martin" }

// The file parses back: the zone with its two yearly changes, both days
// with the venue and its coordinates, each talk, with stable UIDs.
func TestRoundTrip(t *testing.T) {
	ev := seed(t)
	talks := []*storage.Proposal{
		{ID: 7, Author: "@alice:x", Minutes: 15, Title: "Libérer le code", State: storage.StateAccepted, SlotStart: time.Date(2023, 12, 6, 14, 30, 0, 0, ev.Location)},
		{ID: 8, Author: "@bob:x", Minutes: 10, Title: "Pas programmée", State: storage.StateAccepted},
	}
	now := time.Date(2023, 12, 4, 9, 0, 0, 0, time.UTC)
	data, err := Build(ev, talks, names, "bluehats.example.org", now)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("does not parse back: %v\n%s", err, data)
	}
	events := cal.Events()
	if len(events) != 3 {
		t.Fatalf("got %d events, want 2 days and 1 talk:\n%s", len(events), data)
	}
	wants := []struct {
		uid, start, end, summary string
	}{
		{"bluehats-20231206-day-1@bluehats.example.org", "20231206T090000", "20231206T180000", "La DINUM à l'Open Source Experience"},
		{"bluehats-20231206-day-2@bluehats.example.org", "20231207T090000", "20231207T180000", "La DINUM à l'Open Source Experience"},
		{"bluehats-20231206-talk-7@bluehats.example.org", "20231206T143000", "20231206T144500", "Libérer le code — Alice Martin"},
	}
	for i, w := range wants {
		e := events[i]
		prop := func(p ics.ComponentProperty) *ics.IANAProperty { return e.GetProperty(p) }
		if e.Id() != w.uid || prop(ics.ComponentPropertyDtStart).Value != w.start || prop(ics.ComponentPropertyDtEnd).Value != w.end ||
			prop(ics.ComponentPropertySummary).Value != w.summary {
			t.Errorf("event %d: uid %s start %s end %s summary %q", i, e.Id(), prop(ics.ComponentPropertyDtStart).Value, prop(ics.ComponentPropertyDtEnd).Value, prop(ics.ComponentPropertySummary).Value)
		}
		if tz := prop(ics.ComponentPropertyDtStart).ICalParameters["TZID"]; len(tz) != 1 || tz[0] != "Europe/Paris" {
			t.Errorf("event %d: TZID %v", i, tz)
		}
		if geo := prop(ics.ComponentPropertyGeo); geo == nil || geo.Value != "48.8785;2.2831" {
			t.Errorf("event %d: geo %v", i, geo)
		}
	}
	if url := events[0].GetProperty(ics.ComponentPropertyUrl); url == nil || !strings.Contains(url.Value, "creer-mon-badge") {
		t.Errorf("registration link: %v", url)
	}
	// The zone: summer time from the last Sunday of March at 2:00, winter
	// time from the last Sunday of October at 3:00.
	text := string(data)
	for _, want := range []string{"BEGIN:VTIMEZONE", "TZID:Europe/Paris", "BEGIN:DAYLIGHT", "DTSTART:19700329T020000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
		"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "BEGIN:STANDARD", "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q", want)
		}
	}
	// Same input, same UIDs: re-importing updates rather than duplicates.
	again, _ := Build(ev, talks, names, "bluehats.example.org", now.Add(time.Hour))
	cal2, _ := ics.ParseCalendar(bytes.NewReader(again))
	for i, e := range cal2.Events() {
		if e.Id() != events[i].Id() {
			t.Errorf("UID changed: %s then %s", events[i].Id(), e.Id())
		}
	}
}

func TestZoneWithoutSummerTime(t *testing.T) {
	ev := seed(t)
	ev.Location = time.UTC
	data, err := Build(ev, nil, names, "x", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "DAYLIGHT") || !strings.Contains(string(data), "TZOFFSETTO:+0000") {
		t.Errorf("UTC zone:\n%s", data)
	}
}
