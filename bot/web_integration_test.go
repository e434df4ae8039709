package bot_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/bluehats/bluehats-bot/bot"
	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/internal/bottest"
	"github.com/bluehats/bluehats-bot/storage"
	"github.com/bluehats/bluehats-bot/web"
)

// get fetches a path of the listener.
func get(t *testing.T, base, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// metricValue reads one series from a Prometheus text page, 0 if absent.
func metricValue(page, series string) float64 {
	for _, line := range strings.Split(page, "\n") {
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			v, _ := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return v
		}
	}
	return 0
}

// waitStatus polls a path until it answers with the status: the health
// check is observed from outside, as a supervisor would.
func waitStatus(t *testing.T, base, path string, status int) string {
	t.Helper()
	deadline := time.Now().Add(bottest.Timeout)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		code, body := get(t, base, path)
		if code == status {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still %d (%s), want %d", path, code, body, status)
		}
		<-tick.C
	}
}

// /healthz turns 503 when the homeserver stops and 200 when it is back;
// /metrics exposes the counters; the programme files are public.
func TestHealthAndMetrics(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	own := bottest.OwnServer(t)
	b, member, room := setupOn(t, own, nil)
	srv, err := web.Start("127.0.0.1:0", b.Bot, b.Bot, true, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	addr := srv.Addr()

	waitStatus(t, addr, "/healthz", http.StatusOK)
	// The registry is the process's: other tests count too, so compare.
	_, before := get(t, addr, "/metrics")
	member.Ask(b.UserID, room, "!contact")
	member.Ask(b.UserID, room, "!proposer 10 Titre | Résumé")
	member.Ask(b.UserID, room, b.UserID.Localpart()+": quel temps fait-il ?")
	// The bot counts a message once its reply is sent, which the member
	// may see first: read until the counts arrive, within the timeout.
	want := map[string]float64{
		`bluehats_commands_total{command="contact",outcome="command"}`: 1,
		`bluehats_commands_total{command="-",outcome="unmatched"}`:     1,
		`bluehats_questions_total{result="unmatched"}`:                 1,
		`bluehats_reply_seconds_count`:                                 3,
		`bluehats_messages_sent_total{kind="reply",result="ok"}`:       4, // one per answer, two for the proposal
	}
	var m string
	deadline := time.Now().Add(bottest.Timeout)
	for {
		_, m = get(t, addr, "/metrics")
		settled := true
		for series, delta := range want {
			settled = settled && metricValue(m, series)-metricValue(before, series) >= delta
		}
		if settled || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond) // polling an HTTP page, bounded by the deadline
	}
	for series, delta := range want {
		if got := metricValue(m, series) - metricValue(before, series); got != delta {
			t.Errorf("%s went up by %v, want %v", series, got, delta)
		}
	}
	for _, want := range []string{`bluehats_proposals{state="submitted"} 1`, `bluehats_last_sync_timestamp_seconds `} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	if err := own.Stop(); err != nil {
		t.Fatal(err)
	}
	body := waitStatus(t, addr, "/healthz", http.StatusServiceUnavailable)
	if !strings.Contains(body, "homeserver unreachable") {
		t.Errorf("503 reason: %s", body)
	}
	if err := own.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, addr, "/healthz", http.StatusOK)
	if _, m := get(t, addr, "/metrics"); !strings.Contains(m, "bluehats_sync_errors_total") || strings.Contains(m, "bluehats_sync_errors_total 0") {
		t.Error("sync errors not counted")
	}

	code, ics := get(t, addr, "/programme.ics")
	if code != http.StatusOK || !strings.Contains(ics, "BEGIN:VCALENDAR") {
		t.Errorf("/programme.ics: %d %s", code, ics)
	}
	code, js := get(t, addr, "/programme.json")
	var prog struct {
		Published bool `json:"published"`
	}
	if code != http.StatusOK || json.Unmarshal([]byte(js), &prog) != nil || prog.Published {
		t.Errorf("/programme.json: %d %s", code, js)
	}
}

// With several events, the public files are the current event's, as the
// commands' answers are: once one is over, the next one's.
func TestPublicFilesFollowTheCurrentEvent(t *testing.T) {
	cfg, problems := config.Parse([]byte(`matrix:
  homeserver_url: https://matrix.example.org
  user_id: "@bot:example.org"
  password: long-enough
events:
  - id: ose2023
    source: examples/open-source-experience-2023.md
  - id: printemps-2024
    title: Rencontre de printemps
    start: 2024-04-10 14:00
    end: 2024-04-10 18:00
`))
	if len(problems.Errors()) > 0 {
		t.Fatal(problems)
	}
	cfg.Path = "../config.yaml"
	events, eventProblems := cfg.BuildEvents()
	if len(eventProblems) > 0 {
		t.Fatal(eventProblems)
	}
	ctx := context.Background()
	store, err := storage.Open(ctx, storage.Options{Type: "sqlite3", URI: filepath.Join(t.TempDir(), "bot.db")}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, tc := range []struct {
		now       time.Time
		wantTitle string
	}{
		{time.Date(2023, 11, 13, 10, 0, 0, 0, time.UTC), "La DINUM à l'Open Source Experience"},
		{time.Date(2024, 1, 15, 10, 0, 0, 0, time.UTC), "Rencontre de printemps"},
	} {
		b, err := bot.New(bot.Options{Config: cfg, Events: events, Store: store, Calendar: clock.NewRehearsal(tc.now), Log: zerolog.Nop()})
		if err != nil {
			t.Fatal(err)
		}
		data, err := b.ProgrammeJSON(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct{ Event string }
		if err := json.Unmarshal(data, &doc); err != nil || doc.Event != tc.wantTitle {
			t.Errorf("%s: programme.json is for %q (%v), want %q", tc.now.Format(time.DateOnly), doc.Event, err, tc.wantTitle)
		}
		ics, err := b.ProgrammeICS(ctx)
		if err != nil || !strings.Contains(string(ics), "SUMMARY:"+strings.ReplaceAll(tc.wantTitle, ",", "\\,")) {
			t.Errorf("%s: programme.ics is not for %q (%v)", tc.now.Format(time.DateOnly), tc.wantTitle, err)
		}
	}
}
