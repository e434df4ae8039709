package config

import (
	"os"
	"testing"
)

// FuzzParse feeds arbitrary YAML to the config loader: it must report
// problems, never panic, and give a config whenever it says there is no
// error.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile("../config.yaml.example"); err == nil {
		f.Add(data)
	}
	for _, s := range []string{"", "matrix: [", "bot:\n  offline_grace: 7d\n", "reminders:\n  schedule: []\n", "event:\n  start: x\n", "{{},<<}", "a: &a [*a]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, problems := Parse(data)
		if cfg == nil && len(problems) == 0 {
			t.Fatal("no config and no problem")
		}
		if cfg != nil && len(problems.Errors()) == 0 {
			_, _ = cfg.BuildEvent()
		}
		for _, p := range problems {
			_ = p.String()
		}
	})
}
