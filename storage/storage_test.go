package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/internal/pgtest"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bot.db")
	s, err := Open(context.Background(), Options{Type: "sqlite3", URI: path}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestDatabaseFileIsPrivate(t *testing.T) {
	_, path := openTemp(t)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := st.Mode().Perm(); perm != 0o600 {
		t.Errorf("database file mode: got %o, want 600", perm)
	}
}

func TestBotStateSurvivesReopen(t *testing.T) { eachDB(t, testBotStateSurvivesReopen) }

func testBotStateSurvivesReopen(t *testing.T, open func() *Store) {
	ctx := context.Background()
	s := open()
	tests := []struct{ key, value string }{
		{KeyNextBatch, "s1_2_3"},
		{KeyDeviceID, "ABCDEF"},
		{KeyNextBatch, "s4_5_6"}, // overwrite
		{"weird'; DROP TABLE bot_state; --", "ok"},
		{"emoji 🎩", "‮rtl​zero-width"},
	}
	for _, tc := range tests {
		if err := s.State.Set(ctx, tc.key, tc.value); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s2 := open()
	want := map[string]string{KeyNextBatch: "s4_5_6", KeyDeviceID: "ABCDEF", "weird'; DROP TABLE bot_state; --": "ok", "emoji 🎩": "‮rtl​zero-width", "absent": ""}
	for k, v := range want {
		got, err := s2.State.Get(ctx, k)
		if err != nil || got != v {
			t.Errorf("%q: got %q, %v; want %q", k, got, err, v)
		}
	}
	if err := s2.State.Delete(ctx, KeyDeviceID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s2.State.Get(ctx, KeyDeviceID); got != "" {
		t.Errorf("deleted key still there: %q", got)
	}
}

func TestHandledEventsMarkOnce(t *testing.T) { eachDB(t, testHandledEventsMarkOnce) }

func testHandledEventsMarkOnce(t *testing.T, open func() *Store) {
	ctx := context.Background()
	s := open()
	now := time.Now()
	if ok, _ := s.Handled.Has(ctx, "$a"); ok {
		t.Fatal("fresh database says $a handled")
	}
	first, err := s.Handled.Mark(ctx, "$a", "!r:x", "@u:x", now)
	if err != nil || !first {
		t.Fatalf("first mark: %v %v", first, err)
	}
	again, err := s.Handled.Mark(ctx, "$a", "!r:x", "@u:x", now)
	if err != nil || again {
		t.Fatalf("second mark must report false: %v %v", again, err)
	}
	if ok, _ := s.Handled.Has(ctx, "$a"); !ok {
		t.Fatal("$a not handled after mark")
	}
	if _, err := s.Handled.Mark(ctx, "$old", "!r:x", "@u:x", now.Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	n, err := s.Handled.Prune(ctx, now.Add(-24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("prune: %d %v", n, err)
	}
	if ok, _ := s.Handled.Has(ctx, "$old"); ok {
		t.Error("$old survived prune")
	}
}

func TestOpenRejectsUnknownType(t *testing.T) {
	if _, err := Open(context.Background(), Options{Type: "oracle", URI: "x"}, zerolog.Nop()); err == nil {
		t.Error("want an error for an unknown database type")
	}
}

func TestReminderRecipients(t *testing.T) { eachDB(t, testReminderRecipients) }

func testReminderRecipients(t *testing.T, open func() *Store) {
	ctx := context.Background()
	s := open()
	now := time.Now()
	for _, p := range []*Proposal{
		{Author: "@speaker:x", Lang: "en", Minutes: 10, Title: "T", Abstract: "A", CreatedAt: now},
		{Author: "@speaker:x", Lang: "en", Minutes: 10, Title: "T2", Abstract: "A", CreatedAt: now},
		{Author: "@quiet:x", Lang: "fr", Minutes: 10, Title: "T", Abstract: "A", CreatedAt: now},
		{Author: "@gone:x", Lang: "fr", Minutes: 10, Title: "T", Abstract: "A", State: StateWithdrawn, CreatedAt: now},
	} {
		if err := s.Proposals.Insert(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []ReminderPref{{User: "@fan:x", Enabled: true, Lang: "fr"}, {User: "@quiet:x", Enabled: false, Lang: "fr"}, {User: "@changed:x", Enabled: true, Lang: "fr"}} {
		if err := s.Prefs.Put(ctx, p, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Prefs.Put(ctx, ReminderPref{User: "@changed:x", Enabled: false, Lang: "fr"}, now); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		speakers bool
		want     string
	}{
		{false, "@fan:x/fr"},
		{true, "@fan:x/fr @speaker:x/en"},
	}
	for _, tc := range tests {
		got, err := s.Prefs.Recipients(ctx, tc.speakers, "")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range got {
			names = append(names, string(p.User)+"/"+p.Lang)
		}
		if strings.Join(names, " ") != tc.want {
			t.Errorf("speakers=%v: got %v, want %s", tc.speakers, names, tc.want)
		}
	}
	first, err := s.Fired.Mark(ctx, "deadline-7d", "send", now)
	if err != nil || !first {
		t.Fatal("first mark", err)
	}
	if again, _ := s.Fired.Mark(ctx, "deadline-7d", "send", now); again {
		t.Error("a reminder fired twice")
	}
	if ids, _ := s.Fired.IDs(ctx); !ids["deadline-7d"] || len(ids) != 1 {
		t.Errorf("fired IDs: %v", ids)
	}
}

// An item keeps what it is, where it is pinned, the proposal it is about
// and its file, on both databases.
func TestOutboxTypedFields(t *testing.T) { eachDB(t, testOutboxTypedFields) }

func testOutboxTypedFields(t *testing.T, open func() *Store) {
	ctx := context.Background()
	s := open()
	now := time.UnixMilli(time.Now().UnixMilli())
	want := []*OutboxItem{
		{Key: "d", Kind: KindDecision, User: "@a:x", Proposal: 12, EventType: "m.room.message", Content: "{}", CreatedAt: now},
		{Key: "f", Kind: KindReply, Room: "!r:x", EventType: "m.room.message", Content: "{}", CreatedAt: now,
			File: &File{Name: "a.csv", MIME: "text/csv", Data: []byte("a,b\n\x00\xff")}},
		{Key: "p", Kind: KindAnnouncement, Room: "!r:x", Pin: true, EventType: "m.room.message", Content: "{}", CreatedAt: now},
	}
	if _, err := s.Outbox.Enqueue(ctx, want...); err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		got, err := s.Outbox.Get(ctx, w.Key)
		if err != nil || got == nil {
			t.Fatalf("get %s: %v", w.Key, err)
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("item %s:\n got %+v %+v\nwant %+v %+v", w.Key, got, got.File, w, w.File)
		}
	}
	if err := s.Outbox.MarkSent(ctx, "d", "$d", now); err != nil {
		t.Fatal(err)
	}
	if it, err := s.Outbox.ByEvent(ctx, "$d"); err != nil || it == nil || it.Kind != KindDecision || it.Proposal != 12 {
		t.Errorf("by event: %+v %v", it, err)
	}
}

func TestOutboxQueueOnceAndCancel(t *testing.T) { eachDB(t, testOutboxQueueOnceAndCancel) }

func testOutboxQueueOnceAndCancel(t *testing.T, open func() *Store) {
	ctx := context.Background()
	s := open()
	now := time.Now()
	later := now.Add(time.Hour)
	item := func(key string, due time.Time) *OutboxItem {
		return &OutboxItem{Key: key, Room: "!r:x", EventType: "m.room.message", Content: "{}", DueAt: due, CreatedAt: now}
	}
	if n, err := s.Outbox.Enqueue(ctx, item("a", time.Time{}), item("b", later), item("a", time.Time{})); err != nil || n != 2 {
		t.Fatalf("enqueue: %d %v", n, err)
	}
	due, _ := s.Outbox.Due(ctx, now, 10, nil)
	if len(due) != 1 || due[0].Key != "a" {
		t.Fatalf("due now: %+v", due)
	}
	if next, ok, _ := s.Outbox.NextDue(ctx); !ok || !next.IsZero() && next.After(now) {
		t.Errorf("next due: %v %v", next, ok)
	}
	if err := s.Outbox.MarkSent(ctx, "a", "$e", now); err != nil {
		t.Fatal(err)
	}
	if it, _ := s.Outbox.ByEvent(ctx, "$e"); it == nil || it.Key != "a" {
		t.Errorf("message of event: %+v", it)
	}
	if err := s.Outbox.Cancel(ctx, "a", "b"); err != nil {
		t.Fatal(err)
	}
	if it, _ := s.Outbox.Get(ctx, "a"); it == nil {
		t.Error("a sent message was cancelled")
	}
	if it, _ := s.Outbox.Get(ctx, "b"); it != nil {
		t.Error("an unsent message survived cancel")
	}
	if _, ok, _ := s.Outbox.NextDue(ctx); ok {
		t.Error("nothing should wait")
	}
}

func TestPurge(t *testing.T) { eachDB(t, testPurge) }

func testPurge(t *testing.T, open func() *Store) {
	ctx := context.Background()
	s := open()
	now := time.Now()
	if err := s.Proposals.Insert(ctx, &Proposal{Author: "@a:x", Lang: "fr", Minutes: 10, Title: "T", Abstract: "A", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := s.Reviews.Put(ctx, &Review{ProposalID: 1, Reviewer: "@o:x", Score: 3, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := s.Prefs.Put(ctx, ReminderPref{User: "@a:x", Enabled: true, Lang: "fr"}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Handled.Mark(ctx, "$old", "!r:x", "@a:x", now.Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Handled.Mark(ctx, "$recent", "!r:x", "@a:x", now); err != nil {
		t.Fatal(err)
	}
	if err := s.State.Set(ctx, KeyDeviceID, "KEEP"); err != nil {
		t.Fatal(err)
	}
	if err := s.Purge(ctx, now.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if done, _ := s.Handled.Has(ctx, "$recent"); !done {
		t.Error("the purge erased an answer of the last day: a restart would answer it twice")
	}
	if done, _ := s.Handled.Has(ctx, "$old"); done {
		t.Error("an old answered message survived the purge")
	}
	for _, table := range []string{"proposal", "review", "reminder_pref"} {
		var n int
		if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows left (%v)", table, n, err)
		}
	}
	if v, _ := s.State.Get(ctx, KeyDeviceID); v != "KEEP" {
		t.Error("the purge erased the bot's own state")
	}
}

func TestPurgeConferenceAndOld(t *testing.T) { eachDB(t, testPurgeConferenceAndOld) }

// One event's proposals go when its retention ends, the other's stay;
// messages sent and drafts age out by themselves.
func testPurgeConferenceAndOld(t *testing.T, open func() *Store) {
	ctx := context.Background()
	s := open()
	now := time.UnixMilli(time.Now().UnixMilli())
	for _, ev := range []string{"past", "next", "past"} {
		p := &Proposal{ConferenceID: ev, Author: "@a:x", Lang: "fr", Minutes: 10, Title: ev, Abstract: "A", CreatedAt: now}
		if err := s.Proposals.Insert(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := s.Reviews.Put(ctx, &Review{ProposalID: p.ID, Reviewer: "@o:x", Score: 3, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.PurgeConference(ctx, "past"); err != nil || n != 2 {
		t.Fatalf("PurgeConference: %d, %v; want 2", n, err)
	}
	left, err := s.Proposals.All(ctx, "next")
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 {
		t.Errorf("left: %+v, want the other event's proposal", left)
	}
	if past, _ := s.Proposals.All(ctx, "past"); len(past) != 0 {
		t.Errorf("the past event's proposals survived: %+v", past)
	}
	var reviews int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM review`).Scan(&reviews); err != nil || reviews != 1 {
		t.Errorf("reviews left: %d (%v), want 1", reviews, err)
	}

	old, recent := now.AddDate(0, 0, -100), now
	for key, at := range map[string]time.Time{"old": old, "recent": recent} {
		if _, err := s.Outbox.Enqueue(ctx, &OutboxItem{Key: key, Room: "!r:x", EventType: "m.room.message", Content: "{}", CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		if err := s.Outbox.MarkSent(ctx, key, id.EventID("$"+key), at); err != nil {
			t.Fatal(err)
		}
		if err := s.Dialogs.Put(ctx, &Dialog{User: id.UserID("@" + key + ":x"), Lang: "fr", UpdatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	// Messages and drafts have their own cutoffs (real and calendar time).
	if n, err := s.PurgeBefore(ctx, now.AddDate(0, 0, -90), old.AddDate(0, 0, -1)); err != nil || n != 1 {
		t.Errorf("PurgeBefore: %d, %v; want the old message only", n, err)
	}
	if n, err := s.PurgeBefore(ctx, now.AddDate(0, 0, -90), now.AddDate(0, 0, -90)); err != nil || n != 1 {
		t.Errorf("PurgeBefore: %d, %v; want the old draft", n, err)
	}
	if it, _ := s.Outbox.Get(ctx, "recent"); it == nil {
		t.Error("a recent message was purged")
	}
	if d, _ := s.Dialogs.Get(ctx, "@recent:x"); d == nil {
		t.Error("a recent draft was purged")
	}
}

func TestLock(t *testing.T) { eachDB(t, testLock) }

// One process at a time runs the bot on a database: a second lock is
// refused until the first is released.
func testLock(t *testing.T, open func() *Store) {
	ctx := context.Background()
	first, second := open(), open()
	release, err := first.Lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := second.Lock(ctx); !errors.Is(err, ErrInUse) {
		t.Fatalf("second lock: %v, want ErrInUse", err)
	}
	release()
	release2, err := second.Lock(ctx)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	release2()
}

// An Exclusive open takes the lock before migrating, and Close releases it.
func TestExclusiveOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	opts := Options{Type: "sqlite3", URI: path, Exclusive: true}
	first, err := Open(ctx, opts, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, opts, zerolog.Nop()); !errors.Is(err, ErrInUse) {
		t.Fatalf("second exclusive open: %v, want ErrInUse", err)
	}
	// The same path spelled differently names the same lock.
	rel, err := filepath.Rel(mustGetwd(t), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, Options{Type: "sqlite3", URI: rel, Exclusive: true}, zerolog.Nop()); !errors.Is(err, ErrInUse) {
		t.Fatalf("exclusive open by a relative path: %v, want ErrInUse", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second, err := Open(ctx, opts, zerolog.Nop())
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	_ = second.Close()
}

func mustGetwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// A database from before kinds gets them from its keys: a decision keeps
// its proposal (for ✅), an announcement is one, a reminder is one.
func TestOutboxKindsFromOlderKeys(t *testing.T) {
	run := func(t *testing.T, db *dbutil.Database) {
		ctx := context.Background()
		db.UpgradeTable = UpgradeTable[:4]
		if err := db.Upgrade(ctx); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"decision:12:3", "announce:1700000000:!r:x", "reminder:announce-3f:room:!r:x", "reminder:deadline-7d:user:@a:x", "reply:$e:0"} {
			if _, err := db.Exec(ctx, `INSERT INTO outbox (key, room_id, user_id, event_type, content, due_at, created_at) VALUES ($1, '!r:x', '', 'm.room.message', '{}', 0, 1)`, key); err != nil {
				t.Fatal(err)
			}
		}
		db.UpgradeTable = UpgradeTable
		if err := db.Upgrade(ctx); err != nil {
			t.Fatal(err)
		}
		s := New(db)
		for key, want := range map[string]OutboxKind{
			"decision:12:3": KindDecision, "announce:1700000000:!r:x": KindAnnouncement, "reminder:announce-3f:room:!r:x": KindAnnouncement,
			"reminder:deadline-7d:user:@a:x": KindReminder, "reply:$e:0": KindReply,
		} {
			it, err := s.Outbox.Get(ctx, key)
			if err != nil || it == nil || it.Kind != want {
				t.Errorf("%s: %+v %v, want kind %s", key, it, err, want)
			}
		}
		if it, _ := s.Outbox.Get(ctx, "decision:12:3"); it == nil || it.Proposal != 12 {
			t.Errorf("decision's proposal: %+v", it)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		db, err := dbutil.NewWithDialect("file:"+filepath.Join(t.TempDir(), "old.db")+"?_txlock=immediate", "sqlite3-fk-wal")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		run(t, db)
	})
	if pgtest.Configured() {
		t.Run("postgres", func(t *testing.T) {
			db, err := dbutil.NewWithDialect(pgtest.Database(t), "postgres")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			run(t, db)
		})
	}
}
