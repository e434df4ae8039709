package commands

import (
	"context"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix/format"

	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/event"
	"github.com/bluehats/bluehats-bot/i18n"
)

func seedEvent(t testing.TB) *event.Event {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	post, err := event.ReadPostFile("../examples/open-source-experience-2023.md")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := post.Event(loc)
	if err != nil {
		t.Fatal(err)
	}
	ev.Venue.Latitude, ev.Venue.Longitude, ev.Venue.HasGeo = 48.8785, 2.2831, true
	return ev
}

func newRouter(t testing.TB, now time.Time) *Router {
	return NewRouter(&Env{Event: seedEvent(t), Clock: clock.NewFake(now), Prefix: "!", DefaultLang: i18n.FR})
}

func rehearsal() time.Time {
	loc, _ := time.LoadLocation("Europe/Paris")
	return time.Date(2023, 11, 13, 10, 0, 0, 0, loc)
}

func handle(t *testing.T, r *Router, in Input) (*Reply, Outcome) {
	t.Helper()
	reply, out, err := r.Handle(context.Background(), in, nil)
	if err != nil {
		t.Fatalf("%q: %v", in.Body, err)
	}
	return reply, out
}

func body(r *Reply) string {
	var parts []string
	for _, p := range r.Parts {
		if p.Markdown != "" {
			parts = append(parts, p.Markdown)
		}
	}
	return strings.Join(parts, "\n---\n")
}

func TestCommandRouting(t *testing.T) {
	r := newRouter(t, rehearsal())
	tests := []struct {
		body    string
		direct  bool
		command string
		lang    i18n.Lang
		kind    string
		wants   []string
	}{
		{"!salon", false, "salon", i18n.FR, "command", []string{"du mercredi 6 au jeudi 7 décembre 2023, de 9h à 18h"}},
		{"!event", false, "salon", i18n.EN, "command", []string{"Wednesday 6 to Thursday 7 December 2023, 9:00 to 18:00", "**When**: "}},
		{"!Événement", false, "salon", i18n.FR, "command", []string{"**Quand** : "}},
		{"!evenement", false, "salon", i18n.FR, "command", nil},
		{"  !lieu  ", false, "lieu", i18n.FR, "command", []string{"Comment y aller ?"}},
		{"!acces", false, "lieu", i18n.FR, "command", nil},
		{"!contact", false, "contact", i18n.FR, "command", []string{"contact@code.gouv.fr"}},
		{"!deadlines", false, "dates", i18n.EN, "command", []string{"in 7 days"}},
		{"!?", false, "aide", i18n.FR, "command", []string{"Ce que je sais faire"}},
		{"!horaires demain", false, "horaires", i18n.FR, "command", []string{"ne prend pas d'argument"}},
		{"!hours now", false, "horaires", i18n.EN, "command", []string{"takes no argument"}},
		{"!saloon", false, "", i18n.FR, "unknown", []string{"Vouliez-vous dire `!salon`"}},
		{"!shedule", false, "", i18n.EN, "unknown", []string{"Did you mean `!schedule`"}},
		{"!ban @x:y", true, "", i18n.FR, "unknown", []string{"Je ne connais pas la commande `!ban`"}},
		{"!ban @x:y", false, "", "", "ignored", nil},
		{"! salon", false, "", "", "ignored", nil},
		{"!!!", false, "", "", "ignored", nil},
		{"!", false, "", "", "ignored", nil},
		{"bonjour", false, "", "", "ignored", nil},
	}
	for _, tc := range tests {
		t.Run(tc.body, func(t *testing.T) {
			reply, out := handle(t, r, Input{Sender: "@u:x", Room: "!r:x", Body: tc.body, Direct: tc.direct})
			if out.Kind != tc.kind || out.Command != tc.command || out.Lang != tc.lang {
				t.Errorf("outcome: got %+v, want kind=%s command=%s lang=%s", out, tc.kind, tc.command, tc.lang)
			}
			if tc.kind == "ignored" {
				if reply != nil {
					t.Errorf("ignored message got a reply: %s", body(reply))
				}
				return
			}
			for _, w := range tc.wants {
				if !strings.Contains(body(reply), w) {
					t.Errorf("missing %q in:\n%s", w, body(reply))
				}
			}
		})
	}
}

func TestQuestionsFollowTheirLanguage(t *testing.T) {
	r := newRouter(t, rehearsal())
	tests := []struct {
		q       string
		command string
		lang    i18n.Lang
		want    string
	}{
		{"où a lieu le salon ?", "lieu", i18n.FR, "Comment y aller ?"},
		{"OU A LIEU LE SALON", "lieu", i18n.FR, "Palais des Congrès"},
		{"comment venir ?", "lieu", i18n.FR, "Métro Ligne 1"},
		{"c'est payant ?", "inscription", i18n.FR, "**gratuite**"},
		{"à quelle heure ça ouvre ?", "horaires", i18n.FR, "de 9h à 18h"},
		{"quand est la date limite ?", "dates", i18n.FR, "lundi 20 novembre 2023 à 23h59, heure de Paris (UTC+1)"},
		{"where is the fair?", "lieu", i18n.EN, "Getting there"},
		{"is it free?", "inscription", i18n.EN, "Entry is **free**"},
		{"when is the deadline?", "dates", i18n.EN, "Monday 20 November 2023 at 23:59, Paris time (UTC+1)"},
	}
	for _, tc := range tests {
		reply, out := handle(t, r, Input{Body: tc.q, Question: true})
		if out.Command != tc.command || out.Lang != tc.lang || out.Kind != "question" {
			t.Errorf("%q: outcome %+v, want command %s in %s", tc.q, out, tc.command, tc.lang)
			continue
		}
		if !strings.Contains(body(reply), tc.want) {
			t.Errorf("%q: missing %q in:\n%s", tc.q, tc.want, body(reply))
		}
	}
}

func TestUnmatchedQuestionSaysWhatItCanAnswer(t *testing.T) {
	r := newRouter(t, rehearsal())
	for _, tc := range []struct {
		q, want string
	}{
		{"quel temps fera-t-il demain ?", "Je ne suis pas sûr d'avoir compris"},
		{"what is the capital of France?", "I'm not sure I understood"},
	} {
		reply, out := handle(t, r, Input{Body: tc.q, Question: true})
		if out.Kind != "unmatched" || !strings.Contains(body(reply), tc.want) {
			t.Errorf("%q: got %+v %q", tc.q, out, body(reply))
		}
	}
	// Not a question for the bot: no answer at all.
	if reply, _ := handle(t, r, Input{Body: "où a lieu le salon ?"}); reply != nil {
		t.Errorf("answered a question not addressed to the bot")
	}
}

func TestVenueReplyHasMap(t *testing.T) {
	r := newRouter(t, rehearsal())
	reply, _ := handle(t, r, Input{Body: "!lieu"})
	if len(reply.Parts) != 2 || reply.Parts[1].Location == nil {
		t.Fatalf("want text then location, got %+v", reply.Parts)
	}
	if got := reply.Parts[1].Location.GeoURI; got != "geo:48.8785,2.2831" {
		t.Errorf("geo URI: %q", got)
	}
	for _, line := range []string{"- Métro Ligne 1, Station Porte Maillot – sortie 3", "- RER Ligne C, Station Neuilly – Porte Maillot", "- BUS Lignes 43, 73, 82, 244 PC"} {
		if !strings.Contains(reply.Parts[0].Markdown, line) {
			t.Errorf("missing access line %q", line)
		}
	}
}

func TestDatesCountdownAndOngoing(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Paris")
	tests := []struct {
		now   time.Time
		wants []string
	}{
		{time.Date(2023, 11, 20, 23, 59, 0, 0, loc), []string{"23h59, heure de Paris (UTC+1) — dans 1 min"}},
		{time.Date(2023, 11, 21, 0, 0, 0, 0, loc), []string{"23h59, heure de Paris (UTC+1) — passée", "lundi 27 novembre 2023 — dans 6 jours"}},
		{time.Date(2023, 12, 6, 11, 0, 0, 0, loc), []string{"Journée 1 du salon** : mercredi 6 décembre 2023, 9h — en cours", "Journée 2 du salon** : jeudi 7 décembre 2023, 9h — demain"}},
		{time.Date(2023, 12, 8, 11, 0, 0, 0, loc), []string{"Journée 2 du salon** : jeudi 7 décembre 2023, 9h — passée"}},
	}
	for _, tc := range tests {
		reply, _ := handle(t, newRouter(t, tc.now), Input{Body: "!dates"})
		for _, w := range tc.wants {
			if !strings.Contains(body(reply), w) {
				t.Errorf("at %s: missing %q in:\n%s", tc.now, w, body(reply))
			}
		}
	}
}

func TestHoursSaysWhetherOpenNow(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Paris")
	tests := []struct {
		now  time.Time
		want string
	}{
		{time.Date(2023, 12, 6, 10, 0, 0, 0, loc), "ouvert en ce moment, jusqu'à 18h"},
		{time.Date(2023, 12, 6, 19, 0, 0, 0, loc), "fermé en ce moment"},
		{time.Date(2023, 12, 8, 10, 0, 0, 0, loc), "terminé"},
	}
	for _, tc := range tests {
		reply, _ := handle(t, newRouter(t, tc.now), Input{Body: "!horaires"})
		if !strings.Contains(body(reply), tc.want) {
			t.Errorf("at %s: missing %q in %s", tc.now, tc.want, body(reply))
		}
	}
}

func TestProgrammeBeforeAndAfterItsDate(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Paris")
	reply, _ := handle(t, newRouter(t, rehearsal()), Input{Body: "!programme"})
	for _, w := range []string{"en cours de construction", "lundi 4 décembre 2023 (dans 21 jours)", "de 5 à 20 minutes avant le lundi 20 novembre 2023 à 23h59"} {
		if !strings.Contains(body(reply), w) {
			t.Errorf("missing %q in %s", w, body(reply))
		}
	}
	late, _ := handle(t, newRouter(t, time.Date(2023, 12, 5, 9, 0, 0, 0, loc)), Input{Body: "!programme"})
	if !strings.Contains(body(late), "annoncé pour le lundi 4 décembre 2023") || strings.Contains(body(late), "Proposez") {
		t.Errorf("after the programme date and the deadline: %s", body(late))
	}
}

// Help lists every command a user may run, with its help line, in both
// languages; organiser commands only for organisers.
func TestHelpListsEveryCommand(t *testing.T) {
	r := newRouter(t, rehearsal())
	for _, organiser := range []bool{false, true} {
		for _, lang := range []string{"!aide", "!help"} {
			reply, _ := handle(t, r, Input{Body: lang, Organiser: organiser})
			for _, s := range r.Specs() {
				listed := strings.Contains(body(reply), "`!"+s.Name+"`")
				if want := s.Role == Anyone || organiser; listed != want {
					t.Errorf("%s (organiser %v): %s listed %v, want %v", lang, organiser, s.Name, listed, want)
				}
			}
			if strings.Contains(body(reply), "— \n") {
				t.Errorf("%s has an empty help line:\n%s", lang, body(reply))
			}
		}
	}
}

// What a user typed and is echoed back cannot become markup.
func TestUserTextIsEscaped(t *testing.T) {
	r := newRouter(t, rehearsal())
	reply, _ := handle(t, r, Input{Body: "!a<img/src=x/onerror=alert(1)>", Direct: true})
	html := format.RenderMarkdown(body(reply), true, false).FormattedBody
	if strings.Contains(html, "<img") {
		t.Errorf("raw HTML reached the formatted body: %s", html)
	}
	reply, _ = handle(t, r, Input{Body: "!x`**[a](https://evil.example)**`", Direct: true})
	html = format.RenderMarkdown(body(reply), true, false).FormattedBody
	if strings.Contains(html, `href="https://evil.example"`) {
		t.Errorf("user text became a link: %s", html)
	}
}

// BenchmarkInfoCommandUncached renders the markdown every time, as the bot
// would without its render cache.
func BenchmarkInfoCommandUncached(b *testing.B) {
	r := newRouter(b, rehearsal())
	in := Input{Sender: "@u:x", Room: "!r:x", Body: "!salon"}
	b.ReportAllocs()
	for b.Loop() {
		reply, _, err := r.Handle(context.Background(), in, nil)
		if err != nil || reply == nil {
			b.Fatal(err)
		}
		_ = format.RenderMarkdown(reply.Parts[0].Markdown, true, false)
	}
}

// esc must escape exactly like mautrix's EscapeMarkdown, plus @room.
func TestEscMatchesMautrix(t *testing.T) {
	for _, s := range []string{"plain", `a\b`, "`code`", "*b* _i_ [l](u)", "<b>x</b> > y", "@room ping", "Éé «»", ""} {
		want := strings.ReplaceAll(format.EscapeMarkdown(s), "@room", "@\u2060room")
		if got := esc(s); got != want {
			t.Errorf("esc(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestLinksEscapeOnce(t *testing.T) {
	if got, want := link("https://ex.org/a_b"), format.MarkdownLink("https://ex.org/a_b", "https://ex.org/a_b"); got != want {
		t.Errorf("link: got %q, want %q", got, want)
	}
	html := format.RenderMarkdown(link("https://ex.org/a_b"), true, false).FormattedBody
	if !strings.Contains(html, ">https://ex.org/a_b</a>") {
		t.Errorf("rendered link text: %s", html)
	}
}
