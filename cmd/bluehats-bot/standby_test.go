package main

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/internal/bottest"
	"github.com/bluehats/bluehats-bot/internal/pgtest"
)

// A bot and a standby share a PostgreSQL database. The standby says so on
// /healthz while it waits, and takes over within 10 s of the first bot's
// SIGKILL: a message sent meanwhile is answered once, none twice.
func TestStandbyTakesOver(t *testing.T) {
	s := newStandbyPair(t)
	assertIn(t, s.member.Ask(s.botID, s.room, "!contact").Body, "contact@code.gouv.fr")

	if err := s.holder.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	<-s.holder.exited
	sent := s.member.Send(s.room, "!horaires")
	reply := s.member.WaitFor("the standby's answer", bottest.ReplyTo(s.botID, sent))
	took := time.Since(killed)
	if took > 10*time.Second {
		t.Errorf("the standby answered %s after the kill, want within 10 s", took.Round(100*time.Millisecond))
	}
	t.Logf("the standby answered %s after the kill", took.Round(100*time.Millisecond))
	assertIn(t, reply.Content.AsMessage().Body, "9h")
	s.standby.waitLines(t, "Ready: first sync processed", 1)
	if code, body := get(t, s.standbyAddr(t), "/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("the new holder's /healthz: %d %q", code, body)
	}
	if _, metrics := get(t, s.standbyAddr(t), "/metrics"); !strings.Contains(metrics, "bluehats_lock_held 1") {
		t.Errorf("the new holder's bluehats_lock_held is not 1")
	}
	s.member.Ask(s.botID, s.room, "!aide") // a barrier: earlier answers are in
	if n := len(s.member.Events(bottest.ReplyTo(s.botID, sent))); n != 1 {
		t.Errorf("the message sent during the takeover was answered %d times", n)
	}
}

// The database ends the holder's lock session (a restart, a cut, an
// administrator): the holder stops within 5 s and exits non-zero, and the
// standby takes over.
func TestLostLockStopsTheBot(t *testing.T) {
	s := newStandbyPair(t)
	db, err := sql.Open("postgres", s.dbURI)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	var terminated int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(pg_terminate_backend(pid)) FROM pg_locks
		WHERE locktype='advisory' AND granted AND database=(SELECT oid FROM pg_database WHERE datname=current_database())`).Scan(&terminated); err != nil || terminated != 1 {
		t.Fatalf("terminate the lock session: %d sessions, %v", terminated, err)
	}
	terminatedAt := time.Now()
	select {
	case err := <-s.holder.exited:
		t.Logf("the holder stopped %s after its lock session ended", time.Since(terminatedAt).Round(100*time.Millisecond))
		if err == nil {
			t.Error("the holder exited 0 after losing its lock, want non-zero")
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("the holder still runs 5 s after losing its lock:\n%s", s.holder.stderr.String())
	}
	if !strings.Contains(s.holder.stderr.String(), "Database lock lost") {
		t.Error("no log line about the lost lock")
	}
	assertIn(t, s.member.Ask(s.botID, s.room, "!contact").Body, "contact@code.gouv.fr")
}

// standbyPair is a holder and a standby running on one database.
type standbyPair struct {
	holder, standby *chaosProcess
	member          *bottest.Member
	room            id.RoomID
	botID           id.UserID
	dbURI           string
}

func newStandbyPair(t *testing.T) *standbyPair {
	t.Helper()
	if !pgtest.Configured() {
		t.Skip("needs PostgreSQL: set " + pgtest.Env + " (scripts/postgres.sh prints it; CI sets it)")
	}
	s := &standbyPair{dbURI: pgtest.Database(t)}
	base := t.TempDir()
	bin := buildBinary(t, base)
	s.member = bottest.NewMember(t, hs, "member")
	s.room = s.member.CreateRoom("BlueHats")
	cfg := bottest.Config(t, hs)
	s.botID = idOf(cfg.Matrix.UserID)
	// Two folders, one config each, the same account and database.
	dirs := [2]string{filepath.Join(base, "holder"), filepath.Join(base, "standby")}
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		writeBinaryConfig(t, dir, s.room, cfg, "contact@code.gouv.fr", false)
		path := filepath.Join(dir, "config.yaml")
		text := strings.NewReplacer(
			"type: sqlite3", "type: postgres",
			"uri: "+filepath.Join(dir, "bot.db"), "uri: "+s.dbURI,
			`listen: ""`, `listen: "127.0.0.1:0"`,
		).Replace(mustRead(t, path))
		writeFile(t, path, text)
	}
	s.holder = startChaos(t, bin, dirs[0], bottest.Rehearsal)
	s.holder.waitLines(t, "Ready: first sync processed", 1)
	s.member.WaitJoined(s.room, s.botID)
	s.standby = &chaosProcess{notify: make(chan struct{}, 1)}
	s.standby.botProcess = startBinaryWith(t, bin, dirs[1], bottest.Rehearsal, s.standby.poke, "-standby")
	s.standby.waitLines(t, "Standby: another bot holds the database; waiting to take over", 1)
	if code, body := get(t, s.standbyAddr(t), "/healthz"); code != http.StatusOK || body != "standby\n" {
		t.Fatalf("the standby's /healthz: %d %q", code, body)
	}
	if _, metrics := get(t, s.standbyAddr(t), "/metrics"); !strings.Contains(metrics, "bluehats_lock_held 0") {
		t.Errorf("the standby's bluehats_lock_held is not 0")
	}
	return s
}

var listenRE = regexp.MustCompile(`"addr":"([^"]+)"[^\n]*"message":"HTTP listener started"`)

// standbyAddr is where the standby's HTTP listener is, from its log.
func (s *standbyPair) standbyAddr(t *testing.T) string {
	t.Helper()
	m := listenRE.FindStringSubmatch(s.standby.stderr.String())
	if m == nil {
		t.Fatalf("no HTTP listener in the standby's log:\n%s", s.standby.stderr.String())
	}
	return m[1]
}

func get(t *testing.T, addr, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}
