package match

import (
	"strings"
	"testing"
)

func FuzzMatch(f *testing.F) {
	for _, c := range frPositives {
		f.Add(c.q)
	}
	for _, c := range enPositives {
		f.Add(c.q)
	}
	for _, q := range negatives {
		f.Add(q)
	}
	for _, q := range []string{"\xff\xfe", "e\u0301\u0301\u0301", "ʼʼʼ", "s s s s", "it s", strings.Repeat("a ", 300)} {
		f.Add(q)
	}
	m := New()
	valid := map[Intent]bool{None: true}
	for _, in := range intentOrder[:nReal] {
		valid[in] = true
	}
	f.Fuzz(func(t *testing.T, q string) {
		r := m.Match(q)
		if !(r.Score >= 0 && r.Score <= 1) {
			t.Fatalf("Match(%q).Score = %v, want in [0,1]", q, r.Score)
		}
		if !valid[r.Intent] {
			t.Fatalf("Match(%q).Intent = %q, not an exported intent", q, r.Intent)
		}
		if (r.Intent == None) != (r.Score == 0) {
			t.Fatalf("Match(%q) = %s with score %v", q, r.Intent, r.Score)
		}
		if r.Lang != French && r.Lang != English {
			t.Fatalf("Match(%q).Lang = %q", q, r.Lang)
		}
		if l := DetectLang(q); l != French && l != English {
			t.Fatalf("DetectLang(%q) = %q", q, l)
		}
		// Matching normalised text must not change the answer: the
		// matcher sees nothing that Normalize throws away, except accents
		// which only vote for French.
		n := Normalize(q)
		if Normalize(n) != n {
			t.Fatalf("Normalize not idempotent on %q: %q then %q", q, n, Normalize(n))
		}
		if len(q) <= maxInput && m.Match(n).Intent != r.Intent {
			t.Fatalf("Match(%q) = %s but Match(Normalize) = %s", q, r.Intent, m.Match(n).Intent)
		}
	})
}
