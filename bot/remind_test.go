package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/storage"
)

// fakeSendServer is a homeserver that keeps the messages sent to it and,
// like a real one, treats a repeated transaction ID as the same message and
// lists a room's messages, newest first.
type fakeSendServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests int                 // sends
	byTxn    map[string]string   // transaction ID -> body
	byRoom   map[string][]string // room -> bodies accepted, in order
	events   map[string][]fakeEvent
	refuse   func(body string) bool
	down     bool // every request fails with 502, as behind a proxy whose homeserver is gone
}

type fakeEvent struct {
	ID      string          `json:"event_id"`
	Type    string          `json:"type"`
	Sender  string          `json:"sender"`
	Content json.RawMessage `json:"content"`
}

func newFakeSendServer(t *testing.T) *fakeSendServer {
	f := &fakeSendServer{byTxn: map[string]string{}, byRoom: map[string][]string{}, events: map[string][]fakeEvent{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.down {
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		parts := strings.Split(r.URL.Path, "/")
		if r.Method == http.MethodGet && parts[len(parts)-1] == "messages" {
			room, _ := url.PathUnescape(parts[len(parts)-2])
			var chunk []fakeEvent
			for _, e := range slices.Backward(f.events[room]) {
				chunk = append(chunk, e)
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"chunk": chunk, "start": "s"})
			return
		}
		if r.Method != http.MethodPut || len(parts) < 3 || parts[len(parts)-3] != "send" {
			http.Error(w, `{"errcode":"M_UNRECOGNIZED"}`, http.StatusNotFound)
			return
		}
		raw, _ := io.ReadAll(r.Body)
		var content struct{ Body string }
		_ = json.Unmarshal(raw, &content)
		f.requests++
		if f.refuse != nil && f.refuse(content.Body) {
			http.Error(w, `{"errcode":"M_UNKNOWN","error":"refused by the test"}`, http.StatusBadRequest)
			return
		}
		txn := parts[len(parts)-1]
		room, _ := url.PathUnescape(parts[len(parts)-4])
		if _, seen := f.byTxn[txn]; !seen {
			f.byRoom[room] = append(f.byRoom[room], content.Body)
			f.events[room] = append(f.events[room], fakeEvent{ID: "$" + txn, Type: "m.room.message", Sender: "@bot:example.org", Content: raw})
		}
		f.byTxn[txn] = content.Body
		_, _ = w.Write([]byte(`{"event_id": "$` + txn + `"}`))
	}))
	t.Cleanup(f.Close)
	return f
}

// A process that stops between sending a reminder and recording the send,
// on a homeserver that forgot the transaction, finds its message by its key
// when it restarts and does not send it again; the reminder itself is
// queued once (injected clocks throughout).
func TestReminderExactlyOnceAcrossACrash(t *testing.T) {
	hs := newFakeSendServer(t)
	due := time.Date(2023, 11, 19, 9, 0, 0, 0, time.FixedZone("CET", 3600))
	schedule := []config.Reminder{{At: due.Format(time.RFC3339), Text: "Date limite demain"}}
	start := func(b *Bot, now time.Time) {
		t.Helper()
		var err error
		if b.cli, err = mautrix.NewClient(hs.URL, "@bot:example.org", "token"); err != nil {
			t.Fatal(err)
		}
		b.calendar = clock.NewFake(now)
		b.firstStart = due.Add(-24 * time.Hour)
		b.rooms["!room:example.org"] = true
	}
	first := offlineBot(t, hs.URL, func(c *config.Config) { c.Reminders.Schedule = &schedule })
	start(first, due.Add(time.Second))
	ctx := context.Background()
	if _, err := first.fireReminders(ctx, first.calendar.Now()); err != nil {
		t.Fatal(err)
	}
	items, err := first.store.Outbox.Due(ctx, first.calendar.Now(), 10, nil)
	if err != nil || len(items) != 1 {
		t.Fatalf("queued: %d (%v), want 1", len(items), err)
	}
	// The crash: sent, not recorded.
	if err := first.SendWithoutRecording(ctx, items[0].Key); err != nil {
		t.Fatal(err)
	}

	// The restart, a minute later on the same database.
	cfg := first.s().cfg
	events, _ := cfg.BuildEvents()
	second, err := New(Options{Config: cfg, Events: events, Store: first.store, Log: first.log})
	if err != nil {
		t.Fatal(err)
	}
	start(second, due.Add(time.Minute))
	second.sched.runDue(ctx)
	if _, err := second.fireReminders(ctx, second.calendar.Now()); err != nil {
		t.Fatal(err)
	}
	second.sched.runDue(ctx)

	hs.mu.Lock()
	defer hs.mu.Unlock()
	if hs.requests != 1 || len(hs.byTxn) != 1 {
		t.Errorf("%d sends with %d distinct transaction IDs, want the one before the crash", hs.requests, len(hs.byTxn))
	}
	for _, body := range hs.byTxn {
		if !strings.Contains(body, "Date limite demain") {
			t.Errorf("message sent: %q", body)
		}
	}
	it, err := second.store.Outbox.Get(ctx, items[0].Key)
	if err != nil || it == nil || it.SentAt.IsZero() || it.EventID != id.EventID("$lost."+outboxTxnID(items[0].Key)) {
		t.Errorf("the send before the crash is not recorded: %+v %v", it, err)
	}
}

// The scheduler sends to several rooms at once but to each in queue order;
// after a failure, that room's later messages wait for the retry while the
// other rooms go on.
func TestSendInOrderPerDestination(t *testing.T) {
	hs := newFakeSendServer(t)
	hs.refuse = func(body string) bool { return body == "broken 2" }
	b := offlineBot(t, hs.URL, nil)
	var err error
	if b.cli, err = mautrix.NewClient(hs.URL, "@bot:example.org", "token"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rooms := []string{"!a:example.org", "!b:example.org", "!c:example.org", "!d:example.org", "!e:example.org", "!broken:example.org"}
	created := time.Now()
	for i := range 4 {
		for _, room := range rooms {
			name := strings.TrimSuffix(strings.TrimPrefix(room, "!"), ":example.org")
			queueNotice(t, b, fmt.Sprintf("test:%s:%d", room, i), room, fmt.Sprintf("%s %d", name, i+1), created.Add(time.Duration(i)*time.Millisecond))
		}
	}
	items, err := b.store.Outbox.Due(ctx, time.Now(), 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	pass := b.sched.sendInOrder(ctx, items, map[string]bool{})
	if pass.sent != 21 || pass.attempted != 22 || pass.retryIn <= 0 || pass.halted {
		t.Errorf("pass %+v; want 21 sent, 22 tried (all but the broken room's last three), a retry, no halt", pass)
	}
	hs.mu.Lock()
	defer hs.mu.Unlock()
	for _, room := range rooms {
		name := strings.TrimSuffix(strings.TrimPrefix(room, "!"), ":example.org")
		want := []string{name + " 1", name + " 2", name + " 3", name + " 4"}
		if name == "broken" {
			want = want[:1]
		}
		if got := hs.byRoom[room]; !slices.Equal(got, want) {
			t.Errorf("room %s received %q, want %q", name, got, want)
		}
	}
}

// A page of messages that all wait for a retry does not hold back the
// messages behind it: the scheduler reads the next page.
func TestFailingPageDoesNotStallTheQueue(t *testing.T) {
	hs := newFakeSendServer(t)
	hs.refuse = func(body string) bool { return strings.HasPrefix(body, "bad") }
	b := offlineBot(t, hs.URL, nil)
	var err error
	if b.cli, err = mautrix.NewClient(hs.URL, "@bot:example.org", "token"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	created := time.Now()
	for i := range 100 {
		queueNotice(t, b, fmt.Sprintf("bad:%03d", i), fmt.Sprintf("!bad%03d:example.org", i), fmt.Sprintf("bad %d", i), created)
	}
	queueNotice(t, b, "good", "!good:example.org", "good", created.Add(time.Second))
	b.sched.runDue(ctx) // the first page fails: the pass ends there
	b.sched.runDue(ctx) // the first page waits whole: the next is read
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if got := hs.byRoom["!good:example.org"]; len(got) != 1 {
		t.Errorf("the message behind a failing page: %q, want it sent", got)
	}
}

// When the homeserver fails as a whole, the pass stops at the first
// failures instead of spending an attempt of every queued message.
func TestOutageStopsThePass(t *testing.T) {
	hs := newFakeSendServer(t)
	hs.down = true
	b := offlineBot(t, hs.URL, nil)
	var err error
	if b.cli, err = mautrix.NewClient(hs.URL, "@bot:example.org", "token"); err != nil {
		t.Fatal(err)
	}
	b.sched.sendTimeout = 300 * time.Millisecond // the send's own retries back off for seconds
	ctx := context.Background()
	for i := range 50 {
		queueNotice(t, b, fmt.Sprintf("m:%02d", i), fmt.Sprintf("!r%02d:example.org", i), "hello", time.Now())
	}
	items, err := b.store.Outbox.Due(ctx, time.Now(), 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	pass := b.sched.sendInOrder(ctx, items, map[string]bool{})
	if !pass.halted || pass.sent != 0 {
		t.Errorf("pass %+v: not halted by a 502", pass)
	}
	if pass.attempted > sendWorkers {
		t.Errorf("%d messages tried during an outage, want at most one per worker (%d)", pass.attempted, sendWorkers)
	}
}

// queueNotice puts a notice for a room in the bot's outbox.
func queueNotice(t *testing.T, b *Bot, key, room, body string, created time.Time) {
	t.Helper()
	content, _ := json.Marshal(map[string]string{"msgtype": "m.notice", "body": body})
	it := &storage.OutboxItem{Key: key, Room: id.RoomID(room), EventType: "m.room.message", Content: string(content), CreatedAt: created}
	if _, err := b.store.Outbox.Enqueue(context.Background(), it); err != nil {
		t.Fatal(err)
	}
}
