package match

import (
	"strings"
	"testing"

	"github.com/bluehats/bluehats-bot/i18n"
)

func FuzzMatch(f *testing.F) {
	for _, ex := range mustParse(devTSV)[:50] {
		f.Add(ex.Text)
	}
	for _, q := range []string{"", "\xff\xfe", "e\u0301\u0301\u0301", "ʼʼʼ", "? ? ? ?", ",,,,", " et et et ", strings.Repeat("a ", 300), strings.Repeat("où et ", 50)} {
		f.Add(q)
	}
	m := New(testFAQ)
	f.Fuzz(func(t *testing.T, q string) {
		r := m.Match(q)
		if len(r.Answers) == 0 {
			t.Fatalf("Match(%q): no answer", q)
		}
		for _, a := range r.Answers {
			if a.Intent == FAQ {
				if a.FAQ < 0 || a.FAQ >= len(testFAQ) {
					t.Fatalf("Match(%q): FAQ entry %d", q, a.FAQ)
				}
			} else if !a.Intent.valid() {
				t.Fatalf("Match(%q): intent %q", q, a.Intent)
			}
		}
		if !(r.Best.Score >= 0 && r.Best.Score <= 1+1e-9) {
			t.Fatalf("Match(%q): score %v", q, r.Best.Score)
		}
		if r.Lang != i18n.FR && r.Lang != i18n.EN {
			t.Fatalf("Match(%q): language %q", q, r.Lang)
		}
		// Case, accents and punctuation carry no meaning the matcher uses
		// but the language and where a message splits into questions: for
		// a message that does not split, the intents must not change.
		n := Normalize(q)
		oneQuestion := len(splitQuestions(q)) <= 1 && len(splitQuestions(n)) <= 1
		if len(q) <= maxInput && oneQuestion && !sameSet(intents(m.Match(n)), intents(r)) {
			t.Fatalf("Match(%q) = %v but Match(%q) = %v", q, intents(r), n, intents(m.Match(n)))
		}
	})
}
