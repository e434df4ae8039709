package bot_test

import (
	"context"
	"strings"
	"testing"

	"maunium.net/go/mautrix/event"

	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/internal/bottest"
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
