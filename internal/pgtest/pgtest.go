// Package pgtest gives tests an empty PostgreSQL database of their own,
// beside the database named by BLUEHATS_TEST_POSTGRES (scripts/postgres.sh
// starts one; CI always does).
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/lib/pq" // the postgres driver
)

// Env names the test database.
const Env = "BLUEHATS_TEST_POSTGRES"

// Configured tells whether a test database is named.
func Configured() bool { return os.Getenv(Env) != "" }

// Database creates an empty database for one test and returns its URI; the
// database is dropped afterwards. A database rather than a schema: mautrix's
// migrations ask information_schema whether their version table exists
// without naming a schema, so a test would see another test's table while
// both run (go test runs packages in parallel).
func Database(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		t.Skip(Env + " is not set: no PostgreSQL to test against (scripts/postgres.sh starts one)")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("postgres", base); err == nil {
			_, _ = db.Exec("DROP DATABASE " + name + " WITH (FORCE)")
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
