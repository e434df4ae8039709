package storage

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"
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

func TestBotStateSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
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
	s2, err := Open(ctx, Options{Type: "sqlite3", URI: path}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
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

func TestHandledEventsMarkOnce(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
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
