package i18n

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func paris(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestFormats(t *testing.T) {
	loc := paris(t)
	deadline := time.Date(2023, 11, 20, 23, 59, 59, 0, loc)
	opening := time.Date(2023, 12, 6, 9, 0, 0, 0, loc)
	summer := time.Date(2023, 6, 1, 8, 30, 0, 0, loc)
	first := time.Date(2023, 12, 1, 0, 0, 0, 0, loc)
	fr, en := Get(FR), Get(EN)
	tests := []struct {
		name, got, want string
	}{
		{"fr deadline", fr.Deadline(deadline), "lundi 20 novembre 2023 à 23h59, heure de Paris (UTC+1)"},
		{"en deadline", en.Deadline(deadline), "Monday 20 November 2023 at 23:59, Paris time (UTC+1)"},
		{"fr deadline in summer time", fr.Deadline(summer), "jeudi 1er juin 2023 à 8h30, heure de Paris (UTC+2)"},
		{"fr date time", fr.DateTime(opening), "mercredi 6 décembre 2023, 9h"},
		{"en date time", en.DateTime(opening), "Wednesday 6 December 2023, 9:00"},
		{"fr first of month", fr.Date(first), "vendredi 1er décembre 2023"},
		{"fr when midnight is a day", fr.When(first), "vendredi 1er décembre 2023"},
		{"fr range same month", fr.Range(opening, time.Date(2023, 12, 7, 18, 0, 0, 0, loc)), "du mercredi 6 au jeudi 7 décembre 2023"},
		{"en range same month", en.Range(opening, time.Date(2023, 12, 7, 18, 0, 0, 0, loc)), "Wednesday 6 to Thursday 7 December 2023"},
		{"fr range across months", fr.Range(time.Date(2023, 11, 30, 9, 0, 0, 0, loc), opening), "du jeudi 30 novembre au mercredi 6 décembre 2023"},
		{"fr hours", fr.HoursRange(9*60, 18*60), "de 9h à 18h"},
		{"en hours", en.HoursRange(9*60+30, 18*60), "9:30 to 18:00"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestCountdown(t *testing.T) {
	loc := paris(t)
	now := time.Date(2023, 11, 13, 10, 0, 0, 0, loc)
	fr, en := Get(FR), Get(EN)
	tests := []struct {
		at     time.Time
		fr, en string
	}{
		{time.Date(2023, 11, 20, 23, 59, 59, 0, loc), "dans 7 jours", "in 7 days"},
		{time.Date(2023, 11, 14, 9, 0, 0, 0, loc), "demain", "tomorrow"},
		{time.Date(2023, 11, 13, 15, 30, 0, 0, loc), "aujourd'hui, dans 5 h", "today, in 5 h"},
		{time.Date(2023, 11, 13, 10, 20, 0, 0, loc), "dans 20 min", "in 20 min"},
		{time.Date(2023, 11, 13, 10, 0, 0, 0, loc), "passée", "passed"},
		{time.Date(2023, 11, 1, 0, 0, 0, 0, loc), "passée", "passed"},
		// Across the end of summer time, days are still calendar days.
		{time.Date(2023, 12, 6, 9, 0, 0, 0, loc), "dans 23 jours", "in 23 days"},
	}
	for _, tc := range tests {
		if got := fr.Countdown(now, tc.at, loc); got != tc.fr {
			t.Errorf("fr countdown to %s: got %q, want %q", tc.at, got, tc.fr)
		}
		if got := en.Countdown(now, tc.at, loc); got != tc.en {
			t.Errorf("en countdown to %s: got %q, want %q", tc.at, got, tc.en)
		}
	}
	// Calendar days across the DST change of 29 October 2023.
	before := time.Date(2023, 10, 28, 23, 30, 0, 0, loc)
	if got := fr.Countdown(before, time.Date(2023, 10, 30, 0, 30, 0, 0, loc), loc); got != "dans 2 jours" {
		t.Errorf("countdown across DST: got %q", got)
	}
}

// Every text exists in both languages, and both take the same arguments:
// a field left out of a catalogue would show an empty message, and a format
// verb missing in one language a "%!s(MISSING)" or an "EXTRA" to members.
// The walk goes down the embedded families, so a new family is checked as
// soon as Text embeds it.
func TestCataloguesComplete(t *testing.T) {
	check := func(name, a, b string) {
		if a == "" || b == "" {
			t.Errorf("%s: empty in %s", name, map[bool]string{true: "French", false: "English"}[a == ""])
			return
		}
		if va, vb := verbs(a), verbs(b); !slices.Equal(va, vb) {
			t.Errorf("%s: French takes %v, English %v", name, va, vb)
		}
	}
	// Two families declaring the same name would make t.Name ambiguous,
	// which the compiler only reports where the field is used.
	declared := map[string]string{}
	var walk func(family string, fr, en reflect.Value)
	walk = func(family string, fr, en reflect.Value) {
		for i := range fr.NumField() {
			f := fr.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			a, b := fr.Field(i), en.Field(i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct {
				walk(f.Name, a, b)
				continue
			}
			if other, ok := declared[f.Name]; ok {
				t.Errorf("%s: declared in both %s and %s", f.Name, other, family)
			}
			declared[f.Name] = family
			switch f.Type.Kind() {
			case reflect.String:
				if f.Name != "Lang" {
					check(f.Name, a.String(), b.String())
				}
			case reflect.Array, reflect.Slice:
				if a.Len() != b.Len() {
					t.Errorf("%s: %d in French, %d in English", f.Name, a.Len(), b.Len())
					continue
				}
				if a.Len() == 0 {
					t.Errorf("%s: empty in both languages", f.Name)
				}
				for j := range a.Len() {
					check(fmt.Sprintf("%s[%d]", f.Name, j), a.Index(j).String(), b.Index(j).String())
				}
			case reflect.Map:
				if a.Len() != b.Len() {
					t.Errorf("%s: %d entries in French, %d in English", f.Name, a.Len(), b.Len())
				}
				if a.Len() == 0 {
					t.Errorf("%s: empty in French", f.Name)
				}
				for _, k := range a.MapKeys() {
					name := fmt.Sprintf("%s[%v]", f.Name, k)
					if !b.MapIndex(k).IsValid() {
						t.Errorf("%s: missing in English", name)
						continue
					}
					check(name, a.MapIndex(k).String(), b.MapIndex(k).String())
				}
			default:
				t.Errorf("%s: a %s, which this test does not check", f.Name, f.Type)
			}
		}
	}
	walk("Text", reflect.ValueOf(french), reflect.ValueOf(english))
}

// formatVerb matches a fmt verb, with an explicit argument index if any.
var formatVerb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z]`)

// verbs lists the format verbs of s, sorted.
func verbs(s string) []string {
	vs := formatVerb.FindAllString(strings.ReplaceAll(s, "%%", ""), -1)
	slices.Sort(vs)
	return vs
}

// A count takes its noun in the right number: French puts 0 and 1 in the
// singular, English only 1.
func TestCount(t *testing.T) {
	tests := []struct {
		text *Text
		n    int
		want string
	}{
		{Get(FR), 0, "0 intervention"},
		{Get(FR), 1, "1 intervention"},
		{Get(FR), 2, "2 interventions"},
		{Get(EN), 0, "0 talks"},
		{Get(EN), 1, "1 talk"},
		{Get(EN), 12, "12 talks"},
	}
	for _, tc := range tests {
		if got := tc.text.Count(tc.n, tc.text.Talks); got != tc.want {
			t.Errorf("%s Count(%d) = %q, want %q", tc.text.Lang, tc.n, got, tc.want)
		}
	}
}
