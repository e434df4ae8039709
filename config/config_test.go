package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func exampleConfig(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("../config.yaml.example")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// withPassword makes the example valid: it ships without secrets.
func withPassword(data []byte) []byte {
	return []byte(strings.Replace(string(data), `password: ""`, `password: "s3cret-password"`, 1))
}

func TestExampleConfigIsValid(t *testing.T) {
	cfg, ps := Parse(withPassword(exampleConfig(t)))
	if len(ps) > 0 {
		t.Fatalf("example config has problems:\n%v", ps)
	}
	cfg.Path = "../config.yaml.example"
	ev, eps := cfg.BuildEvent()
	if len(eps) > 0 {
		t.Fatalf("example event has problems:\n%v", eps)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	checks := []struct {
		name      string
		got, want any
	}{
		{"title", ev.Title, "La DINUM à l'Open Source Experience"},
		{"start", ev.Start, time.Date(2023, 12, 6, 9, 0, 0, 0, paris)},
		{"end", ev.End, time.Date(2023, 12, 7, 18, 0, 0, 0, paris)},
		{"venue", ev.Venue.Name, "Palais des Congrès"},
		{"address", ev.Venue.Address, "2 Place de la Porte Maillot – 75017 Paris"},
		{"access lines", len(ev.Venue.Access), 3},
		{"geo", ev.Venue.HasGeo, true},
		{"free", ev.Registration.Free, true},
		{"required", ev.Registration.Required, true},
		{"contact", ev.Contact, "contact@code.gouv.fr"},
		{"deadline", ev.Proposals.Deadline, time.Date(2023, 11, 20, 23, 59, 59, 0, paris)},
		{"response", ev.Proposals.ResponseDate, time.Date(2023, 11, 27, 0, 0, 0, 0, paris)},
		{"programme", ev.Proposals.ProgrammeDate, time.Date(2023, 12, 4, 0, 0, 0, 0, paris)},
		{"min", ev.Proposals.MinMinutes, 5},
		{"max", ev.Proposals.MaxMinutes, 20},
		{"open", ev.DailyOpen.Minutes, 9 * 60},
		{"close", ev.DailyClose.Minutes, 18 * 60},
		{"grace", time.Duration(cfg.Bot.OfflineGrace), 5 * time.Minute},
		{"answer mode", cfg.Bot.AnswerQuestions, AnswerMentions},
	}
	for _, c := range checks {
		if a, ok := c.got.(time.Time); ok {
			if !a.Equal(c.want.(time.Time)) {
				t.Errorf("%s: got %v, want %v", c.name, a, c.want)
			}
			continue
		}
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestProblemsNameKeyAndLine(t *testing.T) {
	base := `matrix:
  homeserver_url: https://matrix.example.org
  user_id: "@bot:example.org"
  password: long-enough
event:
  title: T
  start: 2023-12-06T09:00:00+01:00
  end: 2023-12-07T18:00:00+01:00
`
	tests := []struct {
		name    string
		yaml    string
		key     string
		line    int
		warning bool
	}{
		{"bad url", strings.Replace(base, "https://matrix.example.org", "matrix.example.org", 1), "matrix.homeserver_url", 2, false},
		{"bad user", strings.Replace(base, `"@bot:example.org"`, "bot", 1), "matrix.user_id", 3, false},
		{"no secret", strings.Replace(base, "  password: long-enough\n", "", 1), "matrix.password", 1, false},
		{"unknown key", base + "  colour: blue\n", "event.colour", 9, true},
		{"unknown section", base + "future:\n  thing: 1\n", "future", 9, true},
		{"bad language", base + "bot:\n  language: de\n", "bot.language", 10, false},
		{"bad mode", base + "bot:\n  answer_questions: sometimes\n", "bot.answer_questions", 10, false},
		{"bad grace", base + "bot:\n  offline_grace: soon\n", "bot.offline_grace", 10, false},
		{"type error", base + "proposals:\n  min_minutes: five\n", "proposals.min_minutes", 10, false},
		{"bad room", strings.Replace(base, "  password: long-enough\n", "  password: long-enough\n  rooms: [general]\n", 1), "matrix.rooms[0]", 5, false},
		{"bad timezone", base + "  timezone: Mars/Olympus\n", "event.timezone", 9, false},
		{"bad organiser", base + "bot:\n  organisers: [alice]\n", "bot.organisers[0]", 10, false},
		{"bad milestone", base + "reminders:\n  schedule:\n    - before: lunch\n      offset: 1d\n", "reminders.schedule[0].before", 11, false},
		{"bad offset", base + "reminders:\n  schedule:\n    - before: deadline\n      offset: soon\n", "reminders.schedule[0].offset", 12, false},
		{"at and before", base + "reminders:\n  schedule:\n    - text: hi\n", "reminders.schedule[0]", 11, false},
		{"reminder room not configured", base + "reminders:\n  schedule:\n    - at: 2023-11-19\n      text: hi\n      rooms: [\"#x:y\"]\n", "reminders.schedule[0].rooms[0]", 13, false},
		{"bad notify mode", base + "proposals:\n  notify_decisions: sometimes\n", "proposals.notify_decisions", 10, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvPassword, "")
			_, ps := Parse([]byte(tc.yaml))
			var found bool
			for _, p := range ps {
				if p.Key == tc.key {
					found = true
					if p.Line != tc.line {
						t.Errorf("line: got %d, want %d (%s)", p.Line, tc.line, p)
					}
					if p.Warning != tc.warning {
						t.Errorf("warning: got %v, want %v", p.Warning, tc.warning)
					}
				}
			}
			if !found {
				t.Errorf("no problem for %s; got:\n%v", tc.key, ps)
			}
		})
	}
}

func TestEventProblems(t *testing.T) {
	base := `matrix:
  homeserver_url: https://matrix.example.org
  user_id: "@bot:example.org"
  password: long-enough
event:
  title: T
  start: 2023-12-06T09:00:00+01:00
  end: 2023-12-07T18:00:00+01:00
`
	tests := []struct {
		name, yaml, key string
	}{
		{"bad date", strings.Replace(base, "2023-12-06T09:00:00+01:00", "6 décembre", 1), "event.start"},
		{"end before start", strings.Replace(base, "2023-12-07T18:00:00+01:00", "2023-12-05", 1), "event.end"},
		{"missing title", strings.Replace(base, "  title: T\n", "", 1), "event.title"},
		{"missing source", base + "  source: /nonexistent/post.md\n", "event.source"},
		{"deadline after start", base + "proposals:\n  deadline: 2023-12-10\n", "proposals.deadline"},
		{"bad hours", base + "  hours: all day\n", "event.hours"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, ps := Parse([]byte(tc.yaml))
			if len(ps.Errors()) > 0 {
				t.Fatalf("unexpected config errors: %v", ps)
			}
			_, eps := cfg.BuildEvent()
			for _, p := range eps {
				if p.Key == tc.key {
					if p.Line == 0 && !strings.HasPrefix(tc.name, "missing title") {
						t.Errorf("no line for %s", p)
					}
					return
				}
			}
			t.Errorf("no problem for %s; got %v", tc.key, eps)
		})
	}
}

func TestSecretsFromEnvironmentAndNeverPrinted(t *testing.T) {
	t.Setenv(EnvPassword, "env-password-123")
	cfg, ps := Parse([]byte("matrix:\n  homeserver_url: https://m.example.org\n  user_id: \"@b:example.org\"\nevent:\n  title: T\n  start: 2023-12-06\n  end: 2023-12-07\n"))
	if len(ps.Errors()) > 0 {
		t.Fatal(ps)
	}
	if cfg.Matrix.Password.Reveal() != "env-password-123" {
		t.Errorf("password from env: got %q", cfg.Matrix.Password.Reveal())
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, cfg.Matrix); strings.Contains(s, "env-password") {
			t.Errorf("secret printed by %s: %s", verb, s)
		}
	}
}

func TestEmptyAndBrokenFiles(t *testing.T) {
	for _, data := range []string{"", "matrix: [unclosed", "\t- nope: :"} {
		cfg, ps := Parse([]byte(data))
		if cfg != nil || len(ps) == 0 {
			t.Errorf("%q: want a problem and no config, got %v %v", data, cfg, ps)
		}
	}
}

func TestSourceRelativeToConfig(t *testing.T) {
	cfg := &Config{Path: filepath.Join("some", "dir", "config.yaml"), Event: Event{Source: "post.md"}}
	if got, want := cfg.SourcePath(), filepath.Join("some", "dir", "post.md"); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"5m", 5 * time.Minute, true},
		{"7d", 7 * 24 * time.Hour, true},
		{"1d12h", 36 * time.Hour, true},
		{"2h", 2 * time.Hour, true},
		{"d", 0, false},
		{"xd", 0, false},
		{"soon", 0, false},
	}
	for _, tc := range tests {
		got, err := ParseDuration(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%q: got %v, %v", tc.in, got, err)
		}
	}
}

func TestSeveralEvents(t *testing.T) {
	base := `matrix:
  homeserver_url: https://matrix.example.org
  user_id: "@bot:example.org"
  password: long-enough
  rooms: ["#a:example.org", "#b:example.org"]
reminders:
  catch_up: 3h
events:
  - id: printemps-2024
    title: Rencontre de printemps
    start: 2024-04-10 14:00
    end: 2024-04-10 18:00
    proposals:
      deadline: 2024-03-20
      max_minutes: 30
    rooms: ["#b:example.org"]
    reminders:
      schedule: []
  - id: ose2023
    source: ../examples/open-source-experience-2023.md
    proposals:
      deadline: 2023-11-20T23:59:59+01:00
`
	cfg, ps := Parse([]byte(base))
	if len(ps) > 0 {
		t.Fatalf("problems: %v", ps)
	}
	cfg.Path = "config.yaml"
	specs, eps := cfg.BuildEvents()
	if len(eps) > 0 {
		t.Fatalf("event problems: %v", eps)
	}
	if len(specs) != 2 || specs[0].ID != "ose2023" || specs[1].ID != "printemps-2024" {
		t.Fatalf("events not in start order: %+v", specs)
	}
	if specs[0].Event.Title != "La DINUM à l'Open Source Experience" || specs[0].Reminders.Schedule != nil || time.Duration(specs[0].Reminders.CatchUp) != 3*time.Hour {
		t.Errorf("ose2023: %+v", specs[0])
	}
	if s := specs[1]; s.Event.Proposals.MaxMinutes != 30 || s.Event.Proposals.MaxPerPerson != 0 && s.Event.Proposals.MaxPerPerson != DefaultMaxPerPerson ||
		s.Reminders.Schedule == nil || len(*s.Reminders.Schedule) != 0 || len(s.Rooms) != 1 {
		t.Errorf("printemps-2024: %+v", s)
	}

	tests := []struct {
		name, yaml, key string
	}{
		{"missing id", strings.Replace(base, "  - id: ose2023\n", "  - title: x\n", 1), "events[1].id"},
		{"bad id", strings.Replace(base, "id: ose2023", "id: OSE 2023", 1), "events[1].id"},
		{"duplicate id", strings.Replace(base, "id: ose2023", "id: printemps-2024", 1), "events[1].id"},
		{"both forms", base + "event:\n  title: T\n", "event"},
		{"room not configured", strings.Replace(base, `rooms: ["#b:example.org"]`, `rooms: ["#c:example.org"]`, 1), "events[0].rooms[0]"},
		{"bad proposals", strings.Replace(base, "max_minutes: 30", "max_minutes: 3\n      min_minutes: 10", 1), "events[0].proposals.max_minutes"},
	}
	for _, tc := range tests {
		_, ps := Parse([]byte(tc.yaml))
		found := false
		for _, p := range ps.Errors() {
			found = found || p.Key == tc.key
		}
		if !found {
			t.Errorf("%s: no problem for %s in %v", tc.name, tc.key, ps)
		}
	}
}

// Top-level FAQ entries belong to every event, an event's own to it alone,
// each with the key check-config names it by.
func TestFAQEntries(t *testing.T) {
	yaml := `matrix:
  homeserver_url: https://matrix.example.org
  user_id: "@bot:example.org"
  password: long-enough
faq:
  - questions: ["Y a-t-il un vestiaire ?", "  "]
    answer: "  Au **niveau 0**.  "
events:
  - id: a
    title: A
    start: 2024-04-10 14:00
    end: 2024-04-10 18:00
  - id: b
    title: B
    start: 2024-05-10 14:00
    end: 2024-05-10 18:00
    faq:
      - questions: ["Y a-t-il du wifi ?"]
        answer: Oui.
        answer_en: "Yes."
      - questions: []
        answer: ""
`
	cfg, ps := Parse([]byte(yaml))
	var keys []string
	for _, p := range ps.Errors() {
		keys = append(keys, p.Key)
	}
	if want := []string{"faq[0].questions[1]", "events[1].faq[1].answer", "events[1].faq[1].questions"}; !slices.Equal(keys, want) {
		t.Errorf("problems: got %v, want %v", keys, want)
	}
	specs, _ := cfg.BuildEvents()
	a, b := specs[0], specs[1]
	if len(a.Event.FAQ) != 1 || a.Event.FAQ[0].Answer != "Au **niveau 0**." || !slices.Equal(a.Event.FAQ[0].Questions, []string{"Y a-t-il un vestiaire ?"}) ||
		!slices.Equal(a.FAQKeys, []string{"faq[0]"}) {
		t.Errorf("event a: %+v, keys %v", a.Event.FAQ, a.FAQKeys)
	}
	if len(b.Event.FAQ) != 3 || b.Event.FAQ[1].AnswerEN != "Yes." || !slices.Equal(b.FAQKeys, []string{"faq[0]", "events[1].faq[0]", "events[1].faq[1]"}) {
		t.Errorf("event b: %+v, keys %v", b.Event.FAQ, b.FAQKeys)
	}
}

// A deadline holds for the whole day, minute or second it names.
func TestDeadlinePrecision(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	for _, tc := range []struct {
		written string
		want    time.Time
	}{
		{"2023-11-20", time.Date(2023, 11, 20, 23, 59, 59, 0, paris)},
		{"2023-11-20 23:59", time.Date(2023, 11, 20, 23, 59, 59, 0, paris)},
		{"2023-11-20T12:00", time.Date(2023, 11, 20, 12, 0, 59, 0, paris)},
		{"2023-11-20 23:59:30", time.Date(2023, 11, 20, 23, 59, 30, 0, paris)},
		{"2023-11-20T23:00:00+01:00", time.Date(2023, 11, 20, 23, 0, 0, 0, paris)},
	} {
		cfg, ps := Parse([]byte("matrix:\n  homeserver_url: https://matrix.example.org\n  user_id: \"@bot:example.org\"\n  password: long-enough\n" +
			"event:\n  title: Salon\n  start: 2023-12-06 09:00\n  end: 2023-12-07 18:00\nproposals:\n  deadline: \"" + tc.written + "\"\n"))
		if len(ps.Errors()) > 0 {
			t.Fatal(ps)
		}
		specs, eps := cfg.BuildEvents()
		if len(eps) > 0 {
			t.Fatal(eps)
		}
		if got := specs[0].Event.Proposals.Deadline; !got.Equal(tc.want) {
			t.Errorf("deadline %q = %s, want %s", tc.written, got, tc.want)
		}
	}
}

// A room in both matrix.rooms and bot.organiser_rooms is allowed, with a
// warning: proposal details show to everyone in it.
func TestRoomInBothLists(t *testing.T) {
	_, ps := Parse([]byte(`matrix:
  homeserver_url: https://matrix.example.org
  user_id: "@bot:example.org"
  password: long-enough
  rooms: ["#a:example.org", "#orga:example.org"]
bot:
  organiser_rooms: ["#orga:example.org"]
event:
  title: T
  start: 2024-04-10 14:00
  end: 2024-04-10 18:00
`))
	if len(ps.Errors()) > 0 || len(ps.Warnings()) != 1 || ps.Warnings()[0].Key != "bot.organiser_rooms[0]" ||
		!strings.Contains(ps.Warnings()[0].Message, "proposal details to everyone") {
		t.Errorf("problems: %v", ps)
	}
}

// Dates as people and YAML tools write them all read as the same instant.
func TestParseInstantForms(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Paris")
	want := time.Date(2023, 12, 6, 9, 0, 0, 0, loc)
	for _, s := range []string{
		"2023-12-06T09:00:00+01:00", "2023-12-06 09:00:00+01:00", "2023-12-06 09:00:00 +01:00",
		"2023-12-06 08:00:00Z", "2023-12-06T09:00+01:00", "2023-12-06 09:00", "2023-12-06T09:00:00", "2023-12-06 09:00:00.000+01:00",
	} {
		got, err := ParseInstant(s, loc, false)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseInstant(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	// The same, from a config file: YAML reads it as a timestamp.
	cfg, ps := Parse([]byte("event:\n  title: T\n  start: 2023-12-06 09:00:00+01:00\n  end: 2023-12-07 18:00:00+01:00\n"))
	if specs, eps := cfg.BuildEvents(); len(eps) > 0 || len(specs) != 1 || !specs[0].Event.Start.Equal(want) {
		t.Errorf("YAML timestamp: %v %v %v", specs, eps, ps.Errors())
	}
}
