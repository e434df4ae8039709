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

	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/internal/bottest"
	"github.com/bluehats/bluehats-bot/internal/devserver"
)

var hs *devserver.Server

func TestMain(m *testing.M) { bottest.Main(m, func(s *devserver.Server) { hs = s }) }

// The built binary, as an operator runs it: it answers, reloads its config
// on SIGHUP (refusing an invalid one), and exits 0 soon after SIGTERM.
func TestBinarySignals(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	member := bottest.NewMember(t, hs, "member")
	room := member.CreateRoom("BlueHats")
	cfg := bottest.Config(t, hs)
	write := func(contact string, broken bool) { writeBinaryConfig(t, dir, room, cfg, contact, broken) }
	write("contact@code.gouv.fr", false)

	p := startBinary(t, bin, dir)
	botID := cfg.Matrix.UserID
	member.WaitJoined(room, idOf(botID))
	assertIn(t, member.Ask(idOf(botID), room, "!contact").Body, "contact@code.gouv.fr")

	// Reload: ask again until the new contact shows, each ask waiting on
	// the bot's answer.
	write("equipe@example.org", false)
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
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
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(p.stderr.String(), "Config reload refused") {
		if time.Now().After(deadline) {
			t.Fatal("no log line refusing the invalid config")
		}
		member.Ask(idOf(botID), room, "!aide")
	}
	assertIn(t, member.Ask(idOf(botID), room, "!contact").Body, "equipe@example.org")

	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, p.stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit 15 s after SIGTERM")
	}
	t.Logf("stopped %s after SIGTERM", time.Since(start))
	if strings.Contains(p.stderr.String(), cfg.Matrix.Password.Reveal()) {
		t.Error("the password appears in the logs")
	}
}

// Killed outright (SIGKILL, as by the OOM killer or a power cut) right
// after answering a proposal, the bot comes back with the proposal stored
// and does not answer the proposal again.
func TestKilledBotKeepsProposals(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	member := bottest.NewMember(t, hs, "member")
	room := member.CreateRoom("BlueHats")
	cfg := bottest.Config(t, hs)
	writeBinaryConfig(t, dir, room, cfg, "contact@code.gouv.fr", false)
	botID := idOf(cfg.Matrix.UserID)

	p := startBinary(t, bin, dir)
	member.WaitJoined(room, botID)
	sent := member.Send(room, "!proposer 15 Survivre au crash | Résumé")
	assertIn(t, member.WaitFor("proposal stored", bottest.ReplyTo(botID, sent)).Content.AsMessage().Body, "Proposition n°1")
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-p.exited

	startBinary(t, bin, dir)
	member.Send(room, "!mespropositions")
	list := member.WaitFor("the list after the kill", bottest.FromBotElsewhere(botID, room, "Vos propositions"))
	assertIn(t, list.Content.AsMessage().Body, "Survivre au crash")
	if n := len(member.Events(bottest.ReplyTo(botID, sent))); n != 1 {
		t.Errorf("the proposal was answered %d times across the kill, want 1", n)
	}
}

// buildBinary builds bluehats-bot as an operator does, into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "bluehats-bot")
	build := exec.Command("go", "build", "-tags", "goolm", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// writeBinaryConfig writes dir/config.yaml from the example, pointed at the
// test homeserver, the bot account of cfg and room, next to a copy of the
// site post; broken adds an invalid value.
func writeBinaryConfig(t *testing.T, dir string, room id.RoomID, cfg *config.Config, contact string, broken bool) {
	t.Helper()
	example := mustRead(t, "../../config.yaml.example")
	if err := os.MkdirAll(filepath.Join(dir, "examples"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "examples", "open-source-experience-2023.md"), mustRead(t, "../../examples/open-source-experience-2023.md"))
	text := strings.NewReplacer(
		"homeserver_url: https://matrix.example.org", "homeserver_url: "+hs.URL,
		`user_id: "@bluehats-bot:example.org"`, `user_id: "`+cfg.Matrix.UserID+`"`,
		`password: ""`, `password: "`+cfg.Matrix.Password.Reveal()+`"`,
		`- "#bluehats:example.org"`, `- "`+room.String()+`"`,
		"uri: bluehats.db", "uri: "+filepath.Join(dir, "bot.db"),
		"contact: contact@code.gouv.fr", "contact: "+contact,
	).Replace(example)
	if broken {
		text += "\nbot:\n  language: klingon\n"
	}
	writeFile(t, filepath.Join(dir, "config.yaml"), text)
}

// botProcess is the bot binary running.
type botProcess struct {
	cmd    *exec.Cmd
	exited chan error
	stderr *syncBuffer
}

// startBinary runs the binary on dir/config.yaml with the rehearsal clock;
// it is killed at the end of the test if still running.
func startBinary(t *testing.T, bin, dir string) *botProcess {
	t.Helper()
	return startBinaryAt(t, bin, dir, bottest.Rehearsal, nil)
}

// startBinaryAt runs the binary with the rehearsal clock at now; onWrite,
// when set, is called after each write to its log.
func startBinaryAt(t *testing.T, bin, dir, now string, onWrite func()) *botProcess {
	t.Helper()
	return startBinaryWith(t, bin, dir, now, onWrite)
}

// startBinaryWith is startBinaryAt with more flags.
func startBinaryWith(t *testing.T, bin, dir, now string, onWrite func(), flags ...string) *botProcess {
	t.Helper()
	p := &botProcess{exited: make(chan error, 1), stderr: &syncBuffer{onWrite: onWrite}}
	p.cmd = exec.Command(bin, append([]string{"-config", filepath.Join(dir, "config.yaml"), "-now", now}, flags...)...)
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
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
	mu      sync.Mutex
	buf     bytes.Buffer
	onWrite func()
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	n, err := b.buf.Write(p)
	b.mu.Unlock()
	if b.onWrite != nil {
		b.onWrite()
	}
	return n, err
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
