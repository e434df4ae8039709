package bot_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/bot"
	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/internal/bottest"
	"github.com/bluehats/bluehats-bot/internal/devserver"
	"github.com/bluehats/bluehats-bot/storage"
)

var hs *devserver.Server

// TestMain starts one real Dendrite for the package (or reuses the one
// named by BLUEHATS_TEST_HS_DIR).
func TestMain(m *testing.M) { bottest.Main(m, func(s *devserver.Server) { hs = s }) }

// setup starts a bot configured with one public room, and a member in it,
// on the shared homeserver.
func setup(t *testing.T, adjust func(*config.Config)) (*bottest.Bot, *bottest.Member, id.RoomID) {
	t.Helper()
	return setupOn(t, hs, adjust)
}

// setupOn is setup on a given homeserver.
func setupOn(t *testing.T, server *devserver.Server, adjust func(*config.Config)) (*bottest.Bot, *bottest.Member, id.RoomID) {
	t.Helper()
	member := bottest.NewMember(t, server, "member")
	room := member.CreateRoom("BlueHats")
	cfg := bottest.Config(t, server)
	cfg.Matrix.Rooms = []string{room.String()}
	if adjust != nil {
		adjust(cfg)
	}
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	member.WaitJoined(room, b.UserID)
	return b, member, room
}

func assertContains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q in:\n%s", what, w, body)
		}
	}
}

func TestCommandsAnswerInTheRoom(t *testing.T) {
	b, member, room := setup(t, nil)
	tests := []struct {
		send  string
		wants []string
	}{
		{"!aide", []string{"Ce que je sais faire", "`!salon` / `!event`", "`!lieu` / `!venue`", "`!dates` / `!deadlines`", "où a lieu le salon"}},
		{"!help", []string{"What I can do", "`!event` / `!salon`", "where is the fair"}},
		{"!salon", []string{"La DINUM à l'Open Source Experience", "du mercredi 6 au jeudi 7 décembre 2023, de 9h à 18h", "Palais des Congrès, 2 Place de la Porte Maillot – 75017 Paris", "Gratuite, inscription obligatoire", "https://www.opensource-experience.com/creer-mon-badge/", "contact@code.gouv.fr"}},
		{"!event", []string{"When", "Wednesday 6 to Thursday 7 December 2023, 9:00 to 18:00", "Where"}},
		{"!horaires", []string{"Horaires", "mercredi 6 décembre 2023 : de 9h à 18h", "jeudi 7 décembre 2023 : de 9h à 18h"}},
		{"!hours", []string{"Opening hours", "Wednesday 6 December 2023: 9:00 to 18:00"}},
		{"!inscription", []string{"**gratuite**", "**inscription est obligatoire**", "https://www.opensource-experience.com/creer-mon-badge/"}},
		{"!register", []string{"Entry is **free**", "**registration is required**"}},
		{"!contact", []string{"contact@code.gouv.fr"}},
		{"!dates", []string{
			"Date limite des propositions d'intervention** : lundi 20 novembre 2023 à 23h59, heure de Paris (UTC+1) — dans 7 jours",
			"Réponse aux propositions** : lundi 27 novembre 2023 — dans 14 jours",
			"Publication du programme** : lundi 4 décembre 2023 — dans 21 jours",
			"Journée 1 du salon** : mercredi 6 décembre 2023, 9h — dans 23 jours",
			"Journée 2 du salon** : jeudi 7 décembre 2023, 9h — dans 24 jours",
		}},
		{"!deadlines", []string{"Deadline for talk proposals**: Monday 20 November 2023 at 23:59, Paris time (UTC+1) — in 7 days"}},
		{"!programme", []string{"en cours de construction", "publié le lundi 4 décembre 2023 (dans 21 jours)", "de 5 à 20 minutes"}},
		{"!schedule", []string{"being built", "published on Monday 4 December 2023 (in 21 days)"}},
		{"!lieu maintenant", []string{"ne prend pas d'argument"}},
		{"!saloon", []string{"Vouliez-vous dire `!salon`"}},
		{"!VENUE", []string{"Getting there"}},
	}
	for _, tc := range tests {
		t.Run(tc.send, func(t *testing.T) {
			reply := member.Ask(b.UserID, room, tc.send)
			if reply.MsgType != event.MsgNotice {
				t.Errorf("msgtype: got %s, want m.notice", reply.MsgType)
			}
			if reply.Format != event.FormatHTML || reply.FormattedBody == "" {
				t.Errorf("reply is not formatted HTML: %+v", reply)
			}
			assertContains(t, tc.send, reply.Body, tc.wants...)
		})
	}
}

func TestVenueSendsAccessAndMap(t *testing.T) {
	b, member, room := setup(t, nil)
	sent := member.Send(room, "!lieu")
	text := member.WaitFor("venue text", func(e *event.Event) bool {
		return bottest.ReplyTo(b.UserID, sent)(e) && e.Content.AsMessage().MsgType == event.MsgNotice
	}).Content.AsMessage()
	assertContains(t, "!lieu", text.Body,
		"Palais des Congrès", "2 Place de la Porte Maillot – 75017 Paris", "Comment y aller ?",
		"Métro Ligne 1, Station Porte Maillot – sortie 3",
		"RER Ligne C, Station Neuilly – Porte Maillot",
		"BUS Lignes 43, 73, 82, 244 PC")
	loc := member.WaitFor("venue map", func(e *event.Event) bool {
		return bottest.ReplyTo(b.UserID, sent)(e) && e.Content.AsMessage().MsgType == event.MsgLocation
	}).Content.AsMessage()
	if loc.GeoURI != "geo:48.8785,2.2831" {
		t.Errorf("geo URI: got %q", loc.GeoURI)
	}
}

func TestUnknownCommandsOfOtherBotsAreIgnoredInRooms(t *testing.T) {
	b, member, room := setup(t, nil)
	other := member.Send(room, "!ban spammer")
	noMention := member.Send(room, "où a lieu le salon ?")
	// Messages of a room are answered in order: once the barrier is
	// answered, any reply to the earlier ones would already be here.
	member.Ask(b.UserID, room, "!contact")
	for _, evt := range []id.EventID{other, noMention} {
		if got := member.Events(bottest.ReplyTo(b.UserID, evt)); len(got) != 0 {
			t.Errorf("bot answered %s: %v", evt, got[0].Content.AsMessage().Body)
		}
	}
}

func TestQuestionsWhenMentioned(t *testing.T) {
	b, member, room := setup(t, nil)
	mention := func(text string) *event.MessageEventContent {
		return &event.MessageEventContent{
			MsgType:  event.MsgText,
			Body:     b.UserID.Localpart() + ": " + text,
			Mentions: &event.Mentions{UserIDs: []id.UserID{b.UserID}},
		}
	}
	tests := []struct {
		content *event.MessageEventContent
		wants   []string
	}{
		{mention("où a lieu le salon ?"), []string{"Palais des Congrès", "Comment y aller ?"}},
		{mention("c'est payant ?"), []string{"**gratuite**"}},
		{mention("a quelle heure ca ouvre ?"), []string{"de 9h à 18h"}},
		{mention("quand est la date limite ?"), []string{"lundi 20 novembre 2023 à 23h59, heure de Paris (UTC+1)"}},
		{mention("how do I get there?"), []string{"Getting there", "Métro Ligne 1"}},
		{mention("is it free?"), []string{"Entry is **free**"}},
		{mention("quel temps fera-t-il demain ?"), []string{"Je ne suis pas sûr d'avoir compris", "`!aide`"}},
		{mention("what is the capital of France?"), []string{"I'm not sure I understood", "`!help`"}},
		{mention("il y a un vestiaire au salon ?"), []string{"Je n'ai pas cette information", "contact@code.gouv.fr"}},
		{mention("quand les intervenants auront-ils la réponse pour leur talk ?"), []string{"lundi 27 novembre 2023"}},
		{mention("where is it, and when does it open?"), []string{"Getting there", "9:00 to 18:00"}},
		// No m.mentions (older clients): the name in the text is enough.
		{&event.MessageEventContent{MsgType: event.MsgText, Body: b.UserID.String() + " where is the fair?"}, []string{"Palais des Congrès"}},
	}
	for _, tc := range tests {
		t.Run(tc.content.Body, func(t *testing.T) {
			sent := member.SendContent(room, tc.content)
			reply := member.WaitFor("answer", bottest.ReplyTo(b.UserID, sent)).Content.AsMessage()
			assertContains(t, tc.content.Body, reply.Body, tc.wants...)
		})
	}
}

// The organisers' FAQ, from the config, answers members' questions on the
// homeserver; !faq lists it; a reload brings new entries in at once.
func TestFAQ(t *testing.T) {
	var cfg *config.Config
	b, member, room := setup(t, func(c *config.Config) {
		cfg = c
		c.Bot.AnswerQuestions = config.AnswerAlways
		c.FAQ = []config.FAQEntry{{
			Questions: []string{"Y a-t-il un vestiaire ?", "Où est le vestiaire ?", "Is there a cloakroom?"},
			Answer:    "Oui, au **niveau 0**, près de l'entrée.",
			AnswerEN:  "Yes, on **level 0**, by the entrance.",
		}}
	})
	assertContains(t, "FAQ in French", member.Ask(b.UserID, room, "il y a un vestiaire pour les manteaux ?").Body, "Oui, au **niveau 0**")
	reply := member.Ask(b.UserID, room, "is there a cloakroom at the fair?")
	assertContains(t, "FAQ in English", reply.Body, "Yes, on **level 0**")
	if !strings.Contains(reply.FormattedBody, "<strong>level 0</strong>") {
		t.Errorf("FAQ answer not rendered as markdown: %q", reply.FormattedBody)
	}
	assertContains(t, "!faq", member.Ask(b.UserID, room, "!faq").Body, "Questions fréquentes", "Y a-t-il un vestiaire ?", "niveau 0")
	assertContains(t, "no entry yet", member.Ask(b.UserID, room, "y a-t-il du wifi sur le salon ?").Body, "Je n'ai pas cette information")

	next := *cfg
	next.FAQ = append(slices.Clone(next.FAQ), config.FAQEntry{
		Questions: []string{"Y a-t-il du wifi sur le salon ?", "Quel est le code wifi ?"},
		Answer:    "Réseau `OSE-Visiteurs`, sans mot de passe.",
	})
	events, problems := next.BuildEvents()
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if err := b.Bot.Reload(&next, events); err != nil {
		t.Fatal(err)
	}
	assertContains(t, "after reload", member.Ask(b.UserID, room, "y a-t-il du wifi sur le salon ?").Body, "OSE-Visiteurs")
}

func TestDirectChat(t *testing.T) {
	member := bottest.NewMember(t, hs, "member")
	b := bottest.Start(t, bottest.Config(t, hs), bottest.Rehearsal)
	dm := member.CreateDirect(b.UserID)
	member.WaitJoined(dm, b.UserID)
	tests := []struct {
		send  string
		wants []string
	}{
		{"comment venir ?", []string{"Métro Ligne 1", "RER Ligne C"}},
		{"When is the deadline?", []string{"Monday 20 November 2023 at 23:59, Paris time (UTC+1)"}},
		{"!contact", []string{"contact@code.gouv.fr"}},
		{"!nimportequoi", []string{"Je ne connais pas la commande `!nimportequoi`"}},
	}
	for _, tc := range tests {
		reply := member.Ask(b.UserID, dm, tc.send)
		assertContains(t, tc.send, reply.Body, tc.wants...)
	}
}

// A restart resumes from the stored sync token: what arrived while down is
// answered once if recent, nothing is answered twice, and nothing from
// before the very first start is answered at all.
func TestRestartAnswersOnceAndNothingOld(t *testing.T) {
	member := bottest.NewMember(t, hs, "member")
	room := member.CreateRoom("BlueHats")
	cfg := bottest.Config(t, hs)
	cfg.Matrix.Rooms = []string{room.String()}

	beforeFirstStart := member.Send(room, "!contact")

	b := bottest.Start(t, cfg, bottest.Rehearsal)
	member.WaitJoined(room, b.UserID)
	device := b.Bot.Client().DeviceID
	member.Ask(b.UserID, room, "!horaires")
	b.Stop()

	whileDown := member.Send(room, "!dates")
	// Taken back while the bot was down: never answered.
	regretted := member.Send(room, "!lieu")
	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	if _, err := member.Client.RedactEvent(ctx, room, regretted); err != nil {
		t.Fatal(err)
	}
	// Dendrite applies a redaction to what sync serves a moment after
	// accepting it; the bot, like any client, sees what sync serves.
	member.WaitFor("the redaction synced", func(evt *event.Event) bool {
		return evt.Type == event.EventRedaction && (evt.Redacts == regretted || evt.Content.AsRedaction().Redacts == regretted)
	})
	b = bottest.Start(t, cfg, bottest.Rehearsal)
	member.WaitFor("answer to what arrived while down", bottest.ReplyTo(b.UserID, whileDown))
	if got := b.Bot.Client().DeviceID; got != device {
		t.Errorf("device changed across restart: %s then %s", device, got)
	}
	b.Stop()

	b = bottest.Start(t, cfg, bottest.Rehearsal)
	member.Ask(b.UserID, room, "!aide") // barrier: the room is answered in order
	if n := len(member.Events(bottest.ReplyTo(b.UserID, whileDown))); n != 1 {
		t.Errorf("message sent while down answered %d times, want 1", n)
	}
	if n := len(member.Events(bottest.ReplyTo(b.UserID, beforeFirstStart))); n != 0 {
		t.Errorf("message from before the first start answered %d times, want 0", n)
	}
	if n := len(member.Events(bottest.ReplyTo(b.UserID, regretted))); n != 0 {
		t.Errorf("message redacted while down answered %d times, want 0", n)
	}
	b.Stop()

	// With no grace at all, what arrived while down is too old.
	cfg.Bot.OfflineGrace = config.Duration(time.Nanosecond)
	tooOld := member.Send(room, "!salon")
	b = bottest.Start(t, cfg, bottest.Rehearsal)
	member.Ask(b.UserID, room, "!contact")
	if n := len(member.Events(bottest.ReplyTo(b.UserID, tooOld))); n != 0 {
		t.Errorf("message older than the grace answered %d times, want 0", n)
	}
}

// More messages than Dendrite's sync window while the bot is down are all
// answered: the gap is fetched with /messages.
func TestBurstWhileDownIsFullyAnswered(t *testing.T) {
	member := bottest.NewMember(t, hs, "member")
	room := member.CreateRoom("BlueHats")
	cfg := bottest.Config(t, hs)
	cfg.Matrix.Rooms = []string{room.String()}
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	member.WaitJoined(room, b.UserID)
	b.Stop()
	const n = 120 // over the bot's timeline limit of 100
	sent := make([]id.EventID, n)
	for i := range sent {
		sent[i] = member.Send(room, "!contact")
	}
	b = bottest.Start(t, cfg, bottest.Rehearsal)
	for i, evt := range sent {
		member.WaitFor(fmt.Sprintf("reply %d", i), bottest.ReplyTo(b.UserID, evt))
	}
}

// With answer_questions: always, every message in the rooms is read as a
// question; with off, none is, even mentioning the bot.
func TestAnswerQuestionsModes(t *testing.T) {
	b, member, room := setup(t, func(c *config.Config) { c.Bot.AnswerQuestions = config.AnswerAlways })
	reply := member.Ask(b.UserID, room, "c'est payant ?")
	assertContains(t, "always", reply.Body, "**gratuite**")
	b.Stop()

	off, member2, room2 := setup(t, func(c *config.Config) { c.Bot.AnswerQuestions = config.AnswerOff })
	q := member2.SendContent(room2, &event.MessageEventContent{
		MsgType: event.MsgText, Body: off.UserID.Localpart() + ": c'est payant ?",
		Mentions: &event.Mentions{UserIDs: []id.UserID{off.UserID}},
	})
	member2.Ask(off.UserID, room2, "!contact") // barrier
	if n := len(member2.Events(bottest.ReplyTo(off.UserID, q))); n != 0 {
		t.Errorf("answer_questions: off answered a question")
	}
}

// A bot given an access token instead of a password uses it, and keeps it.
func TestAccessTokenLogin(t *testing.T) {
	cfg := bottest.Config(t, hs)
	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	cli, err := hs.Login(ctx, id.UserID(cfg.Matrix.UserID).Localpart(), cfg.Matrix.Password.Reveal())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Matrix.AccessToken = config.Secret(cli.AccessToken)
	cfg.Matrix.Password = ""
	member := bottest.NewMember(t, hs, "member")
	room := member.CreateRoom("BlueHats")
	cfg.Matrix.Rooms = []string{room.String()}
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	member.WaitJoined(room, b.UserID)
	if got := b.Bot.Client().DeviceID; got != cli.DeviceID {
		t.Errorf("device: got %s, want the token's %s", got, cli.DeviceID)
	}
	assertContains(t, "token bot", member.Ask(b.UserID, room, "!contact").Body, "contact@code.gouv.fr")
}

// A second bot started on the database of a running one refuses to start:
// both would answer every message.
func TestSecondBotOnTheSameDatabaseRefused(t *testing.T) {
	var cfg *config.Config
	b, member, room := setup(t, func(c *config.Config) { cfg = c })

	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	store, err := storage.Open(ctx, storage.Options{Type: cfg.Database.Type, URI: cfg.Database.URI}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	events, _ := cfg.BuildEvents()
	second, err := bot.New(bot.Options{Config: cfg, Events: events, Store: store, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	if err := second.Run(ctx); !errors.Is(err, storage.ErrInUse) {
		t.Fatalf("second bot: %v, want ErrInUse", err)
	}
	// The first one still answers, once.
	sent := member.Send(room, "!contact")
	member.WaitFor("answer", bottest.ReplyTo(b.UserID, sent))
	member.Ask(b.UserID, room, "!aide") // barrier
	if n := len(member.Events(bottest.ReplyTo(b.UserID, sent))); n != 1 {
		t.Errorf("answered %d times, want 1", n)
	}
}
