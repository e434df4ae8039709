package storage

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/bluehats/bluehats-bot/internal/pgtest"
)

// eachDB runs a test against SQLite, and against PostgreSQL when
// pgtest has a database, each time on an empty database. open may
// be called again to reopen the same database.
func eachDB(t *testing.T, fn func(t *testing.T, open func() *Store)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bot.db")
		fn(t, func() *Store { return openStore(t, Options{Type: "sqlite3", URI: path}) })
	})
	if !pgtest.Configured() {
		return
	}
	t.Run("postgres", func(t *testing.T) {
		uri := pgtest.Database(t)
		fn(t, func() *Store { return openStore(t, Options{Type: "postgres", URI: uri}) })
	})
}

func openStore(t *testing.T, opts Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), opts, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
