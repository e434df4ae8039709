package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The systemd unit in deploy/ is valid for systemd and stays sandboxed:
// systemd-analyze verifies it (with the built binary in place of the
// installed one) and rates its exposure at 2.0 or less, out of 10.
func TestSystemdUnit(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed on this machine")
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	unit := filepath.Join(dir, "bluehats-bot.service")
	text := mustRead(t, "../../deploy/bluehats-bot.service")
	if !strings.Contains(text, "ExecStart=/usr/local/bin/bluehats-bot ") {
		t.Fatal("the unit no longer starts /usr/local/bin/bluehats-bot; update this test")
	}
	writeFile(t, unit, strings.ReplaceAll(text, "/usr/local/bin/bluehats-bot", bin))
	if out, err := exec.Command(analyze, "verify", unit).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err := exec.Command(analyze, "security", "--offline=true", "--threshold=20", unit).CombinedOutput()
	if err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		t.Errorf("exposure above 2.0: %v\n%s", err, lines[len(lines)-1])
	}
}
