package web_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"
	"github.com/rs/zerolog"

	"github.com/bluehats/bluehats-bot/internal/browsertest"
	"github.com/bluehats/bluehats-bot/web"
)

// fakeProgramme serves one page, branded or not; the rest of the server is
// not under test here.
type fakeProgramme struct{ branded bool }

func (fakeProgramme) Check(context.Context) error                   { return nil }
func (fakeProgramme) ProgrammeICS(context.Context) ([]byte, error)  { return nil, nil }
func (fakeProgramme) ProgrammeJSON(context.Context) ([]byte, error) { return nil, nil }

func (f fakeProgramme) ProgrammePage(_ context.Context, lang string) (*web.Page, error) {
	return &web.Page{
		Lang: lang, OtherLang: "en", Title: "BlueHats à l'Open Source Experience", Subtitle: "Les interventions sur le stand",
		Published: true,
		Days: []web.Day{{Label: "Mercredi 6 décembre 2023", Talks: []web.Talk{{
			ID: 1, Start: "14h30", End: "14h45", StartISO: "2023-12-06T14:30:00+01:00", Minutes: "15 min",
			Title: "Libérer le code", Speakers: "Camille", Abstract: "Retour d'expérience.",
		}}}},
		Venue:         web.Venue{Name: "Palais des Congrès", Address: "2 Place de la Porte Maillot, 75017 Paris"},
		RegisterURL:   "https://www.opensource-experience.com/creer-mon-badge/",
		CalendarURL:   "/programme.ics",
		StateBranding: f.branded,
		Text: web.PageText{Skip: "Aller au programme", VenueTitle: "Le lieu", Register: "S'inscrire au salon",
			Calendar: "Ajouter à mon agenda", Footer: "Programme publié par le bot."},
	}, nil
}

// With http.state_branding, the page carries the State's logo block and
// the Marianne font, whose files must load; without it, neither: Marianne
// is reserved to State services, and a community's page must not borrow
// it. Both are looked at in a real Chromium, the branded one kept as a
// screenshot.
func TestStateBrandingInABrowser(t *testing.T) {
	ctx := browsertest.Browser(t)
	var failed []string
	var mu sync.Mutex
	if err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*log.EventEntryAdded); ok && ev.Entry.Level == log.EntryLevelError {
			mu.Lock()
			failed = append(failed, ev.Entry.Text+" "+ev.Entry.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	for _, branded := range []bool{true, false} {
		srv, err := web.Start("127.0.0.1:0", fakeProgramme{}, fakeProgramme{branded: branded}, true, zerolog.Nop())
		if err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate("http://"+srv.Addr()+"/programme"), chromedp.WaitVisible("main h1")); err != nil {
			t.Fatal(err)
		}
		// Font files load lazily: wait until the page's fonts are settled.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
			t.Fatal(err)
		}
		logo, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('.fr-logo') || {}).innerText || ''`))
		if err != nil {
			t.Fatal(err)
		}
		font, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('main h1')).fontFamily`))
		if err != nil {
			t.Fatal(err)
		}
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`Array.from(document.fonts).some(f => f.family.replace(/"/g, '') === 'Marianne' && f.status === 'loaded')`))
		if err != nil {
			t.Fatal(err)
		}
		fetched, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`performance.getEntriesByType('resource').some(e => e.name.includes('Marianne'))`))
		if err != nil {
			t.Fatal(err)
		}
		if branded {
			// innerText is what shows: the DSFR sets the block in capitals.
			if !strings.EqualFold(strings.Join(strings.Fields(logo), " "), "République Française") {
				t.Errorf("branded: logo block %q, want République Française", logo)
			}
			if !strings.HasPrefix(font, "Marianne") || !loaded {
				t.Errorf("branded: title in %q, Marianne loaded: %v", font, loaded)
			}
		} else if logo != "" || strings.Contains(font, "Marianne") || fetched {
			t.Errorf("not branded: logo %q, title in %q, Marianne fetched: %v", logo, font, fetched)
		}
		if branded {
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			browsertest.SaveArtifact(t, "programme-state-branding.png", shot)
		}
		_ = srv.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	if len(failed) > 0 {
		t.Errorf("the browser logged errors (a file that did not load?): %q", failed)
	}
}
