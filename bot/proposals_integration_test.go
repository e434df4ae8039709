package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/internal/bottest"
	"github.com/bluehats/bluehats-bot/internal/pgtest"
)

// The whole life of proposals on the real homeserver: proposed in a room
// and by dialog, reviewed and decided by an organiser, told to the authors
// once on the response date (rehearsal clock), confirmed by reaction,
// scheduled and published; the proposals survive restarts.
func TestProposalFlow(t *testing.T) {
	alice := bottest.NewMember(t, hs, "alice")
	bob := bottest.NewMember(t, hs, "bob")
	orga := bottest.NewMember(t, hs, "orga")
	room := alice.CreateRoom("BlueHats")
	bob.Join(room)
	orga.Join(room)
	cfg := bottest.Config(t, hs)
	cfg.Matrix.Rooms = []string{room.String()}
	cfg.Bot.Organisers = []string{orga.Client.UserID.String()}

	// Before the deadline.
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	alice.WaitJoined(room, b.UserID)
	botID := b.UserID

	brief := alice.Ask(botID, room, "!proposer 15 Libérer le code | Retour d'expérience de la DINUM | DINUM")
	assertContains(t, "brief", brief.Body, "Proposition n°1 « Libérer le code » enregistrée", "message privé")
	details := alice.WaitFor("details by direct chat", bottest.FromBotElsewhere(botID, room, "Proposition n°1 enregistrée")).Content.AsMessage()
	assertContains(t, "details", details.Body, "Retour d'expérience de la DINUM", "DINUM")

	// Bob proposes step by step, in English.
	bob.Ask(botID, room, "!propose")
	first := bob.WaitFor("dialog question", bottest.FromBotElsewhere(botID, room, "How long, in minutes"))
	dm := first.RoomID
	for _, step := range []struct{ answer, next string }{
		{"10", "What is the title"},
		{"GitLab at scale", "Sum it up"},
		{"How we host our code.", "Which administration"},
		{"-", "Which free software"},
		{"GitLab", "Shall I send it?"},
		{"yes", "Proposal no. 2 stored"},
	} {
		reply := bob.Ask(botID, dm, step.answer)
		assertContains(t, "dialog "+step.answer, reply.Body, step.next)
	}

	// A member cannot decide; an organiser lists, reviews and decides.
	assertContains(t, "non-organiser", bob.Ask(botID, room, "!accepter 1").Body, "réservée aux organisateurs")
	assertContains(t, "list in room", orga.Ask(botID, room, "!propositions").Body, "message privé")
	list := orga.WaitFor("list by direct chat", bottest.FromBotElsewhere(botID, room, "Propositions")).Content.AsMessage()
	assertContains(t, "list", list.Body, "n°1 · soumise · 15 min · « Libérer le code »", "n°2 · soumise · 10 min · « GitLab at scale »")
	orgaDM := orga.WaitFor("organiser DM", bottest.FromBotElsewhere(botID, room, "Propositions")).RoomID
	assertContains(t, "review", orga.Ask(botID, orgaDM, "!noter 1 5 Excellent").Body, "Note enregistrée pour la proposition n°1 : 5/5")
	assertContains(t, "accept", orga.Ask(botID, orgaDM, "!accepter 1 Bravo !").Body, "acceptée", "sera prévenu le lundi 27 novembre 2023, 9h")
	assertContains(t, "reject", orga.Ask(botID, orgaDM, "!refuser 2").Body, "refusée")

	// Export, as a file in the organiser's direct chat.
	sent := orga.Send(orgaDM, "!export csv")
	file := orga.WaitFor("export file", bottest.ReplyTo(botID, sent)).Content.AsMessage()
	if file.MsgType != event.MsgFile || !strings.HasSuffix(file.FileName, ".csv") {
		t.Fatalf("export: %+v", file)
	}
	uri, err := file.URL.Parse()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	data, err := orga.Client.DownloadBytes(ctx, uri)
	if err != nil {
		t.Fatal(err)
	}
	assertContains(t, "csv", string(data), "\ufeffnuméro,état", "Libérer le code", "GitLab at scale", "Retour d'expérience de la DINUM")
	b.Stop()

	// The response date: decisions go out at 9:00, held until then.
	const beforeNine = 8 * time.Second
	started := time.Now()
	b = bottest.Start(t, cfg, "2023-11-27T08:59:52+01:00")
	decision := alice.WaitFor("decision to Alice", bottest.FromBotElsewhere(botID, room, "est acceptée"))
	if at := time.UnixMilli(decision.Timestamp); at.Before(started.Add(beforeNine - time.Second)) {
		t.Errorf("decision sent at %s, before 9:00 on the rehearsal clock (started %s)", at, started)
	}
	assertContains(t, "decision", decision.Content.AsMessage().Body, "Bravo !", "`!confirmer 1`")
	bob.WaitFor("decision to Bob", bottest.FromBotElsewhere(botID, room, "was not selected"))

	// Alice confirms with a reaction on the decision.
	alice.React(decision.RoomID, decision.ID, "✅")
	alice.WaitFor("confirmation", bottest.FromBotIn(botID, decision.RoomID, "est confirmée"))

	// Schedule and publish; the programme is posted in the room.
	assertContains(t, "slot", orga.Ask(botID, orgaDM, "!planifier 1 2023-12-06 14:30").Body, "programmée le mercredi 6 décembre 2023, 14h30")
	assertContains(t, "publish", orga.Ask(botID, orgaDM, "!publier").Body, "Programme publié (1 intervention)")
	posted := bob.WaitFor("programme in the room", bottest.FromBotIn(botID, room, "Programme — ")).Content.AsMessage()
	assertContains(t, "posted programme", posted.Body, "14h30 – 14h45", "Libérer le code", "(15 min)")
	assertContains(t, "!programme", bob.Ask(botID, room, "!programme").Body, "Libérer le code")
	b.Stop()

	// After another restart nothing is told twice: a new decision to Bob
	// is sent after anything still queued, so once it arrives a repeat of
	// the first would have arrived too.
	b = bottest.Start(t, cfg, "2023-11-27T10:00:00+01:00")
	assertContains(t, "change of mind", orga.Ask(botID, orgaDM, "!accepter 2 Finalement oui").Body, "vient d'être prévenu")
	bob.WaitFor("second decision to Bob", bottest.FromBotElsewhere(botID, room, "Finalement oui"))
	count := func(m *bottest.Member, text string) int {
		return len(m.Events(bottest.FromBotElsewhere(botID, room, text)))
	}
	if n := count(alice, "est acceptée"); n != 1 {
		t.Errorf("Alice got %d acceptances, want 1", n)
	}
	if n := count(bob, "was not selected"); n != 1 {
		t.Errorf("Bob got %d rejections, want 1", n)
	}
	assertContains(t, "proposals kept", alice.Ask(botID, decision.RoomID, "!mespropositions").Body, "n°1 · 15 min · « Libérer le code » — programmée")
}

// Proposal details asked in a public room never show there.
func TestOrganiserDetailsStayPrivate(t *testing.T) {
	member := bottest.NewMember(t, hs, "member")
	orga := bottest.NewMember(t, hs, "orga")
	room := member.CreateRoom("BlueHats")
	orga.Join(room)
	cfg := bottest.Config(t, hs)
	cfg.Matrix.Rooms = []string{room.String()}
	cfg.Bot.Organisers = []string{orga.Client.UserID.String()}
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	member.WaitJoined(room, b.UserID)
	member.Ask(b.UserID, room, "!proposer 10 Titre public | Résumé secret")
	for _, cmd := range []string{"!voir 1", "!propositions", "!mespropositions"} {
		asker := orga
		if cmd == "!mespropositions" {
			asker = member
		}
		reply := asker.Ask(b.UserID, room, cmd)
		if strings.Contains(reply.Body, "secret") || strings.Contains(reply.Body, "Titre public") {
			t.Errorf("%s showed details in the room: %s", cmd, reply.Body)
		}
	}
	orga.WaitFor("details by direct chat", bottest.FromBotElsewhere(b.UserID, room, "Résumé secret"))
	_ = id.RoomID("")
}

// Power level 50 in a configured room makes an organiser, as the
// homeserver's state says; listing in bot.organisers is not needed.
func TestOrganiserByPowerLevel(t *testing.T) {
	admin := bottest.NewMember(t, hs, "admin") // creates the room: power 100
	member := bottest.NewMember(t, hs, "member")
	room := admin.CreateRoom("BlueHats")
	member.Join(room)
	cfg := bottest.Config(t, hs)
	cfg.Matrix.Rooms = []string{room.String()}
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	admin.WaitJoined(room, b.UserID)
	assertContains(t, "member", member.Ask(b.UserID, room, "!propositions").Body, "réservée aux organisateurs")
	assertContains(t, "admin", admin.Ask(b.UserID, room, "!propositions").Body, "Aucune proposition pour l'instant")
	assertContains(t, "admin help", admin.Ask(b.UserID, room, "!aide").Body, "`!accepter`")
	if strings.Contains(member.Ask(b.UserID, room, "!aide").Body, "`!accepter`") {
		t.Error("organiser commands listed for a member")
	}

	// Rights follow the room's power levels as they change: promoted to 50,
	// then demoted, the member is an organiser only in between.
	setLevel := func(level int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
		defer cancel()
		var pl event.PowerLevelsEventContent
		if err := admin.Client.StateEvent(ctx, room, event.StatePowerLevels, "", &pl); err != nil {
			t.Fatal(err)
		}
		pl.SetUserLevel(member.Client.UserID, level)
		if _, err := admin.Client.SendStateEvent(ctx, room, event.StatePowerLevels, "", &pl); err != nil {
			t.Fatal(err)
		}
	}
	setLevel(50)
	assertContains(t, "promoted", member.Ask(b.UserID, room, "!propositions").Body, "Aucune proposition pour l'instant")
	setLevel(0)
	assertContains(t, "demoted", member.Ask(b.UserID, room, "!propositions").Body, "réservée aux organisateurs")
}

// The bot runs on PostgreSQL as on SQLite: state store, proposals, direct
// chats, and a restart.
func TestPostgresBackend(t *testing.T) {
	uri := pgtest.Database(t)
	member := bottest.NewMember(t, hs, "member")
	room := member.CreateRoom("BlueHats")
	cfg := bottest.Config(t, hs)
	cfg.Matrix.Rooms = []string{room.String()}
	cfg.Database.Type, cfg.Database.URI = "postgres", uri
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	member.WaitJoined(room, b.UserID)
	assertContains(t, "propose", member.Ask(b.UserID, room, "!proposer 10 Sur Postgres | Résumé").Body, "Proposition n°1")
	member.WaitFor("details by direct chat", bottest.FromBotElsewhere(b.UserID, room, "Proposition n°1 enregistrée"))
	b.Stop()
	b = bottest.Start(t, cfg, bottest.Rehearsal)
	assertContains(t, "after restart", member.Ask(b.UserID, room, "!mespropositions").Body, "message privé")
	member.WaitFor("list by direct chat", bottest.FromBotElsewhere(b.UserID, room, "« Sur Postgres » — soumise"))
}
