package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// askConfig is the example config with FAQ entries, and no credentials:
// ask does not need them.
func askConfig(t *testing.T) string {
	t.Helper()
	t.Setenv("BLUEHATS_MATRIX_PASSWORD", "")
	example, err := os.ReadFile("../../config.yaml.example")
	if err != nil {
		t.Fatal(err)
	}
	return configBesidePost(t, string(example)+faqConflicting)
}

func TestAsk(t *testing.T) {
	cfg := askConfig(t)
	tests := []struct {
		args  []string
		wants []string
	}{
		{[]string{"il y a un vestiaire au salon ?"},
			[]string{"intent:     faq #1 «Y a-t-il un vestiaire ?»", "confidence: faq #1", "runner-up:  unknown", "language:   fr", "Oui, au niveau 0."}},
		{[]string{"-now", "2023-11-13T10:00:00+01:00", "quand", "aurai-je", "la", "réponse", "pour", "mon", "talk", "?"},
			[]string{"intent:     response", "lundi 27 novembre 2023 (dans 14 jours)"}},
		{[]string{"where", "and", "when", "does", "it", "open?"},
			[]string{"intent:     venue + hours", "language:   en", "Getting there", "9:00 to 18:00", "[map: Palais des Congrès"}},
		{[]string{"raconte-moi une blague"},
			[]string{"intent:     other", "Je ne suis pas sûr d'avoir compris"}},
	}
	for _, tc := range tests {
		var out, errOut bytes.Buffer
		if code := run(append([]string{"ask", "-config", cfg}, tc.args...), &out, &errOut); code != exitOK {
			t.Fatalf("ask %q: exit %d\n%s", tc.args, code, errOut.String())
		}
		for _, w := range tc.wants {
			if !strings.Contains(out.String(), w) {
				t.Errorf("ask %q: missing %q in:\n%s", tc.args, w, out.String())
			}
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"ask", "-config", cfg}, &out, &errOut); code != exitUsage || !strings.Contains(errOut.String(), "usage: bluehats-bot ask") {
		t.Errorf("ask without a question: exit %d, %q", code, errOut.String())
	}
	if code := run([]string{"ask", "-config", cfg, "-now", "demain", "c'est où ?"}, &out, &errOut); code != exitUsage {
		t.Errorf("ask with a bad -now: exit %d", code)
	}
}
