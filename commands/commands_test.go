package commands

import (
	"context"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix/format"

	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/conference"
	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/match"
)

func seedEvent(t testing.TB) *conference.Conference {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	post, err := conference.ReadPostFile("../examples/open-source-experience-2023.md")
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
	return NewRouter(&Env{Conference: seedEvent(t), Clock: clock.NewFake(now), Prefix: "!", DefaultLang: i18n.FR})
}

func rehearsal() time.Time {
	loc, _ := time.LoadLocation("Europe/Paris")
	return time.Date(2023, 11, 13, 10, 0, 0, 0, loc)
}

func handle(t *testing.T, r *Router, in Input) (*Reply, Outcome) {
	t.Helper()
	reply, out, err := r.Handle(context.Background(), in)
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
		q      string
		intent match.Intent
		lang   i18n.Lang
		want   []string
	}{
		{"où a lieu le salon ?", match.Venue, i18n.FR, []string{"Comment y aller ?"}},
		{"comment venir ?", match.Venue, i18n.FR, []string{"Métro Ligne 1"}},
		{"c'est payant ?", match.Registration, i18n.FR, []string{"**gratuite**"}},
		{"à quelle heure ça ouvre ?", match.Hours, i18n.FR, []string{"de 9h à 18h"}},
		{"jusqu'à quand peut-on proposer une intervention ?", match.Propose, i18n.FR,
			[]string{"de 5 à 20 minutes", "`!proposer`", "lundi 20 novembre 2023 à 23h59, heure de Paris (UTC+1)", "contact@code.gouv.fr", "Réponse le lundi 27 novembre"}},
		{"quand les intervenants sauront-ils si leur talk est retenu ?", match.Response, i18n.FR,
			[]string{"le lundi 27 novembre 2023 (dans 14 jours)", "`!mespropositions`"}},
		{"il y a un vestiaire ?", match.Unknown, i18n.FR, []string{"Je n'ai pas cette information", "contact@code.gouv.fr", "opensource-experience.com"}},
		{"where is the fair?", match.Venue, i18n.EN, []string{"Getting there"}},
		{"is it free?", match.Registration, i18n.EN, []string{"Entry is **free**"}},
		{"how do I submit a talk?", match.Propose, i18n.EN, []string{"`!propose`", "Monday 20 November 2023 at 23:59, Paris time (UTC+1)"}},
		{"when do speakers hear back about their proposals?", match.Response, i18n.EN, []string{"Monday 27 November 2023", "`!myproposals`"}},
	}
	for _, tc := range tests {
		reply, out := handle(t, r, Input{Body: tc.q, Question: true})
		if out.Intent != tc.intent || out.Lang != tc.lang || out.Kind != "question" {
			t.Errorf("%q: outcome %+v, want %s in %s", tc.q, out, tc.intent, tc.lang)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(body(reply), w) {
				t.Errorf("%q: missing %q in:\n%s", tc.q, w, body(reply))
			}
		}
	}
}

// A message that asks two things gets both answers in one message, the
// venue's map after it.
func TestTwoQuestionsOneReply(t *testing.T) {
	r := newRouter(t, rehearsal())
	reply, out := handle(t, r, Input{Body: "où et à quelle heure ?", Question: true})
	if out.Kind != "question" || len(reply.Parts) != 2 || reply.Parts[1].Location == nil {
		t.Fatalf("got %+v with %d parts", out, len(reply.Parts))
	}
	text := reply.Parts[0].Markdown
	if i, j := strings.Index(text, "Porte Maillot"), strings.Index(text, "de 9h à 18h"); i < 0 || j < i {
		t.Errorf("want the venue then the hours in one message, got:\n%s", text)
	}
}

// After the deadline, "how do I propose" says the call is closed, and the
// response date is told in the past.
func TestProposeAndResponseFollowTheCalendar(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Paris")
	r := newRouter(t, time.Date(2023, 11, 29, 10, 0, 0, 0, loc))
	for q, want := range map[string]string{
		"comment proposer une intervention ?":         "L'appel à interventions est clos depuis le lundi 20 novembre 2023 à 23h59",
		"quand aura-t-on la réponse pour nos talks ?": "L'équipe a répondu aux propositions d'intervention le lundi 27 novembre 2023.",
	} {
		reply, _ := handle(t, r, Input{Body: q, Question: true})
		if !strings.Contains(body(reply), want) {
			t.Errorf("%q: missing %q in:\n%s", q, want, body(reply))
		}
	}
}

func faqRouter(t *testing.T) *Router {
	ev := seedEvent(t)
	ev.FAQ = []conference.FAQEntry{
		{Questions: []string{"Y a-t-il un vestiaire ?", "Où est le vestiaire ?", "Is there a cloakroom?"},
			Answer: "Oui, au **niveau 0**, près de l'entrée. <b>gratuit</b>", AnswerEN: "Yes, on **level 0**, by the entrance."},
		{Questions: []string{"Y a-t-il du wifi ?", "Quel est le code wifi ?"}, Answer: "Le wifi du salon : `OSE2023`."},
	}
	return NewRouter(&Env{Conference: ev, Clock: clock.NewFake(rehearsal()), Prefix: "!", DefaultLang: i18n.FR})
}

func TestFAQAnswers(t *testing.T) {
	r := faqRouter(t)
	tests := []struct{ q, want, not string }{
		{"il y a un vestiaire au salon ?", "Oui, au **niveau 0**", ""},
		{"is there a cloakroom at the fair?", "Yes, on **level 0**", "Oui"},
		{"le wifi est gratuit sur le salon ?", "`OSE2023`", ""},
		{"où a lieu le salon ?", "Comment y aller ?", "vestiaire"},
	}
	for _, tc := range tests {
		reply, out := handle(t, r, Input{Body: tc.q, Question: true})
		if out.Kind != "question" || !strings.Contains(body(reply), tc.want) || (tc.not != "" && strings.Contains(body(reply), tc.not)) {
			t.Errorf("%q: got %+v:\n%s", tc.q, out, body(reply))
		}
	}
	// The organisers' markdown is passed on as written: the sender renders
	// it with raw HTML off, as for !annonce.
	reply, _ := handle(t, r, Input{Body: "il y a un vestiaire au salon ?", Question: true})
	if html := format.RenderMarkdown(body(reply), true, false).FormattedBody; strings.Contains(html, "<b>") {
		t.Errorf("raw HTML of an FAQ answer reached the message: %s", html)
	}
}

func TestFAQCommand(t *testing.T) {
	reply, _ := handle(t, faqRouter(t), Input{Body: "!faq"})
	for _, w := range []string{"Questions fréquentes", "**Y a-t-il un vestiaire ?**", "Oui, au **niveau 0**", "**Y a-t-il du wifi ?**", "`OSE2023`"} {
		if !strings.Contains(body(reply), w) {
			t.Errorf("!faq: missing %q in:\n%s", w, body(reply))
		}
	}
	reply, _ = handle(t, newRouter(t, rehearsal()), Input{Body: "!faq"})
	if !strings.Contains(body(reply), "pas encore ajouté de questions fréquentes") {
		t.Errorf("!faq without entries: %s", body(reply))
	}
}

func TestUnmatchedQuestionSaysWhatItCanAnswer(t *testing.T) {
	r := newRouter(t, rehearsal())
	for _, tc := range []struct {
		q, want string
	}{
		{"raconte-moi une blague", "Je ne suis pas sûr d'avoir compris"},
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
	for _, w := range []string{"en cours de construction", "lundi 4 décembre 2023 (dans 21 jours)", "de 5 à 20 minutes avant le lundi 20 novembre 2023 à 23h59",
		"tapez `!proposer`, je vous guide (ou écrivez à [contact@code.gouv.fr]"} {
		if !strings.Contains(body(reply), w) {
			t.Errorf("missing %q in %s", w, body(reply))
		}
	}
	reply, _ = handle(t, newRouter(t, rehearsal()), Input{Body: "!schedule"})
	if w := "type `!propose` and I'll guide you (or write to"; !strings.Contains(body(reply), w) {
		t.Errorf("missing %q in %s", w, body(reply))
	}
	late, _ := handle(t, newRouter(t, time.Date(2023, 12, 5, 9, 0, 0, 0, loc)), Input{Body: "!programme"})
	if !strings.Contains(body(late), "annoncé pour le lundi 4 décembre 2023") || strings.Contains(body(late), "Proposez") {
		t.Errorf("after the programme date and the deadline: %s", body(late))
	}
}

// Every command has its help line in both languages.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, s := range newRouter(t, rehearsal()).Specs() {
		if strings.TrimSpace(s.Help.FR) == "" || strings.TrimSpace(s.Help.EN) == "" || s.Help.FR == s.Help.EN {
			t.Errorf("%s: help %+v", s.Name, s.Help)
		}
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
				line := s.Help.FR
				if lang == "!help" {
					line = s.Help.EN
				}
				if listed && !strings.Contains(body(reply), line) {
					t.Errorf("%s: the help line of %s is missing: %q", lang, s.Name, line)
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
		reply, _, err := r.Handle(context.Background(), in)
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
