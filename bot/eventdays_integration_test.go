package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/bot"
	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/internal/bottest"
	"github.com/bluehats/bluehats-bot/storage"
)

// !widget adds the programme page to the room as Element reads it, says
// so when the bot lacks the power, and removes it.
func TestWidget(t *testing.T) {
	orga, room, cfg := organiserRoom(t)
	cfg.HTTP.Public, cfg.HTTP.PublicURL = true, "https://bot.example.org"
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	orga.WaitJoined(room, b.UserID)
	assertContains(t, "without power", orga.Ask(b.UserID, room, "!widget").Body, "niveau de droits")

	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	orga.SetPowerLevel(room, b.UserID, 50)
	// The bot learns its new level by sync: ask until it has.
	deadline := time.Now().Add(bottest.Timeout)
	for !strings.Contains(orga.Ask(b.UserID, room, "!widget").Body, "ajouté au salon") {
		if time.Now().After(deadline) {
			t.Fatal("the widget was never added")
		}
	}
	var widget map[string]any
	if err := orga.Client.StateEvent(ctx, room, event.NewEventType(commands.WidgetType), commands.WidgetKey, &widget); err != nil {
		t.Fatal(err)
	}
	if widget["url"] != "https://bot.example.org/programme" || widget["type"] != "m.custom" {
		t.Errorf("widget state: %v", widget)
	}
	assertContains(t, "remove", orga.Ask(b.UserID, room, "!widget non").Body, "retiré")
	widget = nil
	if err := orga.Client.StateEvent(ctx, room, event.NewEventType(commands.WidgetType), commands.WidgetKey, &widget); err != nil {
		t.Fatal(err)
	}
	if len(widget) != 0 {
		t.Errorf("widget still there: %v", widget)
	}
}

// A member follows a talk: its move is told once, and the notice before it
// once, even when the bot dies between queuing the notice and sending it.
func TestFollowNotices(t *testing.T) {
	orga, room, cfg := organiserRoom(t)
	member := bottest.NewMember(t, hs, "member")
	member.Join(room)
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	orga.WaitJoined(room, b.UserID)
	member.WaitJoined(room, b.UserID)
	runSteps(t, orga, b.UserID, []step{
		{"!proposer 15 Libérer le code | Retour d'expérience", "Proposition n°1"},
		{"!accepter 1", "acceptée"},
		{"!planifier 1 2023-12-06 14:30", "programmée"},
		{"!publier", "Programme publié"},
	})
	// The programme's thread has a message per talk: ⭐ on it follows it.
	line := member.WaitFor("the talk's line", bottest.FromBotIn(b.UserID, room, "Réagissez ⭐"))
	if rel := line.Content.AsMessage().RelatesTo; rel == nil || rel.Type != event.RelThread {
		t.Errorf("the talk's line is not in the programme's thread: %+v", rel)
	}
	member.React(room, line.ID, "⭐")
	member.WaitFor("the follow", bottest.FromBotIn(b.UserID, room, "Vous suivez « Libérer le code »"))
	runSteps(t, orga, b.UserID, []step{{"!deplacer 1 2023-12-06 15:00", "programmée"}})
	moved := member.WaitFor("the move notice", bottest.FromBotElsewhere(b.UserID, room, "passe du mercredi 6 décembre 2023, 14h30"))
	b.Stop()

	// The day itself, 14h51: the notice (due at 14h50) is queued, and the
	// bot dies before sending it.
	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	at := time.Date(2023, 12, 6, 14, 51, 0, 0, time.FixedZone("CET", 3600))
	store, err := storage.Open(ctx, storage.Options{Type: cfg.Database.Type, URI: cfg.Database.URI}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	events, _ := cfg.BuildEvents()
	dead, err := bot.New(bot.Options{Config: cfg, Events: events, Store: store, Calendar: clock.NewFake(at), Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	if err := dead.QueueFollowNotices(ctx, at); err != nil {
		t.Fatal(err)
	}
	store.Close()

	b = bottest.Start(t, cfg, at.Format(time.RFC3339))
	notice := member.WaitFor("the notice", bottest.FromBotElsewhere(b.UserID, room, "Dans 10 minutes sur le stand"))
	assertContains(t, "notice", notice.Content.AsMessage().Body, "« Libérer le code »", "15h")
	// A barrier in the same direct chat: anything sent before it is in.
	assertContains(t, "barrier", member.Ask(b.UserID, notice.RoomID, "!suivre").Body, "Libérer le code")
	if n := len(member.Events(bottest.FromBotElsewhere(b.UserID, room, "Dans 10 minutes sur le stand"))); n != 1 {
		t.Errorf("%d notices before the talk, want 1", n)
	}
	if n := len(member.Events(bottest.FromBotElsewhere(b.UserID, room, "passe du mercredi 6 décembre 2023, 14h30"))); n != 1 {
		t.Errorf("%d move notices, want 1 (%s)", n, moved.ID)
	}
}

// organiserRoom is a room whose creator is the bot's organiser, and the
// config for a bot in it.
func organiserRoom(t *testing.T) (*bottest.Member, id.RoomID, *config.Config) {
	t.Helper()
	orga := bottest.NewMember(t, hs, "orga")
	room := orga.CreateRoom("BlueHats")
	cfg := bottest.Config(t, hs)
	cfg.Matrix.Rooms = []string{room.String()}
	cfg.Bot.Organisers = []string{orga.Client.UserID.String()}
	return orga, room, cfg
}

// step is a command and a piece of its expected answer.
type step struct{ cmd, want string }

// runSteps has the organiser type each command in a direct chat with the
// bot, checking each answer.
func runSteps(t *testing.T, orga *bottest.Member, botID id.UserID, steps []step) {
	t.Helper()
	dm := orga.CreateDirect(botID)
	orga.WaitJoined(dm, botID)
	for _, s := range steps {
		assertContains(t, s.cmd, orga.Ask(botID, dm, s.cmd).Body, s.want)
	}
}
