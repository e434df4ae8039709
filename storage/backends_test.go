package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"
)

// EnvTestPostgres names a PostgreSQL database (postgres://…) the storage
// tests also run against; CI sets it.
const EnvTestPostgres = "BLUEHATS_TEST_POSTGRES"

// eachDB runs a test against SQLite, and against PostgreSQL when
// BLUEHATS_TEST_POSTGRES is set, each time on an empty database. open may
// be called again to reopen the same database.
func eachDB(t *testing.T, fn func(t *testing.T, open func() *Store)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bot.db")
		fn(t, func() *Store { return openStore(t, Options{Type: "sqlite3", URI: path}) })
	})
	pg := os.Getenv(EnvTestPostgres)
	if pg == "" {
		return
	}
	t.Run("postgres", func(t *testing.T) {
		uri := freshSchema(t, pg)
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

// freshSchema creates an empty schema for one test and returns a URI
// whose connections use it; the schema is dropped afterwards.
func freshSchema(t *testing.T, base string) string {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("postgres", base); err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
