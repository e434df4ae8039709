package conference

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // CI images do not always ship a zoneinfo database
)

func paris(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestReadPostSeed(t *testing.T) {
	loc := paris(t)
	p, err := ReadPostFile("../examples/open-source-experience-2023.md")
	if err != nil {
		t.Fatal(err)
	}
	e, err := p.Event(loc)
	if err != nil {
		t.Fatal(err)
	}
	if probs := p.Problems(); len(probs) != 0 {
		t.Errorf("Problems() = %q, want none", probs)
	}
	if !strings.HasPrefix(p.Body(), "**La mission logiciels libres**") {
		t.Errorf("Body() starts %q", p.Body()[:min(40, len(p.Body()))])
	}

	at := func(y int, m time.Month, d, h, mi, s int) time.Time { return time.Date(y, m, d, h, mi, s, 0, loc) }
	times := []struct {
		name      string
		got, want time.Time
	}{
		{"Start", e.Start, at(2023, 12, 6, 9, 0, 0)},
		{"End", e.End, at(2023, 12, 7, 18, 0, 0)},
		{"Deadline", e.Proposals.Deadline, at(2023, 11, 20, 23, 59, 59)},
		{"ResponseDate", e.Proposals.ResponseDate, at(2023, 11, 27, 0, 0, 0)},
		{"ProgrammeDate", e.Proposals.ProgrammeDate, at(2023, 12, 4, 0, 0, 0)},
	}
	for _, tt := range times {
		if !tt.got.Equal(tt.want) || tt.got.Location() != loc {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if _, off := e.Start.Zone(); off != 3600 {
		t.Errorf("Start offset = %d, want +01:00", off)
	}

	// Times are checked above; compare the rest as a whole so that a new
	// field mapped by mistake shows up.
	e.Start, e.End = time.Time{}, time.Time{}
	e.Proposals.Deadline, e.Proposals.ResponseDate, e.Proposals.ProgrammeDate = time.Time{}, time.Time{}, time.Time{}
	want := &Conference{
		Title:       "La DINUM à l'Open Source Experience",
		Description: "La mission logiciels libres de la DINUM sera présente au salon Open Source Experience du 6 au 7 décembre 2023 au palais des Congrès. Vous aurez l’occasion de découvrir ses objectifs et la communauté BlueHats qui interviendra lors de conférences sur un stand interministériel ! Sur ce stand vous retrouverez la DINUM, le [ministère de l'Intérieur et des Outre-Mer](https://www.interieur.gouv.fr/) et la [DGSE](https://www.dgse.gouv.fr/fr).",
		Location:    loc,
		Venue: Venue{
			Name:    "Palais des Congrès",
			Address: "2 Place de la Porte Maillot – 75017 Paris",
			Access: []string{
				"Métro Ligne 1, Station Porte Maillot – sortie 3",
				"RER Ligne C, Station Neuilly – Porte Maillot",
				"BUS Lignes 43, 73, 82, 244 PC",
			},
		},
		Hours:      "9h-18h",
		DailyOpen:  ClockAt(9, 0),
		DailyClose: ClockAt(18, 0),
		Registration: Registration{
			Free:     true,
			Required: true,
			URL:      "https://www.opensource-experience.com/creer-mon-badge/",
		},
		InfoURL:         "https://www.opensource-experience.com/",
		Contact:         "contact@code.gouv.fr",
		Proposals:       CallForTalks{MinMinutes: 5, MaxMinutes: 20},
		ProgrammeStatus: "en cours de construction",
	}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("Event() =\n%#v\nwant\n%#v", e, want)
	}
}

func TestReadPostCRLFAndBOM(t *testing.T) {
	data, err := os.ReadFile("../examples/open-source-experience-2023.md")
	if err != nil {
		t.Fatal(err)
	}
	crlf := append([]byte("\uFEFF"), bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))...)
	p, err := ReadPost(bytes.NewReader(crlf))
	if err != nil {
		t.Fatal(err)
	}
	e, err := p.Event(paris(t))
	if err != nil {
		t.Fatal(err)
	}
	if e.Title != "La DINUM à l'Open Source Experience" || len(e.Venue.Access) != 3 || e.ProgrammeStatus != "en cours de construction" {
		t.Errorf("CRLF post read as %#v", e)
	}
}

func TestReadPostErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantIs  error
		wantSub string
	}{
		{"empty", "", ErrNoFrontMatter, "no front matter"},
		{"plain markdown", "# Titre\n\nTexte.\n", ErrNoFrontMatter, "no front matter"},
		{"front matter not first", "\n---\ntitle: x\n---\n", ErrNoFrontMatter, "no front matter"},
		{"not closed", "---\ntitle: x\n\nbody\n", nil, "not closed"},
		{"malformed yaml", "---\ntitle: [x\n---\nbody\n", nil, "front matter"},
		{"wrong yaml shape", "---\n- a\n- b\n---\n", nil, "front matter"},
		{"list where text expected", "---\ntitle:\n  - a\n---\n", nil, "front matter"},
		// yaml.v3 v3.0.1 panics on this one instead of failing.
		{"yaml parser panic", "---\n{{},<<}\n---\n", nil, "front matter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadPost(strings.NewReader(tt.in))
			if err == nil {
				t.Fatal("ReadPost() succeeded, want error")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %q is not %q", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantSub) || !strings.HasPrefix(err.Error(), "read post: ") {
				t.Errorf("error %q, want %q in it, with context", err, tt.wantSub)
			}
		})
	}
}

func TestReadPostFileMissing(t *testing.T) {
	_, err := ReadPostFile("testdata/no-such-post.md")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error = %v, want ErrNotExist", err)
	}
}

func TestReadPostFileNoFrontMatter(t *testing.T) {
	path := t.TempDir() + "/plain.md"
	if err := os.WriteFile(path, []byte("# Titre\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadPostFile(path)
	if !errors.Is(err, ErrNoFrontMatter) || !strings.Contains(err.Error(), path) {
		t.Errorf("error = %v, want ErrNoFrontMatter naming %s", err, path)
	}
}

func TestReadPostTooLarge(t *testing.T) {
	in := "---\ntitle: x\n---\n" + strings.Repeat("a", maxPostSize)
	if _, err := ReadPost(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("error = %v, want size limit", err)
	}
}

func TestReadPostMinimal(t *testing.T) {
	for _, in := range []string{"---\n---\n", "---\n---", "---\n...\nbody"} {
		p, err := ReadPost(strings.NewReader(in))
		if err != nil {
			t.Fatalf("ReadPost(%q): %v", in, err)
		}
		e, err := p.Event(time.UTC)
		if err != nil {
			t.Fatalf("Event() for %q: %v", in, err)
		}
		if !e.Start.IsZero() || e.Title != "" || e.Venue.Access != nil {
			t.Errorf("empty post %q gave %#v", in, e)
		}
	}
}

func TestPostDates(t *testing.T) {
	loc := paris(t)
	tests := []struct {
		name             string
		start, end       string
		wantStart        time.Time
		wantEnd          time.Time
		wantErr          string // field named in the error
		wantProblemsPart string
	}{
		{
			name: "jekyll format", start: "2023-12-06 09:00:00 +01:00", end: "2023-12-07 18:00:00 +01:00",
			wantStart: time.Date(2023, 12, 6, 9, 0, 0, 0, loc), wantEnd: time.Date(2023, 12, 7, 18, 0, 0, 0, loc),
		},
		{
			name: "offset without colon", start: "2023-12-06 09:00:00 +0100",
			wantStart: time.Date(2023, 12, 6, 9, 0, 0, 0, loc),
		},
		{
			name: "rfc 3339 in another zone is converted", start: "2023-12-06T08:00:00Z", end: "2023-12-07T18:00:00+01:00",
			wantStart: time.Date(2023, 12, 6, 9, 0, 0, 0, loc), wantEnd: time.Date(2023, 12, 7, 18, 0, 0, 0, loc),
		},
		{
			name: "bare dates cover whole days", start: "2024-06-12", end: "2024-06-13",
			wantStart: time.Date(2024, 6, 12, 0, 0, 0, 0, loc), wantEnd: time.Date(2024, 6, 13, 23, 59, 59, 0, loc),
		},
		{
			name: "no zone means the event's zone", start: "2024-06-12 09:30:00",
			wantStart: time.Date(2024, 6, 12, 9, 30, 0, 0, loc),
		},
		{name: "missing dates stay zero"},
		{name: "bad start", start: "6 décembre 2023", wantErr: "event_start_date"},
		{name: "bad end", start: "2023-12-06", end: "2023-13-07", wantErr: "event_end_date"},
		{
			name: "end before start is only a problem", start: "2023-12-07", end: "2023-12-06",
			wantStart: time.Date(2023, 12, 7, 0, 0, 0, 0, loc), wantEnd: time.Date(2023, 12, 6, 23, 59, 59, 0, loc),
			wantProblemsPart: "before event_start_date",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Post{StartDate: tt.start, EndDate: tt.end}
			e, err := p.Event(loc)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Event() error = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !e.Start.Equal(tt.wantStart) || !e.End.Equal(tt.wantEnd) {
				t.Errorf("Start, End = %v, %v; want %v, %v", e.Start, e.End, tt.wantStart, tt.wantEnd)
			}
			if !e.Start.IsZero() && e.Start.Location() != loc {
				t.Errorf("Start in %v, want %v", e.Start.Location(), loc)
			}
			probs := strings.Join(p.Problems(), "\n")
			if (tt.wantProblemsPart == "") != (probs == "") || !strings.Contains(probs, tt.wantProblemsPart) {
				t.Errorf("Problems() = %q, want %q", probs, tt.wantProblemsPart)
			}
		})
	}
}

func TestEventNilLocation(t *testing.T) {
	if _, err := (&Post{}).Event(nil); err == nil {
		t.Error("Event(nil) succeeded")
	}
}

func TestParseHours(t *testing.T) {
	tests := []struct {
		in          string
		open, close Clock
		ok          bool
	}{
		{"9h-18h", ClockAt(9, 0), ClockAt(18, 0), true},
		{"9h30 - 18h", ClockAt(9, 30), ClockAt(18, 0), true},
		{"09:00-18:00", ClockAt(9, 0), ClockAt(18, 0), true},
		{"9h–18h", ClockAt(9, 0), ClockAt(18, 0), true},
		{"9h — 17h30", ClockAt(9, 0), ClockAt(17, 30), true},
		{"De 9h à 18h", ClockAt(9, 0), ClockAt(18, 0), true},
		{"9 h 00 - 18 h 00", ClockAt(9, 0), ClockAt(18, 0), true},
		{"9H-18H", ClockAt(9, 0), ClockAt(18, 0), true},
		{"9-18h", ClockAt(9, 0), ClockAt(18, 0), true},
		{"18h-24h", ClockAt(18, 0), ClockAt(24, 0), true},
		{" 10h\u00a0-\u00a016h. ", ClockAt(10, 0), ClockAt(16, 0), true},
		{"18h-9h", Clock{}, Clock{}, false},
		{"25h-26h", Clock{}, Clock{}, false},
		{"9h60-18h", Clock{}, Clock{}, false},
		{"9h-18h, 17h le jeudi", Clock{}, Clock{}, false},
		{"toute la journée", Clock{}, Clock{}, false},
		{"9-18", Clock{}, Clock{}, false},
		{"", Clock{}, Clock{}, false},
	}
	for _, tt := range tests {
		open, closing, ok := parseHours(tt.in)
		if open != tt.open || closing != tt.close || ok != tt.ok {
			t.Errorf("parseHours(%q) = %v, %v, %v; want %v, %v, %v", tt.in, open, closing, ok, tt.open, tt.close, tt.ok)
		}
	}
}

func TestSplitAccess(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{
			"Métro Ligne 1, Station Porte Maillot – sortie 3. RER Ligne C, Station Neuilly – Porte Maillot. BUS Lignes 43, 73, 82, 244 PC",
			[]string{"Métro Ligne 1, Station Porte Maillot – sortie 3", "RER Ligne C, Station Neuilly – Porte Maillot", "BUS Lignes 43, 73, 82, 244 PC"},
		},
		{"Métro 14\nRER A\n\n", []string{"Métro 14", "RER A"}},
		{"- Métro 14.\n- Tram T3a.", []string{"Métro 14", "Tram T3a"}},
		{"Métro 4<br>Vélib'<br />Bus 38", []string{"Métro 4", "Vélib'", "Bus 38"}},
		{"Métro 7, station St. Lazare. Bus 21", []string{"Métro 7, station St. Lazare", "Bus 21"}},
		{"Métro 1. Éole depuis la gare", []string{"Métro 1", "Éole depuis la gare"}},
		{"Bus 5 min. à pied", []string{"Bus 5 min. à pied"}},
		{"v1.2 du plan. Voir site", []string{"v1.2 du plan", "Voir site"}},
		{"", nil},
		{" . ", nil},
	}
	for _, tt := range tests {
		if got := splitAccess(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitAccess(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseTerms(t *testing.T) {
	tests := []struct {
		in                 string
		free, required, ok bool
	}{
		{"Gratuit, inscription obligatoire", true, true, true},
		{"c'est libre et gratuit", true, false, true},
		{"GRATUIT", true, false, true},
		{"Inscription obligatoire", false, true, true},
		{"Gratuit, sur inscription", true, true, true},
		{"Entrée libre, sans inscription", true, false, true},
		{"Gratuit, inscription non obligatoire", true, false, true},
		{"Payant, inscription obligatoire", false, true, true},
		{"Voir le site", false, false, false},
	}
	for _, tt := range tests {
		free, required, ok := parseTerms(tt.in)
		if free != tt.free || required != tt.required || ok != tt.ok {
			t.Errorf("parseTerms(%q) = %v, %v, %v; want %v, %v, %v", tt.in, free, required, ok, tt.free, tt.required, tt.ok)
		}
	}
}

func TestInfoLabels(t *testing.T) {
	p := &Post{Infos: []InfoField{
		{Label: "HORAIRES :", Content: "10h-17h"},
		{Label: "horaires", Content: "9h-18h"}, // a second box must not win
		{Label: "Comment y aller?", Content: "Métro 14"},
		{Label: "Modalites", Content: "Gratuit"},
		{Label: "Inscriptions", Content: "https://example.org/badge"},
		{Label: "Plus d’informations", Content: "Site", Link: " https://example.org/ "},
		{Label: "Tarif", Content: "0 €"},
		{Label: "Horaires du stand", Content: "toute la journée"},
	}}
	e, err := p.Event(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if e.Hours != "10h-17h" || e.DailyOpen != ClockAt(10, 0) || e.DailyClose != ClockAt(17, 0) {
		t.Errorf("hours = %q %v %v", e.Hours, e.DailyOpen, e.DailyClose)
	}
	if !reflect.DeepEqual(e.Venue.Access, []string{"Métro 14"}) {
		t.Errorf("Access = %q", e.Venue.Access)
	}
	wantReg := Registration{Free: true, URL: "https://example.org/badge"}
	if e.Registration != wantReg {
		t.Errorf("Registration = %+v, want %+v", e.Registration, wantReg)
	}
	if e.InfoURL != "https://example.org/" {
		t.Errorf("InfoURL = %q", e.InfoURL)
	}
	probs := strings.Join(p.Problems(), "\n")
	for _, want := range []string{`"horaires" given more than once`, `"Tarif"`, `"Horaires du stand"`} {
		if !strings.Contains(probs, want) {
			t.Errorf("Problems() = %q, want mention of %s", probs, want)
		}
	}
}

func TestInfoProblems(t *testing.T) {
	p := &Post{Infos: []InfoField{
		{Label: "Horaires", Content: "le matin"},
		{Label: "Modalités", Content: "voir le site"},
	}}
	e, err := p.Event(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if e.Hours != "le matin" || e.DailyOpen.Set || e.DailyClose.Set {
		t.Errorf("unparseable hours gave %q %v %v", e.Hours, e.DailyOpen, e.DailyClose)
	}
	probs := p.Problems()
	if len(probs) != 2 || !strings.Contains(probs[0], `"le matin"`) || !strings.Contains(probs[1], `"voir le site"`) {
		t.Errorf("Problems() = %q", probs)
	}
}

func TestBodyCallForTalks(t *testing.T) {
	loc := paris(t)
	at := func(y int, m time.Month, d, h, mi, s int) time.Time { return time.Date(y, m, d, h, mi, s, 0, loc) }
	const seedStart = "2023-12-06 09:00:00 +01:00"
	tests := []struct {
		name                          string
		start, body                   string
		deadline, response, programme time.Time
		minMinutes, maxMinutes        int
		wantProblem                   string
	}{
		{
			name:       "seed wording",
			start:      seedStart,
			body:       "Envoyez vos propositions d'interventions de 5 à 20 minutes d'ici le 20 novembre 23h59. L’équipe vous répondra le 27 novembre et publiera le programme stabilisé le 4 décembre.",
			deadline:   at(2023, 11, 20, 23, 59, 59),
			response:   at(2023, 11, 27, 0, 0, 0),
			programme:  at(2023, 12, 4, 0, 0, 0),
			minMinutes: 5, maxMinutes: 20,
		},
		{
			name:     "no accents, 1er, deadline day only",
			start:    seedStart,
			body:     "Envoyez vos propositions jusqu'au 1er decembre. Nous vous repondrons le 2 decembre.",
			deadline: at(2023, 12, 1, 23, 59, 59),
			response: at(2023, 12, 2, 0, 0, 0),
		},
		{
			name:     "hour without minutes, typographic apostrophe, emphasis, link",
			start:    seedStart,
			body:     "Soumettez votre [sujet](https://x.example/cfp) d’ici le **mercredi 8 novembre à 12h**.",
			deadline: at(2023, 11, 8, 12, 0, 59),
		},
		{
			name:     "midnight written as 24h",
			start:    seedStart,
			body:     "Propositions d'ici le 20 novembre 24h.",
			deadline: at(2023, 11, 20, 23, 59, 59),
		},
		{
			name:      "year rollover for a January event",
			start:     "2024-01-15 09:00:00 +01:00",
			body:      "Appel à propositions : date limite le 20 décembre à 18:00.\n\nRéponses le 5 janvier. Le programme sera publié le 10 janvier.",
			deadline:  at(2023, 12, 20, 18, 0, 59),
			response:  at(2024, 1, 5, 0, 0, 0),
			programme: at(2024, 1, 10, 0, 0, 0),
		},
		{
			name:     "same day as the start is not a year earlier",
			start:    "2024-01-15",
			body:     "Candidatures d'ici le 15 janvier 8h.",
			deadline: at(2024, 1, 15, 8, 0, 59),
		},
		{
			name:     "explicit year wins",
			start:    seedStart,
			body:     "Propositions au plus tard le 20 décembre 2022.",
			deadline: at(2022, 12, 20, 23, 59, 59),
		},
		{
			name:     "29 February in a leap year",
			start:    "2024-03-10",
			body:     "Propositions d'ici le 29 février.",
			deadline: at(2024, 2, 29, 23, 59, 59),
		},
		{
			name:        "29 February in a common year",
			start:       "2023-03-10",
			body:        "Propositions d'ici le 29 février.",
			wantProblem: "no such day",
		},
		{
			name:        "31 November",
			start:       seedStart,
			body:        "Propositions d'ici le 31 novembre.",
			wantProblem: "no such day",
		},
		{
			name:        "no start to tell the year",
			body:        "Propositions d'ici le 20 novembre.",
			wantProblem: "no event start date",
		},
		{
			name:        "impossible time",
			start:       seedStart,
			body:        "Propositions d'ici le 20 novembre 23h75.",
			wantProblem: "no such time",
		},
		{
			name:  "registration deadline is not the call's",
			start: seedStart,
			body:  "Inscrivez-vous au salon d'ici le 5 décembre.",
		},
		{
			name:       "minutes as a range with entre",
			start:      seedStart,
			body:       "Les interventions durent entre 10 et 30 min.",
			minMinutes: 10, maxMinutes: 30,
		},
		{
			name:       "minutes as a maximum",
			start:      seedStart,
			body:       "Des présentations d'au plus 15 minutes.",
			maxMinutes: 15,
		},
		{
			name:       "single length",
			start:      seedStart,
			body:       "Nous cherchons des interventions de 20 minutes.",
			minMinutes: 20, maxMinutes: 20,
		},
		{
			name:  "walking minutes are not talk lengths",
			start: seedStart,
			body:  "Le salon est de 5 à 10 minutes à pied du métro.",
		},
		{
			name:        "reversed range",
			start:       seedStart,
			body:        "Propositions de 30 à 5 minutes.",
			wantProblem: "makes no sense",
		},
		{
			name:      "deadline and answer split across a wrapped paragraph",
			start:     seedStart,
			body:      "Envoyez vos propositions d'ici le 20\nnovembre.\nL'équipe vous répondra\nle 27 novembre.",
			deadline:  at(2023, 11, 20, 23, 59, 59),
			response:  at(2023, 11, 27, 0, 0, 0),
			programme: time.Time{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Post{StartDate: tt.start, body: tt.body}
			e, err := p.Event(loc)
			if err != nil {
				t.Fatal(err)
			}
			c := e.Proposals
			for _, d := range []struct {
				what      string
				got, want time.Time
			}{{"Deadline", c.Deadline, tt.deadline}, {"ResponseDate", c.ResponseDate, tt.response}, {"ProgrammeDate", c.ProgrammeDate, tt.programme}} {
				if !d.got.Equal(d.want) {
					t.Errorf("%s = %v, want %v", d.what, d.got, d.want)
				}
			}
			if c.MinMinutes != tt.minMinutes || c.MaxMinutes != tt.maxMinutes {
				t.Errorf("minutes = %d..%d, want %d..%d", c.MinMinutes, c.MaxMinutes, tt.minMinutes, tt.maxMinutes)
			}
			probs := strings.Join(p.Problems(), "\n")
			if (tt.wantProblem == "") != (probs == "") || !strings.Contains(probs, tt.wantProblem) {
				t.Errorf("Problems() = %q, want %q", probs, tt.wantProblem)
			}
		})
	}
}

func TestBodyContactAndStatus(t *testing.T) {
	tests := []struct {
		name, body, contact, status string
	}{
		{"seed link", "Envoyez à [contact@code.gouv.fr](contact@code.gouv.fr) vos idées.", "contact@code.gouv.fr", ""},
		{"mailto link", "Écrivez à [l'équipe](mailto:Bluehats.Team@example.org).", "Bluehats.Team@example.org", ""},
		{"first address wins", "a@example.org puis b@example.org.", "a@example.org", ""},
		{"no address", "Rien @ voir.", "", ""},
		{"status", "## Programme des conférences\n*[en cours de construction]*\n", "", "en cours de construction"},
		{"status after blank line, underscores", "### Le programme\n\n_à venir_\n", "", "à venir"},
		{"status as bold link", "## PROGRAMME\n**[Programme complet](https://x.example/p)**", "", "Programme complet"},
		{"no status line", "## Programme\nMatin : ouverture.\n", "", ""},
		{"heading right after", "## Programme\n## Infos\n*x*", "", ""},
		{"programme mentioned outside a heading", "Le programme :\n*bientôt*", "", ""},
		{"programme heading at the end", "## Programme", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := (&Post{body: tt.body}).Event(time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			if e.Contact != tt.contact || e.ProgrammeStatus != tt.status {
				t.Errorf("Contact, ProgrammeStatus = %q, %q; want %q, %q", e.Contact, e.ProgrammeStatus, tt.contact, tt.status)
			}
		})
	}
}

func FuzzReadPost(f *testing.F) {
	seed, err := os.ReadFile("../examples/open-source-experience-2023.md")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(""))
	f.Add([]byte("---"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\r\ntitle: x\r\n---\r\n"))
	f.Add([]byte("---\ntitle: [x\n---\n"))
	f.Add([]byte("---\nevent_start_date: 2024-02-29\nchamps_informations:\n- intitule: Horaires\n  contenu: 24h-0h\n- intitule: Comment y aller ?\n  contenu: \". A. . B\"\n---\n## Programme\n*[]*\nPropositions d'ici le 1er février 24h, de 999 à 0 minutes.\n"))
	f.Add([]byte("---\na: &a [*a]\n---\n"))
	f.Add([]byte("---\n{title: x, <<: {lieu: y}, champs_informations: [{intitule: Horaires, contenu: 9h-18h}]}\n---\n"))
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadPost(bytes.NewReader(data))
		if err != nil {
			return
		}
		probs := p.Problems()
		e, err := p.Event(loc)
		if err != nil {
			return
		}
		if e.DailyOpen.Set != e.DailyClose.Set || (e.DailyOpen.Set && e.DailyOpen.Minutes >= e.DailyClose.Minutes) {
			t.Errorf("inconsistent hours %v-%v from %q", e.DailyOpen, e.DailyClose, e.Hours)
		}
		if c := e.Proposals; c.MinMinutes > c.MaxMinutes {
			t.Errorf("talk length %d..%d", c.MinMinutes, c.MaxMinutes)
		}
		for _, a := range e.Venue.Access {
			if strings.TrimSpace(a) == "" {
				t.Errorf("blank access line in %q", e.Venue.Access)
			}
		}
		// Problems must not depend on the zone Event was asked for.
		if again := p.Problems(); !reflect.DeepEqual(again, probs) {
			t.Errorf("Problems() changed: %q then %q", probs, again)
		}
	})
}
