// Package bottest runs bluehats-bot against the local Dendrite for
// integration tests: a bot built from the example config, and members that
// send messages and wait (with bounded timeouts, never sleeps) for the
// bot's answers.
package bottest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto/cryptohelper"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/bot"
	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/internal/devserver"
	"github.com/bluehats/bluehats-bot/storage"
)

// Timeout bounds every wait for the bot; generous because CI machines are
// shared, and a wait returns as soon as the event arrives.
const Timeout = 30 * time.Second

// Rehearsal is the calendar instant most tests run at: a week before the
// proposal deadline of the seed event.
const Rehearsal = "2023-11-13T10:00:00+01:00"

// Unique returns a fresh lower-case name, so tests sharing one homeserver
// never see each other's accounts.
func Unique(prefix string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return strings.ToLower(prefix) + "-" + hex.EncodeToString(b[:])
}

// repoRoot finds the repository root from this file's location.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Config returns the example config pointed at the test homeserver, for a
// freshly registered bot account. Tests adjust it before starting the bot.
func Config(t testing.TB, hs *devserver.Server) *config.Config {
	t.Helper()
	path := filepath.Join(repoRoot(), "config.yaml.example")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, problems := config.Parse([]byte(strings.Replace(string(data), `password: ""`, `password: "placeholder"`, 1)))
	if len(problems.Errors()) > 0 {
		t.Fatalf("example config: %v", problems)
	}
	cfg.Path = path
	local := Unique("bot")
	password := "pw-" + local
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if err := hs.Register(ctx, local, password, false); err != nil {
		t.Fatalf("register bot: %v", err)
	}
	cfg.Matrix.HomeserverURL = hs.URL
	cfg.Matrix.UserID = hs.UserID(local).String()
	cfg.Matrix.Password = config.Secret(password)
	cfg.Matrix.Rooms = nil
	cfg.Bot.Organisers = nil
	cfg.Database.URI = filepath.Join(t.TempDir(), "bot.db")
	// Tests fire many commands from one member; those that test the
	// limits set their own.
	cfg.Bot.RateLimit = config.RateLimit{Burst: 1000, PerMinute: 60000}
	return cfg
}

// Bot is a bot running in the test process.
type Bot struct {
	t      testing.TB
	Bot    *bot.Bot
	UserID id.UserID
	cancel context.CancelFunc
	done   chan error
	store  *storage.Store
}

// Start runs a bot with cfg, the calendar clock at now (RFC 3339, or "" for
// the real time), and waits until it has synced once. Stop is registered as
// a cleanup.
func Start(t testing.TB, cfg *config.Config, now string) *Bot {
	t.Helper()
	events, problems := cfg.BuildEvents()
	if len(problems) > 0 {
		t.Fatalf("event: %v", problems)
	}
	var cal clock.Clock = clock.Real{}
	if now != "" {
		at, err := time.Parse(time.RFC3339, now)
		if err != nil {
			t.Fatal(err)
		}
		cal = clock.NewRehearsal(at)
	}
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel).With().Timestamp().Str("bot", cfg.Matrix.UserID).Logger()
	ctx, cancel := context.WithCancel(context.Background())
	store, err := storage.Open(ctx, storage.Options{Type: cfg.Database.Type, URI: cfg.Database.URI}, log)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	b, err := bot.New(bot.Options{Config: cfg, Events: events, Store: store, Calendar: cal, Log: log})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	tb := &Bot{t: t, Bot: b, UserID: id.UserID(cfg.Matrix.UserID), cancel: cancel, done: make(chan error, 1), store: store}
	go func() { tb.done <- b.Run(ctx) }()
	select {
	case <-b.Ready():
	case err := <-tb.done:
		t.Fatalf("bot stopped before its first sync: %v", err)
	case <-time.After(Timeout):
		t.Fatal("bot not ready in time")
	}
	t.Cleanup(tb.Stop)
	return tb
}

// Stop stops the bot and waits for it; calling it twice is harmless.
func (b *Bot) Stop() {
	if b.cancel == nil {
		return
	}
	b.cancel()
	b.cancel = nil
	select {
	case err := <-b.done:
		if err != nil {
			b.t.Errorf("bot stopped with an error: %v", err)
		}
	case <-time.After(Timeout):
		b.t.Error("bot did not stop in time")
	}
	_ = b.store.Close()
}

// Member is a second Matrix client, acting as a community member.
type Member struct {
	t      testing.TB
	Client *mautrix.Client

	mu     sync.Mutex
	events []*event.Event
	notify chan struct{}
	cancel context.CancelFunc
}

// NewMember registers and logs in a member, and starts its sync loop.
func NewMember(t testing.TB, hs *devserver.Server, prefix string) *Member {
	return newMember(t, hs, prefix, false)
}

// NewEncryptedMember is a member whose client does end-to-end encryption
// (mautrix's crypto helper, as the bot uses it): it decrypts what it gets
// and encrypts what it sends to encrypted rooms.
func NewEncryptedMember(t testing.TB, hs *devserver.Server, prefix string) *Member {
	return newMember(t, hs, prefix, true)
}

func newMember(t testing.TB, hs *devserver.Server, prefix string, encrypted bool) *Member {
	t.Helper()
	local := Unique(prefix)
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if err := hs.Register(ctx, local, "pw-"+local, false); err != nil {
		t.Fatalf("register member: %v", err)
	}
	cli, err := hs.Login(ctx, local, "pw-"+local)
	if err != nil {
		t.Fatalf("log in member: %v", err)
	}
	m := &Member{t: t, Client: cli, notify: make(chan struct{})}
	syncer := cli.Syncer.(*mautrix.DefaultSyncer)
	if encrypted {
		helper, err := cryptohelper.NewCryptoHelper(cli, []byte("member pickle key"), filepath.Join(t.TempDir(), "crypto.db"))
		if err != nil {
			t.Fatal(err)
		}
		if err := helper.Init(ctx); err != nil {
			t.Fatalf("member encryption: %v", err)
		}
		cli.Crypto = helper
		t.Cleanup(func() { _ = helper.Close() })
	}
	collect := func(_ context.Context, evt *event.Event) { m.add(evt) }
	syncer.OnEventType(event.EventMessage, collect)
	syncer.OnEventType(event.EventRedaction, collect)
	syncer.OnEventType(event.StateMember, func(ctx context.Context, evt *event.Event) {
		// Accept the direct chats the bot opens, like a member's client would.
		if evt.Mautrix.EventSource&event.SourceInvite != 0 && evt.GetStateKey() == cli.UserID.String() &&
			evt.Content.AsMember().Membership == event.MembershipInvite {
			if _, err := cli.JoinRoomByID(ctx, evt.RoomID); err != nil {
				t.Logf("member could not accept an invite: %v", err)
			}
		}
		m.add(evt)
	})
	sctx, scancel := context.WithCancel(context.Background())
	m.cancel = scancel
	done := make(chan struct{})
	go func() {
		defer close(done)
		for sctx.Err() == nil {
			if err := cli.SyncWithContext(sctx); err != nil && !errors.Is(err, context.Canceled) {
				t.Logf("member sync: %v", err)
			}
		}
	}()
	t.Cleanup(func() { scancel(); <-done })
	return m
}

func (m *Member) add(evt *event.Event) {
	m.mu.Lock()
	m.events = append(m.events, evt)
	close(m.notify)
	m.notify = make(chan struct{})
	m.mu.Unlock()
}

// Events returns the events seen so far that satisfy pred.
func (m *Member) Events(pred func(*event.Event) bool) []*event.Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*event.Event
	for _, e := range m.events {
		if pred(e) {
			out = append(out, e)
		}
	}
	return out
}

// WaitFor returns the first event satisfying pred, waiting up to Timeout.
func (m *Member) WaitFor(what string, pred func(*event.Event) bool) *event.Event {
	m.t.Helper()
	deadline := time.After(Timeout)
	for {
		m.mu.Lock()
		for _, e := range m.events {
			if pred(e) {
				m.mu.Unlock()
				return e
			}
		}
		ch := m.notify
		m.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			m.t.Fatalf("timed out waiting for %s", what)
			return nil
		}
	}
}

// ReplyTo matches the bot's messages replying to an event.
func ReplyTo(botID id.UserID, to id.EventID) func(*event.Event) bool {
	return func(e *event.Event) bool {
		if e.Sender != botID || e.Type != event.EventMessage {
			return false
		}
		msg := e.Content.AsMessage()
		return msg.RelatesTo != nil && msg.RelatesTo.GetReplyTo() == to
	}
}

// Send posts a text message and returns its event ID.
func (m *Member) Send(room id.RoomID, body string) id.EventID {
	m.t.Helper()
	return m.SendContent(room, &event.MessageEventContent{MsgType: event.MsgText, Body: body})
}

// SendContent posts a message with the given content.
func (m *Member) SendContent(room id.RoomID, content *event.MessageEventContent) id.EventID {
	m.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	resp, err := m.Client.SendMessageEvent(ctx, room, event.EventMessage, content)
	if err != nil {
		m.t.Fatalf("send %q: %v", content.Body, err)
	}
	return resp.EventID
}

// Ask sends a message and waits for the bot's first reply to it.
func (m *Member) Ask(botID id.UserID, room id.RoomID, body string) *event.MessageEventContent {
	m.t.Helper()
	sent := m.Send(room, body)
	return m.WaitFor("reply to "+body, ReplyTo(botID, sent)).Content.AsMessage()
}

// CreateRoom creates a public room and returns its ID.
func (m *Member) CreateRoom(name string) id.RoomID {
	m.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	resp, err := m.Client.CreateRoom(ctx, &mautrix.ReqCreateRoom{Name: name, Preset: "public_chat"})
	if err != nil {
		m.t.Fatalf("create room: %v", err)
	}
	return resp.RoomID
}

// CreateDirect opens a direct chat with a user (the bot) and returns its ID.
func (m *Member) CreateDirect(with id.UserID) id.RoomID {
	return m.createDirect(with, false)
}

// CreateEncryptedDirect opens an encrypted direct chat with a user.
func (m *Member) CreateEncryptedDirect(with id.UserID) id.RoomID {
	return m.createDirect(with, true)
}

// CreateEncryptedRoom creates a public room with encryption on.
func (m *Member) CreateEncryptedRoom(name string) id.RoomID {
	m.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	resp, err := m.Client.CreateRoom(ctx, &mautrix.ReqCreateRoom{Name: name, Preset: "public_chat", InitialState: encryptionState()})
	if err != nil {
		m.t.Fatalf("create room: %v", err)
	}
	return resp.RoomID
}

func encryptionState() []*event.Event {
	return []*event.Event{{
		Type:    event.StateEncryption,
		Content: event.Content{Parsed: &event.EncryptionEventContent{Algorithm: id.AlgorithmMegolmV1}},
	}}
}

func (m *Member) createDirect(with id.UserID, encrypted bool) id.RoomID {
	m.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	req := &mautrix.ReqCreateRoom{Preset: "trusted_private_chat", IsDirect: true, Invite: []id.UserID{with}}
	if encrypted {
		req.InitialState = encryptionState()
	}
	resp, err := m.Client.CreateRoom(ctx, req)
	if err != nil {
		m.t.Fatalf("create direct chat: %v", err)
	}
	return resp.RoomID
}

// WaitJoined waits until a user has joined a room.
func (m *Member) WaitJoined(room id.RoomID, user id.UserID) {
	m.t.Helper()
	m.WaitFor(user.String()+" joining "+room.String(), func(e *event.Event) bool {
		return e.RoomID == room && e.Type == event.StateMember && e.GetStateKey() == user.String() &&
			e.Content.AsMember().Membership == event.MembershipJoin
	})
}

// Join joins a public room.
func (m *Member) Join(room id.RoomID) {
	m.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if _, err := m.Client.JoinRoomByID(ctx, room); err != nil {
		m.t.Fatalf("join %s: %v", room, err)
	}
}

// React sends a reaction to an event.
func (m *Member) React(room id.RoomID, to id.EventID, key string) {
	m.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if _, err := m.Client.SendReaction(ctx, room, to, key); err != nil {
		m.t.Fatalf("react: %v", err)
	}
}

// FromBotElsewhere matches the bot's messages outside a room (its direct
// chats) whose body contains text.
func FromBotElsewhere(botID id.UserID, notIn id.RoomID, text string) func(*event.Event) bool {
	return func(e *event.Event) bool {
		return e.Sender == botID && e.Type == event.EventMessage && e.RoomID != notIn &&
			strings.Contains(e.Content.AsMessage().Body, text)
	}
}

// FromBotIn matches the bot's messages in a room whose body contains text.
func FromBotIn(botID id.UserID, room id.RoomID, text string) func(*event.Event) bool {
	return func(e *event.Event) bool {
		return e.Sender == botID && e.Type == event.EventMessage && e.RoomID == room &&
			strings.Contains(e.Content.AsMessage().Body, text)
	}
}

// OwnServer starts a Dendrite for one test, for tests that stop or restart
// it: never the one the package shares.
func OwnServer(t testing.TB) *devserver.Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	own, err := devserver.Start(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = own.Stop() })
	return own
}

// Main runs a test binary with one real Dendrite for the package (or the
// one named by BLUEHATS_TEST_HS_DIR), handed to set before the tests run;
// call it from TestMain.
func Main(m *testing.M, set func(*devserver.Server)) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	srv, stop, err := devserver.ForTests(ctx)
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "start Dendrite: %v\n", err)
		os.Exit(1)
	}
	set(srv)
	code := m.Run()
	stop()
	os.Exit(code)
}

// SetPowerLevel gives a user a power level in a room the member administers.
func (m *Member) SetPowerLevel(room id.RoomID, user id.UserID, level int) {
	m.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	var pl event.PowerLevelsEventContent
	if err := m.Client.StateEvent(ctx, room, event.StatePowerLevels, "", &pl); err != nil {
		m.t.Fatalf("read power levels: %v", err)
	}
	pl.SetUserLevel(user, level)
	if _, err := m.Client.SendStateEvent(ctx, room, event.StatePowerLevels, "", &pl); err != nil {
		m.t.Fatalf("set power levels: %v", err)
	}
}
