package web

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
)

// Page is what the programme page shows, in one language; the bot fills it.
type Page struct {
	Lang          string // fr or en
	OtherLang     string // the other one, for the switch
	Title         string
	Subtitle      string
	Published     bool
	Days          []Day
	Notice        []string // before publication: when, and how to propose
	Venue         Venue
	RegisterURL   string
	CalendarURL   string
	StateBranding bool
	Text          PageText
}

// Day is one day of the programme.
type Day struct {
	Label string
	Talks []Talk
}

// Talk is one talk of the programme.
type Talk struct {
	ID                 int64
	Start, End         string // clock times, as the language writes them
	StartISO           string // for <time datetime>
	Minutes            string // "15 min"
	Title, Speakers    string
	Abstract           string
	Current            bool // on now, by the calendar clock
	CurrentLabel       string
	StartUnix, EndUnix int64
}

// Venue is where the event is.
type Venue struct {
	Name, Address string
	Access        []string
	MapURL        string // OpenStreetMap, when the venue has coordinates
}

// PageText holds the page's fixed words in its language.
type PageText struct {
	Skip, VenueTitle, Access, Map, Register, Calendar, OtherLangLabel, Footer, NoTalks string
}

// Pages builds the programme page in a language ("fr" or "en").
type Pages interface {
	ProgrammePage(ctx context.Context, lang string) (*Page, error)
}

//go:embed page.html.tmpl
var pageTemplate string

//go:embed assets
var assets embed.FS

var page = template.Must(template.New("programme").Parse(pageTemplate))

// servePage serves the programme page in the language asked (?lang=) or
// preferred by the browser, French by default.
func servePage(pages Pages, onError func(error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := pages.ProgrammePage(r.Context(), pageLang(r))
		if err != nil {
			onError(err)
			http.Error(w, "unavailable", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Language", p.Lang)
		w.Header().Set("Vary", "Accept-Language")
		if err := page.Execute(w, p); err != nil {
			onError(err)
		}
	}
}

// pageLang reads ?lang=fr|en, else the first of fr and en in
// Accept-Language by preference, else fr.
func pageLang(r *http.Request) string {
	switch q := r.URL.Query().Get("lang"); q {
	case "fr", "en":
		return q
	}
	best, bestQ := "fr", -1.0
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		lang, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if lang != "fr" && lang != "en" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best
}

// assetFiles serves the embedded DSFR files.
func assetFiles() http.Handler {
	sub, _ := fs.Sub(assets, "assets")
	return http.StripPrefix("/assets/", http.FileServer(http.FS(sub)))
}
