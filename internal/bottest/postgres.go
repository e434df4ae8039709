package bottest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/lib/pq"
)

// EnvPostgres names the PostgreSQL database tests may use (CI sets it).
const EnvPostgres = "BLUEHATS_TEST_POSTGRES"

// PostgresURI returns a URI to an empty schema of the test PostgreSQL,
// dropped after the test; the test is skipped, saying why, when none is
// configured (CI always configures one).
func PostgresURI(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Skip(EnvPostgres + " is not set: no PostgreSQL to test against (scripts/postgres.sh starts one)")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "bot_" + hex.EncodeToString(b[:])
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
