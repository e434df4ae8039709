package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/internal/bottest"
	"github.com/bluehats/bluehats-bot/internal/devserver"
)

var hs *devserver.Server

func TestMain(m *testing.M) { bottest.Main(m, func(s *devserver.Server) { hs = s }) }

// The built binary, as an operator runs it: it answers, reloads its config
// on SIGHUP (refusing an invalid one), and exits 0 soon after SIGTERM.
func TestBinarySignals(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bluehats-bot")
	build := exec.Command("go", "build", "-tags", "goolm", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	member := bottest.NewMember(t, hs, "member")
	room := member.CreateRoom("BlueHats")
	cfg := bottest.Config(t, hs)
	example, err := os.ReadFile("../../config.yaml.example")
	if err != nil {
		t.Fatal(err)
	}
	post, err := os.ReadFile("../../examples/open-source-experience-2023.md")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "examples"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "examples", "open-source-experience-2023.md"), post, 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(contact string, broken bool) {
		text := strings.NewReplacer(
			"homeserver_url: https://matrix.example.org", "homeserver_url: "+hs.URL,
			`user_id: "@bluehats-bot:example.org"`, `user_id: "`+cfg.Matrix.UserID+`"`,
			`password: ""`, `password: "`+cfg.Matrix.Password.Reveal()+`"`,
			`- "#bluehats:example.org"`, `- "`+room.String()+`"`,
			"uri: bluehats.db", "uri: "+filepath.Join(dir, "bot.db"),
			"contact: contact@code.gouv.fr", "contact: "+contact,
		).Replace(string(example))
		if broken {
			text += "\nbot:\n  language: klingon\n"
		}
		if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("contact@code.gouv.fr", false)

	var stderr syncBuffer
	cmd := exec.Command(bin, "-config", filepath.Join(dir, "config.yaml"), "-now", bottest.Rehearsal)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	}()
	botID := cfg.Matrix.UserID
	member.WaitJoined(room, idOf(botID))
	assertIn(t, member.Ask(idOf(botID), room, "!contact").Body, "contact@code.gouv.fr")

	// Reload: ask again until the new contact shows, each ask waiting on
	// the bot's answer.
	write("equipe@example.org", false)
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(bottest.Timeout)
	for !strings.Contains(member.Ask(idOf(botID), room, "!contact").Body, "equipe@example.org") {
		if time.Now().After(deadline) {
			t.Fatal("config not reloaded on SIGHUP")
		}
	}
	// An invalid config is refused; the bot keeps answering with the last one.
	write("autre@example.org", true)
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(stderr.String(), "Config reload refused") {
		if time.Now().After(deadline) {
			t.Fatal("no log line refusing the invalid config")
		}
		member.Ask(idOf(botID), room, "!aide")
	}
	assertIn(t, member.Ask(idOf(botID), room, "!contact").Body, "equipe@example.org")

	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit 15 s after SIGTERM")
	}
	t.Logf("stopped %s after SIGTERM", time.Since(start))
	if strings.Contains(stderr.String(), cfg.Matrix.Password.Reveal()) {
		t.Error("the password appears in the logs")
	}
}

func assertIn(t *testing.T, body, want string) {
	t.Helper()
	if !strings.Contains(body, want) {
		t.Errorf("missing %q in %s", want, body)
	}
}

func idOf(s string) id.UserID { return id.UserID(s) }

// syncBuffer is a buffer the process writes while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
