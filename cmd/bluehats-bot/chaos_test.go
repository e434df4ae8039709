package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/internal/bottest"
	"github.com/bluehats/bluehats-bot/internal/devserver"
	"github.com/bluehats/bluehats-bot/storage"
)

// chaosMembers is how many opted-in members get the reminder by direct
// chat, besides the room.
const chaosMembers = 40

// The real binary is SIGKILLed three times while it fans a reminder out to
// 40 members and the room, each time with sends the homeserver stored but
// the bot never heard back from, and the homeserver restarts once during
// the fan-out. A proxy in front of the homeserver gives every send a
// transaction ID of its own, as a homeserver that forgot them would, so
// only the bot's own reconciliation stands between a kill and a duplicate.
// Counted from the members' side: every message once, none twice; and a
// command reply cut off the same way is not repeated either.
func TestChaosFanOut(t *testing.T) {
	server := bottest.OwnServer(t)
	proxy := newChaosProxy(t, server.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	observer, room := observerRoom(t, ctx, server)
	members := make([]*mautrix.Client, chaosMembers)
	for i := range members {
		var err error
		if members[i], err = server.RegisterClient(ctx, bottest.Unique(fmt.Sprintf("m%02d", i)), "pw-member", false); err != nil {
			t.Fatal(err)
		}
	}

	dir := t.TempDir()
	bin := buildBinary(t, dir)
	cfg := bottest.Config(t, server)
	const at = "2023-11-15T15:00:00+01:00"
	writeChaosConfig(t, dir, room, cfg.Matrix.UserID, cfg.Matrix.Password.Reveal(), proxy.URL, at)
	optIn(t, ctx, filepath.Join(dir, "bot.db"), members)
	botID := id.UserID(cfg.Matrix.UserID)
	now := "2023-11-15T14:59:57+01:00"

	// Three kills, each after a few sends of the run, with sends held.
	var runs []*chaosProcess
	startChaos := func(t *testing.T, bin, dir, now string) *chaosProcess {
		p := startChaos(t, bin, dir, now)
		runs = append(runs, p)
		return p
	}
	found := func() (n int) {
		for _, r := range runs {
			n += r.lines("Found an earlier send")
		}
		return n
	}
	p := startChaos(t, bin, dir, now)
	for kill := 1; kill <= 3; kill++ {
		p.waitLines(t, "Sent queued message", 6)
		proxy.holdUntilOneIsHeld(t)
		p.kill(t)
		proxy.releaseHeld()
		p = startChaos(t, bin, dir, now)
	}
	// The homeserver restarts in the middle of the fan-out: the bot's
	// requests fail meanwhile.
	p.waitLines(t, "Sent queued message", 4)
	proxy.holdUntilOneIsHeld(t)
	proxy.goDown()
	restartAt := time.Now()
	if err := server.Restart(ctx); err != nil {
		t.Fatalf("restart the homeserver: %v", err)
	}
	proxy.up()
	p.waitDrained(t, ctx, filepath.Join(dir, "bot.db"), `SELECT COUNT(*) FROM reminder_fired`)

	count := func(cli *mautrix.Client, rooms []id.RoomID) int {
		n := 0
		for _, r := range rooms {
			for _, evt := range messagesIn(t, ctx, cli, r) {
				if evt.Sender == botID && strings.Contains(evt.Content.AsMessage().Body, "Rappel chaos") {
					n++
				}
			}
		}
		return n
	}
	if n := count(observer, []id.RoomID{room}); n != 1 {
		t.Errorf("the room got the reminder %d times, want 1", n)
	}
	missing, twice := 0, 0
	for i, m := range members {
		switch n := count(m, joinInvites(t, ctx, m)); {
		case n == 0:
			missing++
			logMissing(t, ctx, filepath.Join(dir, "bot.db"), m)
			for ri, r := range runs {
				for _, line := range strings.Split(r.stderr.String(), "\n") {
					if strings.Contains(line, m.UserID.String()) && !strings.Contains(line, "debug") {
						t.Logf("run %d: %s", ri, line[:min(len(line), 300)])
					}
				}
			}
			t.Logf("restart at %s", restartAt.Format(time.RFC3339Nano))
		case n > 1:
			twice++
			t.Logf("member %d got the reminder %d times", i, n)
		}
	}
	if missing > 0 || twice > 0 {
		t.Errorf("%d of %d members missing the reminder, %d got it more than once", missing, chaosMembers, twice)
	}
	// The kills must have left messages in doubt, or the test proves nothing.
	if found() == 0 {
		t.Error("no message was found in doubt after the kills")
	}
	t.Logf("%d messages in doubt found sent and not sent again", found())

	// A command reply cut off in flight is not repeated either.
	p.waitLines(t, "Ready: first sync processed", 1)
	proxy.hold()
	sent := sendText(t, ctx, observer, room, "!contact")
	proxy.waitHeld(t)
	p.kill(t)
	proxy.releaseHeld()
	p = startChaos(t, bin, dir, now)
	p.waitLines(t, "Ready: first sync processed", 1)
	barrier := sendText(t, ctx, observer, room, "!aide")
	replies := func(to id.EventID) int {
		n := 0
		for _, evt := range messagesIn(t, ctx, observer, room) {
			if evt.Sender == botID && evt.Content.AsMessage().RelatesTo.GetReplyTo() == to {
				n++
			}
		}
		return n
	}
	deadline := time.Now().Add(bottest.Timeout)
	for replies(barrier) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no reply to the barrier after the restart")
		}
		p.waitLines(t, "Sent queued message", p.lines("Sent queued message")+1)
	}
	if n := replies(sent); n != 1 {
		t.Errorf("the command cut off by the kill was answered %d times, want 1", n)
	}
}

// observerRoom registers a member who creates the bot's room, public, and
// watches it.
func observerRoom(t *testing.T, ctx context.Context, server *devserver.Server) (*mautrix.Client, id.RoomID) {
	t.Helper()
	observer, err := server.RegisterClient(ctx, bottest.Unique("observer"), "pw-observer", false)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := observer.CreateRoom(ctx, &mautrix.ReqCreateRoom{Preset: "public_chat", Name: "BlueHats"})
	if err != nil {
		t.Fatal(err)
	}
	return observer, resp.RoomID
}

// chaosProxy stands between the bot and the homeserver. Every send gets a
// transaction ID of its own on the way, so that the homeserver never
// recognises a resend; on demand, it holds the homeserver's answers to
// sends, so that a kill lands on messages stored but not acknowledged.
type chaosProxy struct {
	URL     string
	n       atomic.Int64
	mu      sync.Mutex
	holding bool
	release chan struct{}
	held    chan struct{}
	// While down, requests fail as if the homeserver were unreachable;
	// writes is the writes under way, waited for before going down, so
	// that the homeserver stops with none half-done (Dendrite v0.13.8
	// may answer a send it then loses when stopped in the middle of it).
	down   atomic.Bool
	writes sync.WaitGroup
}

func newChaosProxy(t *testing.T, target string) *chaosProxy {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &chaosProxy{release: make(chan struct{}), held: make(chan struct{}, 64)}
	rp := httputil.NewSingleHostReverseProxy(u)
	director := rp.Director
	rp.Director = func(r *http.Request) {
		director(r)
		if isSend(r) {
			r.URL.Path = fmt.Sprintf("%s.chaos%d", r.URL.Path, p.n.Add(1))
			r.URL.RawPath = ""
		}
	}
	rp.ModifyResponse = func(resp *http.Response) error {
		if !isSend(resp.Request) {
			return nil
		}
		p.mu.Lock()
		holding, release := p.holding, p.release
		p.mu.Unlock()
		if holding {
			p.held <- struct{}{}
			<-release
		}
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.down.Load() {
			http.Error(w, "homeserver down", http.StatusBadGateway)
			return
		}
		if r.Method != http.MethodGet {
			p.writes.Add(1)
			defer p.writes.Done()
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		p.releaseHeld()
		srv.Close()
	})
	p.URL = srv.URL
	return p
}

func isSend(r *http.Request) bool {
	return r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/send/")
}

// goDown makes the homeserver unreachable for the bot, once the writes
// under way are done; up brings it back.
func (p *chaosProxy) goDown() {
	p.down.Store(true)
	p.releaseHeld()
	p.writes.Wait()
}

func (p *chaosProxy) up() { p.down.Store(false) }

// hold starts holding the answers to sends.
func (p *chaosProxy) hold() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.holding = true
	for len(p.held) > 0 {
		<-p.held
	}
}

// waitHeld waits until the homeserver has stored a send whose answer is held.
func (p *chaosProxy) waitHeld(t *testing.T) {
	t.Helper()
	select {
	case <-p.held:
	case <-time.After(bottest.Timeout):
		t.Fatal("no send held")
	}
}

func (p *chaosProxy) holdUntilOneIsHeld(t *testing.T) {
	t.Helper()
	p.hold()
	p.waitHeld(t)
}

// releaseHeld lets the held answers go (to a client that may be dead) and
// stops holding.
func (p *chaosProxy) releaseHeld() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.holding {
		close(p.release)
		p.release = make(chan struct{})
		p.holding = false
	}
}

// chaosProcess is one run of the binary, with a way to wait on its logs.
type chaosProcess struct {
	*botProcess
	notify chan struct{}
}

func startChaos(t *testing.T, bin, dir, now string) *chaosProcess {
	t.Helper()
	c := &chaosProcess{notify: make(chan struct{}, 1)}
	c.botProcess = startBinaryAt(t, bin, dir, now, c.poke)
	return c
}

// poke tells a waiter that the process logged something.
func (c *chaosProcess) poke() {
	select {
	case c.notify <- struct{}{}:
	default:
	}
}

func (c *chaosProcess) lines(msg string) int {
	return strings.Count(c.stderr.String(), `"message":"`+msg+`"`)
}

// waitLines waits until the process has logged msg n times.
func (c *chaosProcess) waitLines(t *testing.T, msg string, n int) {
	t.Helper()
	timeout := time.After(bottest.Timeout)
	for c.lines(msg) < n {
		select {
		case <-c.notify:
		case err := <-c.exited:
			t.Fatalf("the bot exited (%v) before logging %q %d times:\n%s", err, msg, n, c.stderr.String())
		case <-timeout:
			t.Fatalf("the bot logged %q %d times, not %d", msg, c.lines(msg), n)
		}
	}
}

func (c *chaosProcess) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-c.exited
}

// writeChaosConfig writes a config with one reminder, at at, to the room
// and to everyone who opted in.
func writeChaosConfig(t *testing.T, dir string, room id.RoomID, userID, password, homeserver, at string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "examples"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "examples", "open-source-experience-2023.md"), mustRead(t, "../../examples/open-source-experience-2023.md"))
	text := strings.NewReplacer(
		"homeserver_url: https://matrix.example.org", "homeserver_url: "+homeserver,
		`user_id: "@bluehats-bot:example.org"`, `user_id: "`+userID+`"`,
		`password: ""`, `password: "`+password+`"`,
		`- "#bluehats:example.org"`, `- "`+room.String()+`"`,
		"uri: bluehats.db", "uri: "+filepath.Join(dir, "bot.db"),
		"  # schedule:\n", "  schedule:\n    - at: "+at+"\n      text: \"⏰ Rappel chaos\"\n",
	).Replace(mustRead(t, "../../config.yaml.example"))
	writeFile(t, filepath.Join(dir, "config.yaml"), text)
}

// optIn records the members' choice to get reminders by direct chat, as
// !rappels oui does.
func optIn(t *testing.T, ctx context.Context, path string, members []*mautrix.Client) {
	t.Helper()
	store, err := storage.Open(ctx, storage.Options{Type: "sqlite3", URI: path}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, m := range members {
		if err := store.Prefs.Put(ctx, storage.ReminderPref{User: m.UserID, Enabled: true, Lang: "fr"}, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

// waitDrained waits until the work counted by started has begun and the
// outbox has nothing left to send, reading the bot's database beside it
// each time the bot logs.
func (c *chaosProcess) waitDrained(t *testing.T, ctx context.Context, path, started string) {
	t.Helper()
	store, err := storage.Open(ctx, storage.Options{Type: "sqlite3", URI: path}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	timeout := time.After(3 * bottest.Timeout)
	for {
		var left, begun int
		if err := store.DB.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL`).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if err := store.DB.QueryRow(ctx, started).Scan(&begun); err != nil {
			t.Fatal(err)
		}
		if left == 0 && begun > 0 {
			return
		}
		select {
		case <-c.notify:
		case err := <-c.exited:
			t.Fatalf("the bot exited (%v) with %d messages queued", err, left)
		case <-timeout:
			t.Fatalf("%d messages still queued", left)
		}
	}
}

// sendText sends a message as a member, waiting out rate limits.
func sendText(t *testing.T, ctx context.Context, cli *mautrix.Client, room id.RoomID, text string) id.EventID {
	t.Helper()
	var resp *mautrix.RespSendEvent
	if err := devserver.RetryRateLimited(ctx, func() (err error) { resp, err = cli.SendText(ctx, room, text); return err }); err != nil {
		t.Fatal(err)
	}
	return resp.EventID
}

// joinInvites accepts the direct chats the bot opened with a member and
// returns every room the member is in, once the member's sync shows them
// joined (the homeserver's sync lags its writes by a moment).
func joinInvites(t *testing.T, ctx context.Context, cli *mautrix.Client) []id.RoomID {
	t.Helper()
	resp := syncOnce(t, ctx, cli, "", "", 0)
	for r := range resp.Rooms.Invite {
		if err := devserver.RetryRateLimited(ctx, func() error { _, err := cli.JoinRoomByID(ctx, r); return err }); err != nil {
			t.Fatal(err)
		}
	}
	var joined *mautrix.RespJoinedRooms
	if err := devserver.RetryRateLimited(ctx, func() (err error) { joined, err = cli.JoinedRooms(ctx); return err }); err != nil {
		t.Fatal(err)
	}
	seen := map[id.RoomID]bool{}
	for r := range resp.Rooms.Join {
		seen[r] = true
	}
	timeout := time.After(bottest.Timeout)
	for _, r := range joined.JoinedRooms {
		for !seen[r] {
			select {
			case <-timeout:
				t.Fatalf("%s never shows in the member's sync", r)
			default:
			}
			resp = syncOnce(t, ctx, cli, resp.NextBatch, "", 5*time.Second)
			for r := range resp.Rooms.Join {
				seen[r] = true
			}
		}
	}
	return joined.JoinedRooms
}

// syncOnce makes one sync request, long-polling up to wait.
func syncOnce(t *testing.T, ctx context.Context, cli *mautrix.Client, since, filter string, wait time.Duration) *mautrix.RespSync {
	t.Helper()
	var resp *mautrix.RespSync
	if err := devserver.RetryRateLimited(ctx, func() (err error) {
		resp, err = cli.SyncRequest(ctx, int(wait.Milliseconds()), since, filter, false, event.PresenceOffline)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return resp
}

// messagesIn reads a room's messages as the member's client does on a
// fresh start: an initial sync whose timeline is long enough for the room.
// (Dendrite's /messages leaves out events sent while the member was only
// invited, which a client shows once it joins.)
func messagesIn(t *testing.T, ctx context.Context, cli *mautrix.Client, room id.RoomID) []*event.Event {
	t.Helper()
	filter := fmt.Sprintf(`{"room":{"rooms":[%q],"timeline":{"limit":500,"types":["m.room.message"]}}}`, room)
	resp := syncOnce(t, ctx, cli, "", filter, 0)
	joined, ok := resp.Rooms.Join[room]
	if !ok {
		return nil
	}
	if joined.Timeline.Limited {
		t.Fatalf("more than 500 messages in %s", room)
	}
	for _, evt := range joined.Timeline.Events {
		_ = evt.Content.ParseRaw(evt.Type)
	}
	return joined.Timeline.Events
}

func logMissing(t *testing.T, ctx context.Context, path string, m *mautrix.Client) {
	store, err := storage.Open(ctx, storage.Options{Type: "sqlite3", URI: path}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	rows, err := store.DB.Query(ctx, `SELECT key, room_id, user_id, COALESCE(event_id, ''), tried_room, attempts FROM outbox WHERE user_id=$1`, m.UserID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, r, u, e, tr string
		var a int
		_ = rows.Scan(&k, &r, &u, &e, &tr, &a)
		t.Logf("missing %s: key %s event %s tried %q attempts %d", m.UserID, k, e, tr, a)
		dm, _ := store.DirectRooms.Get(ctx, m.UserID)
		evt, err := m.GetEvent(ctx, dm, id.EventID(e))
		t.Logf("the event: %v %v", evt, err)
		if evt != nil {
			t.Logf("content: %s", evt.Content.VeryRaw)
		}
	}
	dm, _ := store.DirectRooms.Get(ctx, m.UserID)
	joined, _ := m.JoinedRooms(ctx)
	t.Logf("direct room %s; joined %v", dm, joined.JoinedRooms)
}
