package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/storage"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// faqConflicting has a good entry, one that repeats a built-in answer, and
// one with a single phrasing.
const faqConflicting = `
faq:
  - questions: ["Y a-t-il un vestiaire ?", "Où est le vestiaire ?", "Is there a cloakroom?", "Where is the cloakroom?"]
    answer: Oui, au niveau 0.
  - questions: ["Quelle est l'adresse du salon ?", "où a lieu le salon ?"]
    answer: Au Palais des Congrès.
  - questions: ["Y a-t-il des goodies ?"]
    answer: Des autocollants.
`

// configBesidePost writes a config in a fresh folder, with the example
// post where the example config names it (relatively), and returns its path.
func configBesidePost(t *testing.T, text string) string {
	t.Helper()
	post, err := os.ReadFile("../../examples/open-source-experience-2023.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "examples"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "examples", "open-source-experience-2023.md"), post, 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckConfig(t *testing.T) {
	example, err := os.ReadFile("../../config.yaml.example")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		config   string
		password string
		code     int
		wants    []string
	}{
		{"example with password from env", string(example), "from-the-env", exitOK, []string{"OK (0 warning(s))"}},
		{"example without secret", string(example), "", exitConfig, []string{"line 15: matrix.password: set matrix.password or matrix.access_token"}},
		{"unknown key is a warning", string(example) + "\nfuture_feature: true\n", "x-password", exitOK, []string{"warning: line", "future_feature: unknown key, ignored", "OK (1 warning(s))"}},
		{"several errors", strings.NewReplacer("language: fr", "language: de", "answer_questions: mentions", "answer_questions: sometimes", "start: 2023-12-06T09:00:00+01:00", "start: demain").Replace(string(example)), "x-password", exitConfig,
			[]string{"bot.language: must be fr or en", "bot.answer_questions: must be mentions, always or off", "event.start: cannot read date \"demain\"", "3 error(s)"}},
		{"FAQ entry without an answer", string(example) + "\nfaq:\n  - questions: [\"Y a-t-il un vestiaire ?\"]\n", "x-password", exitConfig,
			[]string{"faq[0].answer: this entry has no answer", "1 error(s)"}},
		{"FAQ phrasings told apart or not", string(example) + faqConflicting, "x-password", exitOK,
			[]string{
				`faq[1].questions[0]: "Quelle est l'adresse du salon ?" is closer to the built-in answer "venue" than to its own entry`,
				`faq[2].questions[0]: "Y a-t-il des goodies ?" is the entry's only phrasing`,
				"OK (3 warning(s))",
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("BLUEHATS_MATRIX_PASSWORD", tc.password)
			path := configBesidePost(t, tc.config)
			var out, errOut bytes.Buffer
			code := run([]string{"check-config", "-config", path}, &out, &errOut)
			if code != tc.code {
				t.Errorf("exit code: got %d, want %d\n%s%s", code, tc.code, out.String(), errOut.String())
			}
			for _, w := range tc.wants {
				if !strings.Contains(out.String(), w) {
					t.Errorf("missing %q in:\n%s", w, out.String())
				}
			}
		})
	}
}

// A bad config stops the bot at start with a message naming the key, and
// the secret it was given never shows.
func TestBadConfigFailsClearly(t *testing.T) {
	path := writeConfig(t, "matrix:\n  homeserver_url: ftp://nope\n  user_id: \"@b:example.org\"\n  password: hunter2-secret\n")
	var out, errOut bytes.Buffer
	if code := run([]string{"-config", path}, &out, &errOut); code != exitConfig {
		t.Fatalf("exit code %d, want %d", code, exitConfig)
	}
	msg := errOut.String()
	for _, w := range []string{"line 2: matrix.homeserver_url: must be an http(s) URL", "event.title: required"} {
		if !strings.Contains(msg, w) {
			t.Errorf("missing %q in:\n%s", w, msg)
		}
	}
	if strings.Contains(msg, "hunter2") {
		t.Errorf("secret leaked:\n%s", msg)
	}
}

func TestBadFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-config", writeConfig(t, "x: 1\n"), "-now", "tomorrow"}, &out, &errOut); code != exitConfig {
		t.Errorf("bad config must be reported before flags are used: %d", code)
	}
	if code := run([]string{"-nope"}, &out, &errOut); code != exitUsage {
		t.Errorf("unknown flag: exit %d, want %d", code, exitUsage)
	}
	if code := run([]string{"check-config", "-config", "/nonexistent.yaml"}, &out, &errOut); code != exitConfig {
		t.Errorf("missing file: exit %d, want %d", code, exitConfig)
	}
}

// The rehearsal clock comes from -now or, as in a service file, from
// BLUEHATS_NOW; a bad value stops the start with a usage error, before any
// connection.
func TestRehearsalClockFromEnvironment(t *testing.T) {
	cfg := offlineConfig(t, filepath.Join(t.TempDir(), "bot.db"))
	for _, tc := range []struct {
		name string
		args []string
		env  string
	}{
		{"flag", []string{"-config", cfg, "-now", "tomorrow"}, ""},
		{"environment", []string{"-config", cfg}, "tomorrow"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvNow, tc.env)
			var out, errOut bytes.Buffer
			if code := run(tc.args, &out, &errOut); code != exitUsage || !strings.Contains(errOut.String(), "tomorrow") {
				t.Errorf("exit %d, want %d naming the bad value: %s", code, exitUsage, errOut.String())
			}
		})
	}
}

func TestExportFromCommandLine(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "bot.db")
	path := offlineConfig(t, db)
	t.Setenv("BLUEHATS_MATRIX_PASSWORD", "") // the export needs no Matrix account
	store, err := storage.Open(context.Background(), storage.Options{Type: "sqlite3", URI: db}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	err = store.Proposals.Insert(context.Background(), &storage.Proposal{Author: "@a:x", Lang: "fr", Minutes: 15, Title: "Été libre", Abstract: "Résumé", CreatedAt: time.Now()})
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		format string
		code   int
		want   string
	}{
		{"csv", exitOK, "\ufeffnuméro,état"},
		{"json", exitOK, `"title": "Été libre"`},
		{"xml", exitUsage, ""},
	} {
		var out, errOut bytes.Buffer
		code := run([]string{"export", "-config", path, "-format", tc.format}, &out, &errOut)
		if code != tc.code || !strings.Contains(out.String(), tc.want) {
			t.Errorf("%s: exit %d, output %q, errors %q", tc.format, code, out.String(), errOut.String())
		}
	}
}

func TestCalendarAndVersionFromCommandLine(t *testing.T) {
	dir := t.TempDir()
	cfg := offlineConfig(t, filepath.Join(dir, "bot.db"))
	t.Setenv("BLUEHATS_MATRIX_PASSWORD", "") // the calendar needs no Matrix account
	var out, errOut bytes.Buffer
	if code := run([]string{"calendar", "-config", cfg}, &out, &errOut); code != exitOK {
		t.Fatalf("calendar: exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"BEGIN:VCALENDAR", "TZID:Europe/Paris", "UID:bluehats-20231206-day-1@example.org", "GEO:48.8785;2.2831"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("calendar lacks %q", want)
		}
	}
	out.Reset()
	if code := run([]string{"version"}, &out, &errOut); code != exitOK || !strings.HasPrefix(out.String(), "bluehats-bot ") || !strings.Contains(out.String(), "go1.") {
		t.Errorf("version: %d %q", code, out.String())
	}
}

func TestMigrateAndCopyDB(t *testing.T) {
	dir := t.TempDir()
	cfg := offlineConfig(t, filepath.Join(dir, "bot.db"))
	var out, errOut bytes.Buffer
	if code := run([]string{"migrate", "-config", cfg}, &out, &errOut); code != exitOK || !strings.Contains(out.String(), "migrated") {
		t.Fatalf("migrate: %d %s %s", code, out.String(), errOut.String())
	}
	out.Reset()
	to := filepath.Join(dir, "copy.db")
	if code := run([]string{"copy-db", "-from", "sqlite3:" + filepath.Join(dir, "bot.db"), "-to", "sqlite3:" + to}, &out, &errOut); code != exitOK || !strings.Contains(out.String(), "counts checked") {
		t.Fatalf("copy-db: %d %s %s", code, out.String(), errOut.String())
	}
	if code := run([]string{"copy-db", "-from", "mysql://x", "-to", "sqlite3:y"}, &out, &errOut); code != exitUsage {
		t.Errorf("bad source accepted: %d", code)
	}
}

// With encryption on, migrate brings mautrix's encryption tables up too.
func TestMigrateEncryptionTables(t *testing.T) {
	db := filepath.Join(t.TempDir(), "bot.db")
	path := offlineConfig(t, db)
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, strings.Replace(string(text), "    enabled: false", "    enabled: true", 1))
	t.Setenv(config.EnvPickleKey, "a pickle key for the tests")
	var out, errOut bytes.Buffer
	if code := run([]string{"migrate", "-config", path}, &out, &errOut); code != exitOK {
		t.Fatalf("migrate: %d %s %s", code, out.String(), errOut.String())
	}
	store, err := storage.Open(context.Background(), storage.Options{Type: "sqlite3", URI: db}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var n int
	if err := store.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM crypto_account`).Scan(&n); err != nil {
		t.Errorf("encryption tables not created: %v", err)
	}
}

// offlineConfig writes the example config with its database at db and no
// site post (its values are in the file), for the subcommands that work
// without Matrix, and returns its path.
func offlineConfig(t *testing.T, db string) string {
	t.Helper()
	example, err := os.ReadFile("../../config.yaml.example")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("BLUEHATS_MATRIX_PASSWORD", "x-password")
	return writeConfig(t, strings.NewReplacer("uri: bluehats.db", "uri: "+db,
		"source: examples/open-source-experience-2023.md", `source: ""`).Replace(string(example)))
}
