package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/internal/bottest"
	"github.com/bluehats/bluehats-bot/internal/pgtest"
	"github.com/bluehats/bluehats-bot/storage"
)

func withEncryption(c *config.Config) {
	c.Matrix.Encryption = config.Encryption{Enabled: true, DirectChats: true, PickleKey: "a pickle key for the tests"}
}

// In an encrypted room and an encrypted direct chat, a member's encrypted
// command gets an encrypted answer the member's client decrypts; the bot
// keeps its keys across a restart.
func TestEncryptedRoomAndDirectChat(t *testing.T) {
	member := bottest.NewEncryptedMember(t, hs, "member")
	room := member.CreateEncryptedRoom("BlueHats chiffré")
	cfg := bottest.Config(t, hs)
	cfg.Matrix.Rooms = []string{room.String()}
	withEncryption(cfg)
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	member.WaitJoined(room, b.UserID)

	reply := member.Ask(b.UserID, room, "!contact")
	assertContains(t, "encrypted room", reply.Body, "contact@code.gouv.fr")
	replies := member.Events(bottest.FromBotIn(b.UserID, room, "contact@code.gouv.fr"))
	if len(replies) == 0 || replies[0].Mautrix.WasEncrypted == false {
		t.Errorf("the bot's answer was not encrypted: %+v", replies)
	}

	dm := member.CreateEncryptedDirect(b.UserID)
	member.WaitJoined(dm, b.UserID)
	assertContains(t, "encrypted direct chat", member.Ask(b.UserID, dm, "comment venir ?").Body, "Métro Ligne 1")

	// A proposal made in the encrypted room: details go to a direct chat
	// the bot opens, encrypted too.
	member.Ask(b.UserID, room, "!proposer 10 Chiffrement | Un résumé")
	details := member.WaitFor("details by direct chat", bottest.FromBotElsewhere(b.UserID, room, "Proposition n°1 enregistrée"))
	if !details.Mautrix.WasEncrypted {
		t.Error("the direct chat the bot opened is not encrypted")
	}

	// Restarted, the bot still reads and answers in the encrypted room.
	device := b.Bot.Client().DeviceID
	b.Stop()
	b = bottest.Start(t, cfg, bottest.Rehearsal)
	if b.Bot.Client().DeviceID != device {
		t.Errorf("device changed across restart")
	}
	assertContains(t, "after restart", member.Ask(b.UserID, room, "!horaires").Body, "de 9h à 18h")

	// An encrypted export file is readable by the member.
	orgaCfg := cfg
	orgaCfg.Bot.Organisers = []string{member.Client.UserID.String()}
	b.Stop()
	b = bottest.Start(t, orgaCfg, bottest.Rehearsal)
	sent := member.Send(dm, "!export json")
	file := member.WaitFor("export", bottest.ReplyTo(b.UserID, sent)).Content.AsMessage()
	if file.MsgType != event.MsgFile || file.File == nil {
		t.Fatalf("export in an encrypted chat is not an encrypted file: %+v", file)
	}
	uri, err := file.File.URL.Parse()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	data, err := member.Client.DownloadBytes(ctx, uri)
	if err != nil {
		t.Fatal(err)
	}
	if err := file.File.DecryptInPlace(data); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"title": "Chiffrement"`) {
		t.Errorf("decrypted export: %s", data)
	}
}

// Edits, notices, the bot's own messages, ignored users, floods and
// oversized messages are not answered as commands; user text cannot ping a
// whole room.
func TestHostileAndOddInput(t *testing.T) {
	ignoredMember := bottest.NewMember(t, hs, "ignored")
	flooder := bottest.NewMember(t, hs, "flooder")
	b, member, room := setup(t, func(c *config.Config) {
		c.Bot.IgnoredUsers = []string{ignoredMember.Client.UserID.String()}
		c.Bot.RateLimit = config.RateLimit{Burst: 6, PerMinute: 1}
	})
	ignoredMember.Join(room)
	flooder.Join(room)
	original := member.Send(room, "!lieu")
	member.WaitFor("answer to the original", bottest.ReplyTo(b.UserID, original))
	edit := member.SendContent(room, &event.MessageEventContent{
		MsgType: event.MsgText, Body: "* !contact",
		NewContent: &event.MessageEventContent{MsgType: event.MsgText, Body: "!contact"},
		RelatesTo:  (&event.RelatesTo{}).SetReplace(original),
	})
	notice := member.SendContent(room, &event.MessageEventContent{MsgType: event.MsgNotice, Body: "!contact"})
	ignored := ignoredMember.Send(room, "!contact")
	// The bot's own account typing a command (an operator on another of
	// its devices, or a loop) is never answered.
	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	own, err := b.Bot.Client().SendText(ctx, room, "!contact")
	if err != nil {
		t.Fatal(err)
	}
	member.Ask(b.UserID, room, "!horaires") // barrier
	for name, evt := range map[string]id.EventID{"edit": edit, "notice": notice, "ignored user": ignored, "own message": own.EventID} {
		if n := len(member.Events(bottest.ReplyTo(b.UserID, evt))); n != 0 {
			t.Errorf("%s answered %d times", name, n)
		}
	}

	long := member.Ask(b.UserID, room, "!contact "+strings.Repeat("a", 17000))
	assertContains(t, "too long", long.Body, "trop long")

	// Six in a burst, then told once, then quiet.
	var sent []id.EventID
	for range 8 {
		sent = append(sent, flooder.Send(room, "!contact"))
	}
	// The burst and the warning, each awaited; the eighth is processed
	// right after the seventh, before any later batch: the barrier.
	for i, evt := range sent[:7] {
		member.WaitFor(fmt.Sprintf("answer %d to the flood", i), bottest.ReplyTo(b.UserID, evt))
	}
	member.Ask(b.UserID, room, "!salon")
	answers := []string{}
	for _, evt := range sent {
		for _, e := range member.Events(bottest.ReplyTo(b.UserID, evt)) {
			answers = append(answers, e.Content.AsMessage().Body)
		}
	}
	if len(answers) != 7 || !strings.Contains(answers[6], "je fais une pause") {
		t.Errorf("flood answers: %q", answers)
	}

	// @room in a member's text does not become a room ping.
	reply := member.Ask(b.UserID, room, "!proposer 10 Alerte @room | résumé")
	if strings.Contains(reply.Body, "@room") || reply.Mentions == nil || reply.Mentions.Room {
		t.Errorf("@room came through: %q %+v", reply.Body, reply.Mentions)
	}
}

// Every organiser command from a non-organiser is refused and changes
// nothing.
func TestNonOrganiserCannotUseOrganiserCommands(t *testing.T) {
	b, member, room := setup(t, func(c *config.Config) { c.Bot.RateLimit.Burst = 50 })
	stranger := bottest.NewMember(t, hs, "stranger")
	stranger.Join(room)
	member.Ask(b.UserID, room, "!proposer 10 Titre | Résumé")
	for _, cmd := range []string{"!propositions", "!voir 1", "!noter 1 5", "!accepter 1", "!refuser 1", "!export csv",
		"!planifier 1 2023-12-06 10:00", "!deplacer 1 2023-12-06 11:00", "!deprogrammer 1", "!publier", "!annonce",
		"!proposals", "!show 1", "!review 1 5", "!accept 1", "!reject 1", "!slot 1 2023-12-06 10:00", "!publish", "!announce",
		"!move 1 2023-12-06 11:00", "!unslot 1", "!programmer 1 2023-12-06 10:00", "!déplacer 1 2023-12-06 11:00",
		"!annonce apercu", "!announce preview Hello"} {
		body := stranger.Ask(b.UserID, room, cmd).Body
		if !strings.Contains(body, "réservée aux organisateurs") && !strings.Contains(body, "for organisers only") {
			t.Errorf("%s: %s", cmd, body)
		}
	}
	p, err := b.Bot.Store().Proposals.Get(context.Background(), 1)
	if err != nil || p.State != "submitted" || !p.SlotStart.IsZero() {
		t.Errorf("proposal changed: %+v %v", p, err)
	}
}

// Invitations from servers outside matrix.allowed_servers are declined.
func TestInvitesFromOtherServersDeclined(t *testing.T) {
	member := bottest.NewMember(t, hs, "member")
	cfg := bottest.Config(t, hs)
	cfg.Matrix.AllowedServers = []string{"example.org"}
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	dm := member.CreateDirect(b.UserID)
	member.WaitFor("bot declining", func(e *event.Event) bool {
		return e.RoomID == dm && e.Type == event.StateMember && e.GetStateKey() == b.UserID.String() &&
			e.Content.AsMember().Membership == event.MembershipLeave
	})
}

// The homeserver stops and comes back under the bot: the bot backs off,
// keeps its state, and answers again, delivering what it could not send
// meanwhile exactly once.
func TestHomeserverRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	own := bottest.OwnServer(t)
	b, member, room := setupOn(t, own, nil)
	assertContains(t, "before", member.Ask(b.UserID, room, "!contact").Body, "contact@code.gouv.fr")

	if err := own.Stop(); err != nil {
		t.Fatal(err)
	}
	// Something to send while the homeserver is down.
	item := &storage.OutboxItem{Key: "test:outage", Room: room, EventType: "m.room.message",
		Content: `{"msgtype":"m.notice","body":"pendant la panne"}`, CreatedAt: time.Now()}
	if _, err := b.Bot.Store().Outbox.Enqueue(ctx, item); err != nil {
		t.Fatal(err)
	}
	b.Bot.Poke()
	if err := own.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	assertContains(t, "after", member.Ask(b.UserID, room, "!horaires").Body, "de 9h à 18h")
	member.WaitFor("message queued during the outage", bottest.FromBotIn(b.UserID, room, "pendant la panne"))
	member.Ask(b.UserID, room, "!aide") // barrier
	if n := len(member.Events(bottest.FromBotIn(b.UserID, room, "pendant la panne"))); n != 1 {
		t.Errorf("queued message delivered %d times, want 1", n)
	}
}

// A database error in the middle of a command (here the outbox refusing the
// reply, after the proposal row is written) leaves nothing half-done: the
// member is told to try again, nothing is stored, and the retry gets the
// number the failed attempt would have had.
func TestDatabaseFailureMidCommand(t *testing.T) {
	b, member, room := setup(t, nil)
	store := b.Bot.Store()
	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	if _, err := store.DB.Exec(ctx, `CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox
		BEGIN SELECT RAISE(ABORT, 'database is locked'); END`); err != nil {
		t.Fatal(err)
	}
	const propose = "!proposer 15 Libérer le code | Retour d'expérience de la DINUM"
	assertContains(t, "failed command", member.Ask(b.UserID, room, propose).Body, "Réessayez dans un instant")
	counts, err := store.Proposals.CountByState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for state, n := range counts {
		if n != 0 {
			t.Errorf("%d %s proposal(s) stored by a failed command", n, state)
		}
	}
	if _, err := store.DB.Exec(ctx, `DROP TRIGGER refuse_outbox`); err != nil {
		t.Fatal(err)
	}
	assertContains(t, "retry", member.Ask(b.UserID, room, propose).Body, "Proposition n°1 « Libérer le code » enregistrée")
}

// An encrypted installation moved with copy-db (to PostgreSQL when the
// tests have one, else another SQLite file) comes back as the same device
// with its keys: it still reads and answers in the encrypted room.
func TestEncryptedInstallationMoves(t *testing.T) {
	member := bottest.NewEncryptedMember(t, hs, "member")
	room := member.CreateEncryptedRoom("BlueHats chiffré")
	cfg := bottest.Config(t, hs)
	cfg.Matrix.Rooms = []string{room.String()}
	withEncryption(cfg)
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	member.WaitJoined(room, b.UserID)
	assertContains(t, "before the move", member.Ask(b.UserID, room, "!contact").Body, "contact@code.gouv.fr")
	device := b.Bot.Client().DeviceID
	b.Stop()

	target := config.Database{Type: "sqlite3", URI: filepath.Join(t.TempDir(), "moved.db")}
	if pgtest.Configured() {
		target = config.Database{Type: "postgres", URI: pgtest.Database(t)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	from, err := storage.Open(ctx, storage.Options{Type: cfg.Database.Type, URI: cfg.Database.URI}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	to, err := storage.Open(ctx, storage.Options{Type: target.Type, URI: target.URI}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	counts, err := storage.Copy(ctx, from, to)
	from.Close()
	to.Close()
	if err != nil {
		t.Fatal(err)
	}
	if counts["crypto_account"] != 1 || counts["crypto_megolm_inbound_session"] == 0 || counts["crypto_olm_session"] == 0 {
		t.Errorf("encryption keys not copied: %v", counts)
	}

	moved := *cfg
	moved.Database = target
	b = bottest.Start(t, &moved, bottest.Rehearsal)
	if b.Bot.Client().DeviceID != device {
		t.Errorf("device changed by the move: %s, was %s", b.Bot.Client().DeviceID, device)
	}
	sent := member.Send(room, "!horaires")
	reply := member.WaitFor("answer after the move", bottest.ReplyTo(b.UserID, sent))
	assertContains(t, "after the move", reply.Content.AsMessage().Body, "de 9h à 18h")
	if !reply.Mautrix.WasEncrypted {
		t.Error("the answer after the move was not encrypted")
	}
}

// !oublier over Matrix: the member's data goes, a published talk keeps only
// what the programme shows, and the organisers hear of it in their room,
// not in the public one.
func TestForgetTellsTheOrganiserRoom(t *testing.T) {
	member := bottest.NewMember(t, hs, "member")
	orga := bottest.NewMember(t, hs, "orga")
	public := orga.CreateRoom("BlueHats")
	member.Join(public)
	orgaRoom := orga.CreateRoom("Organisation")
	cfg := bottest.Config(t, hs)
	cfg.Matrix.Rooms = []string{public.String()}
	cfg.Bot.OrganiserRooms = []string{orgaRoom.String()}
	b := bottest.Start(t, cfg, "2023-12-05T10:00:00+01:00")
	orga.WaitJoined(orgaRoom, b.UserID)

	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	store := b.Bot.Store()
	slot := time.Date(2023, 12, 6, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	talk := &storage.Proposal{Author: member.Client.UserID, Lang: "fr", Minutes: 15, Title: "Gardée", Abstract: "Résumé privé", CreatedAt: time.Now()}
	if err := store.Proposals.Insert(ctx, talk); err != nil {
		t.Fatal(err)
	}
	talk.State, talk.SlotStart = storage.StateAccepted, slot
	if err := store.Proposals.Update(ctx, talk); err != nil {
		t.Fatal(err)
	}
	if err := store.State.Set(ctx, storage.PublishedKey(""), fmt.Sprint(time.Now().UnixMilli())); err != nil {
		t.Fatal(err)
	}

	dm := member.CreateDirect(b.UserID)
	member.WaitJoined(dm, b.UserID)
	assertContains(t, "ask", member.Ask(b.UserID, dm, "!oublier").Body, "!oublier confirmer")
	assertContains(t, "forget", member.Ask(b.UserID, dm, "!oublier confirmer").Body, "vos données sont effacées", "« Gardée »")
	orga.WaitFor("note in the organiser room", bottest.FromBotIn(b.UserID, orgaRoom, "a demandé l'effacement de ses données"))
	// The public room is the barrier's other side: an answer there comes
	// after any note the bot would have posted in it.
	orga.Ask(b.UserID, public, "!contact")
	if got := orga.Events(bottest.FromBotIn(b.UserID, public, "effacement")); len(got) != 0 {
		t.Error("the erasure was announced in the public room")
	}
	kept, err := store.Proposals.Get(ctx, talk.ID)
	if err != nil || kept == nil || kept.Author != "" || kept.Abstract != "" {
		t.Errorf("published talk after forget: %+v %v", kept, err)
	}
}
