package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/internal/bottest"
)

// cross-sign gives the account cross-signing keys and signs the device, as
// other members' clients see it; a second device (a lost database) signs
// itself at start with the recovery key; existing keys are never replaced
// without -reset.
func TestCrossSign(t *testing.T) {
	local := bottest.Unique("bot")
	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	if err := hs.Register(ctx, local, "pw-"+local, false); err != nil {
		t.Fatal(err)
	}
	botID := hs.UserID(local)
	dir := t.TempDir()
	example := mustRead(t, "../../config.yaml.example")
	write := func(name, db string) string {
		path := filepath.Join(dir, name)
		writeFile(t, path, strings.NewReplacer(
			"homeserver_url: https://matrix.example.org", "homeserver_url: "+hs.URL,
			`user_id: "@bluehats-bot:example.org"`, `user_id: "`+botID.String()+`"`,
			"uri: bluehats.db", "uri: "+filepath.Join(dir, db),
			"    enabled: false", "    enabled: true",
			"source: examples/open-source-experience-2023.md", `source: ""`,
		).Replace(example))
		return path
	}
	t.Setenv(config.EnvPassword, "pw-"+local)
	t.Setenv(config.EnvPickleKey, "a pickle key for the tests")
	first := write("first.yaml", "first.db")

	var stdout, stderr bytes.Buffer
	if code := run([]string{"cross-sign", "-config", first}, &stdout, &stderr); code != exitOK {
		t.Fatalf("cross-sign: exit %d\n%s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	recoveryKey := lines[len(lines)-1]
	if len(strings.Fields(recoveryKey)) != 12 {
		t.Fatalf("no recovery key in the output: %q", stdout.String())
	}
	if strings.Contains(stderr.String(), recoveryKey) {
		t.Error("the recovery key appears in the logs")
	}

	member := bottest.NewMember(t, hs, "member")
	signed := func() map[id.DeviceID]bool {
		t.Helper()
		keys, err := member.Client.QueryKeys(ctx, &mautrix.ReqQueryKeys{DeviceKeys: mautrix.DeviceKeysRequest{botID: nil}})
		if err != nil {
			t.Fatal(err)
		}
		ssk, ok := keys.SelfSigningKeys[botID]
		if !ok || keys.MasterKeys[botID].Keys == nil {
			t.Fatalf("no cross-signing keys published for the bot: %+v", keys)
		}
		out := map[id.DeviceID]bool{}
		for device, dk := range keys.DeviceKeys[botID] {
			for keyID := range ssk.Keys {
				if _, ok := dk.Signatures[botID][keyID]; ok {
					out[device] = true
				}
			}
			if !out[device] {
				out[device] = false
			}
		}
		return out
	}
	devices := signed()
	if len(devices) != 1 {
		t.Fatalf("devices: %v, want the bot's one", devices)
	}
	for device, ok := range devices {
		if !ok {
			t.Errorf("device %s not signed by the self-signing key", device)
		}
	}

	// Again on the same device: nothing to do, keys unchanged.
	stdout.Reset()
	if code := run([]string{"cross-sign", "-config", first}, &stdout, &stderr); code != exitOK || !strings.Contains(stdout.String(), "cross-signed") {
		t.Errorf("second cross-sign: exit %d, %q", code, stdout.String())
	}
	// A new device without the recovery key must not replace the keys.
	second := write("second.yaml", "second.db")
	if code := run([]string{"cross-sign", "-config", second}, &stdout, &stderr); code != exitConfig {
		t.Errorf("cross-sign of a new device without the recovery key: exit %d, want %d", code, exitConfig)
	}

	// A new device started with the recovery key signs itself.
	cfg, problems, err := config.Load(write("third.yaml", "third.db"))
	if err != nil || len(problems.Errors()) > 0 {
		t.Fatal(err, problems)
	}
	cfg.Matrix.Encryption.RecoveryKey = config.Secret(recoveryKey)
	cfg.Matrix.Rooms = nil // the example's alias is on a server that does not exist
	b := bottest.Start(t, cfg, "")
	device := b.Bot.Client().DeviceID
	if ok, known := signed()[device]; !known || !ok {
		t.Errorf("device %s after a start with the recovery key: known %v, signed %v", device, known, ok)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
