package match

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/bluehats/bluehats-bot/i18n"
)

func intents(r Result) []Intent {
	var out []Intent
	for _, a := range r.Answers {
		out = append(out, a.Intent)
	}
	return out
}

// Messages that ask several things get every answer, in the order asked;
// a chatty single question is not cut into several.
func TestSeveralQuestions(t *testing.T) {
	m := New(nil)
	tests := []struct {
		q    string
		want []Intent
	}{
		{"où et à quelle heure ?", []Intent{Venue, Hours}},
		{"c'est où, et c'est gratuit ?", []Intent{Venue, Registration}},
		{"Where is it, and what are the opening hours?", []Intent{Venue, Hours}},
		{"Bonjour, j'ai envoyé une proposition de talk, quand est-ce que j'aurai la réponse ?", []Intent{Response}},
		{"Bonjour ! Quelle est l'adresse du salon ?", []Intent{Venue}},
	}
	for _, tc := range tests {
		if got := intents(m.Match(tc.q)); !slices.Equal(got, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.q, got, tc.want)
		}
	}
}

var testFAQ = [][]string{
	{"Y a-t-il un vestiaire ?", "Où est le vestiaire pour les manteaux ?", "Is there a cloakroom?", "where is the cloakroom?"},
	{"Y a-t-il du wifi sur le salon ?", "C'est quoi le code wifi ?", "Is there wifi at the venue?"},
}

// An FAQ entry answers the questions near its phrasings, wins over "I
// don't know" on its topic, and leaves the built-in answers and other
// topics alone.
func TestFAQ(t *testing.T) {
	m := New(testFAQ)
	tests := []struct {
		q    string
		want Answer
	}{
		{"il y a un vestiaire pour les manteaux ?", Answer{Intent: FAQ, FAQ: 0}},
		{"is there a cloakroom at the fair?", Answer{Intent: FAQ, FAQ: 0}},
		{"le wifi est gratuit sur le salon ?", Answer{Intent: FAQ, FAQ: 1}},
		{"what's the wifi password?", Answer{Intent: FAQ, FAQ: 1}},
		{"où a lieu le salon ?", Answer{Intent: Venue}},
		{"c'est payant ?", Answer{Intent: Registration}},
		// Other topics the post does not answer stay "I don't know".
		{"il y a un parking ?", Answer{Intent: Unknown}},
		{"y a-t-il des goodies ?", Answer{Intent: Unknown}},
	}
	for _, tc := range tests {
		r := m.Match(tc.q)
		if r.Answers[0] != tc.want {
			t.Errorf("%q: got %+v (best %+v), want %+v", tc.q, r.Answers, r.Best, tc.want)
		}
	}
	// Without the entries, the same questions are for the organisers.
	if got := New(nil).Match("il y a un vestiaire pour les manteaux ?").Intent(); got != Unknown {
		t.Errorf("cloakroom without FAQ: got %s, want %s", got, Unknown)
	}
}

func TestConflicts(t *testing.T) {
	faq := [][]string{
		testFAQ[0],
		{"Quelle est l'adresse du salon ?", "où a lieu le salon ?"}, // the built-in venue answer
		{"Y a-t-il des goodies ?"},                                  // a single phrasing
	}
	got := Conflicts(faq)
	has := func(entry, q int, in Intent) bool {
		return slices.ContainsFunc(got, func(c Conflict) bool { return c.Entry == entry && c.Question == q && c.Got.Intent == in })
	}
	if !has(1, 0, Venue) || !has(1, 1, Venue) {
		t.Errorf("the venue phrasings are not reported as closer to venue: %+v", got)
	}
	if !slices.ContainsFunc(got, func(c Conflict) bool { return c.Entry == 2 }) {
		t.Errorf("the single phrasing is not reported: %+v", got)
	}
	if slices.ContainsFunc(got, func(c Conflict) bool { return c.Entry == 0 }) {
		t.Errorf("the cloakroom entry is reported although its phrasings agree: %+v", got)
	}
}

func TestLang(t *testing.T) {
	m := New(nil)
	for q, want := range map[string]i18n.Lang{
		"où a lieu le salon ?":           i18n.FR,
		"c ou":                           i18n.FR,
		"where is the fair?":             i18n.EN,
		"when will I hear back?":         i18n.EN,
		"c'est où le venue ?":            i18n.FR,
		"Is the entrance free of charge": i18n.EN,
	} {
		if got := m.Lang(q); got != want {
			t.Errorf("Lang(%q) = %s, want %s", q, got, want)
		}
	}
}

func TestParseCorpus(t *testing.T) {
	good := "# comment\nvenue\tfr\tc'est où ?\nvenue,hours\ten\twhere and when?\n"
	ex, err := ParseCorpus([]byte(good))
	if err != nil || len(ex) != 2 || !slices.Equal(ex[1].Intents, []Intent{Venue, Hours}) || ex[1].Lang != i18n.EN {
		t.Fatalf("ParseCorpus(good) = %+v, %v", ex, err)
	}
	for _, bad := range []string{
		"venue\tfr",             // a field missing
		"venue\tde\tc'est où ?", // an unknown language
		"place\tfr\tc'est où ?", // an unknown intent
		"venue\tfr\t",           // no question
		"faq\tfr\tvestiaire ?",  // FAQ entries are not in the corpus
	} {
		if _, err := ParseCorpus([]byte(bad + "\n")); err == nil {
			t.Errorf("ParseCorpus(%q) accepted it", bad)
		}
	}
}

// The shipped model loads back as it was written.
func TestModelRoundTrip(t *testing.T) {
	m := builtinModel()
	var buf bytes.Buffer
	if err := m.encode(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := decodeModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var s1, s2 scratch
	for _, q := range []string{"où a lieu le salon ?", "quand aurai-je la réponse ?", "bonjour"} {
		a, _ := m.classify(q, &s1)
		b, _ := back.classify(q, &s2)
		if a != b {
			t.Errorf("%q: %v before, %v after a round trip", q, a, b)
		}
	}
	if _, err := decodeModel(strings.NewReader("not a model")); err == nil {
		t.Error("decodeModel accepted garbage")
	}
}
