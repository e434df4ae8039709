package bot_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/rs/zerolog"

	"github.com/bluehats/bluehats-bot/internal/bottest"
	"github.com/bluehats/bluehats-bot/internal/browsertest"
	"github.com/bluehats/bluehats-bot/web"
)

// The programme page as a member sees it, in a real headless Chromium:
// before publication, when it will be out and how to propose; then the
// talks published on Dendrite in order, the one on now (rehearsal clock)
// marked, no console error, English with ?lang=en; a screenshot of each is
// kept in test-artifacts/.
func TestProgrammePageInABrowser(t *testing.T) {
	orga, room, cfg := organiserRoom(t)
	cfg.HTTP.Public, cfg.HTTP.PublicURL = true, "https://bot.example.org"

	// Before publication, the page says when the programme is out.
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	orga.WaitJoined(room, b.UserID)
	ctx := browsertest.Browser(t)
	early, err := web.Start("127.0.0.1:0", b.Bot, b.Bot, true, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+early.Addr()+"/"), chromedp.WaitVisible(".fr-callout")); err != nil {
		t.Fatal(err)
	}
	notice, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.fr-callout').textContent`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Le programme sera publié le lundi 4 décembre 2023", "tapez !proposer dans le salon Matrix", "contact@code.gouv.fr"} {
		if !strings.Contains(notice, want) {
			t.Errorf("before publication, the page lacks %q: %q", want, notice)
		}
	}
	if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		browsertest.SaveArtifact(t, "programme-before-fr.png", shot)
	}
	_ = early.Close()

	// Build and publish the programme before the deadline...
	runSteps(t, orga, b.UserID, []step{
		{"!proposer 15 Libérer le code | Retour d'expérience de la DINUM", "Proposition n°1"},
		{"!proposer 20 GitLab à l'échelle | Comment nous hébergeons nos dépôts", "Proposition n°2"},
		{"!accepter 1", "acceptée"},
		{"!accepter 2", "acceptée"},
		{"!planifier 2 2023-12-06 15:00", "programmée"},
		{"!planifier 1 2023-12-06 14:30", "programmée"},
		{"!publier", "Programme publié"},
	})
	b.Stop()
	// ...and look at it during the first talk.
	b = bottest.Start(t, cfg, "2023-12-06T14:35:00+01:00")
	srv, err := web.Start("127.0.0.1:0", b.Bot, b.Bot, true, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	var problems []string
	var mu sync.Mutex
	listen := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *cdpruntime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		case *cdpruntime.EventConsoleAPICalled:
			if ev.Type == cdpruntime.ConsoleAPICalledTypeError {
				problems = append(problems, "console.error")
			}
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				problems = append(problems, ev.Entry.Text+" "+ev.Entry.URL)
			}
		}
	})
	if listen != nil {
		t.Fatal(listen)
	}
	for _, lang := range []string{"fr", "en"} {
		url := "http://" + srv.Addr() + "/programme"
		if lang == "en" {
			url += "?lang=en"
		}
		if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible("main h1")); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		eval := func(script string) any {
			t.Helper()
			v, err := chromedp.Run(ctx, chromedp.Evaluate[any](script))
			if err != nil {
				t.Fatalf("%s: %s: %v", lang, script, err)
			}
			return v
		}
		var titles []string
		for _, v := range eval(`Array.from(document.querySelectorAll('li.bh-talk h3')).map(e => e.textContent)`).([]any) {
			titles = append(titles, v.(string))
		}
		current := eval(`(document.querySelector('li.bh-talk[aria-current="true"] h3') || {}).textContent || ''`).(string)
		htmlLang := eval(`document.documentElement.lang`).(string)
		subtitle := eval(`document.querySelector('.fr-header__service-tagline').textContent`).(string)
		h1s := int(eval(`document.querySelectorAll('h1').length`).(float64))
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("%s: screenshot: %v", lang, err)
		}
		if want := []string{"Libérer le code", "GitLab à l'échelle"}; !slices.Equal(titles, want) {
			t.Errorf("%s: talks in the page %q, want %q", lang, titles, want)
		}
		if current != "Libérer le code" {
			t.Errorf("%s: the talk marked current is %q, want the one at 14h30", lang, current)
		}
		if htmlLang != lang || h1s != 1 {
			t.Errorf("%s: <html lang=%q>, %d h1", lang, htmlLang, h1s)
		}
		wantSub := map[string]string{"fr": "Les interventions sur le stand", "en": "The talks at the stand"}[lang]
		if subtitle != wantSub {
			t.Errorf("%s: subtitle %q, want %q", lang, subtitle, wantSub)
		}
		browsertest.SaveArtifact(t, "programme-"+lang+".png", shot)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("console errors: %q", problems)
	}
}
