// Package match tells what a free question asks, in French or English:
// which fact of the event it wants, that it is about the event but asks
// something the bot does not know, or that it is about something else.
//
// It is a statistical classifier learned from a corpus of questions as
// members write them (corpus/): TF-IDF over words, word pairs and
// character n-grams, and a multinomial logistic regression, trained in a
// fixed order by "go generate" (the same corpus always gives the same
// model) and shipped in model.gob.gz; its probabilities are blended with
// the vote of the training questions nearest to the question (knn.go). A guess below a confidence
// threshold, calibrated on the dev split, is no answer: a wrong fact given
// confidently is worse than "I don't know". The organisers' FAQ entries
// join by similarity to their example phrasings. Nothing is downloaded and
// nothing leaves the process.
package match

import (
	"regexp"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/bluehats/bluehats-bot/i18n"
)

// Intent is what a question asks.
type Intent string

// What the classifier tells apart. Every in-scope intent has its own answer.
const (
	Event        Intent = "event"        // what the event is, who is there, which days
	Venue        Intent = "venue"        // where it is and how to get there
	Hours        Intent = "hours"        // opening hours
	Registration Intent = "registration" // price, registration, badge
	Contact      Intent = "contact"      // whom to write to
	Programme    Intent = "programme"    // the talks, and when the programme is out
	Response     Intent = "response"     // when proposers learn the decision
	Propose      Intent = "propose"      // how, how long and until when to propose a talk
	Now          Intent = "now"          // the talk on at the stand now, and the next ones
	// Unknown is about attending the event, but not answered by its post
	// (cloakroom, wifi, food, parking…): the bot says it does not know and
	// whom to ask.
	Unknown Intent = "unknown"
	// Other is everything else, and questions not understood well enough.
	Other Intent = "other"
	// FAQ is an organisers' FAQ entry; Answer.FAQ says which.
	FAQ Intent = "faq"
)

// Intents are the classifier's classes, in a fixed order.
var Intents = []Intent{Event, Venue, Hours, Registration, Contact, Programme, Response, Propose, Now, Unknown, Other}

// InScope reports whether the intent is answered with a fact.
func (in Intent) InScope() bool { return in != Unknown && in != Other && in != "" }

func (in Intent) valid() bool { return slices.Contains(Intents, in) }

func (in Intent) index() int { return slices.Index(Intents, in) }

// langs are the languages the bot answers in, in the order of the language
// model's classes.
var langs = []i18n.Lang{i18n.FR, i18n.EN}

// Answer is one thing to answer: an intent, or an FAQ entry by index.
type Answer struct {
	Intent Intent
	FAQ    int // index of the FAQ entry when Intent is FAQ
}

// Guess is an answer with its confidence: a probability for the intents,
// the cosine similarity to the nearest example phrasing for an FAQ entry.
type Guess struct {
	Answer
	Score float64
}

// Result is what Match understood of a message.
type Result struct {
	// Answers are what to answer, in the order asked: one, or several
	// when the message asks several things ("où et à quelle heure ?").
	// Never empty; Other when nothing is understood well enough.
	Answers []Answer
	Lang    i18n.Lang
	// Best and RunnerUp are the two strongest guesses for the whole
	// message, before the threshold, so that logs and "ask" show why.
	Best, RunnerUp Guess
	// Rejected is set when Best was an in-scope intent below the threshold.
	Rejected bool
}

// Intent is the first answer's intent.
func (r Result) Intent() Intent { return r.Answers[0].Intent }

// faqMin is the similarity an FAQ phrasing needs to answer at all. It
// cannot be calibrated like the intents' threshold, the entries being the
// organisers', written after the corpus: it was set from the examples of
// match_test.go, where a question on an entry's topic in other words
// scores 0.3 to 0.5 and one on another topic 0.14 to 0.19, so that an
// entry does not answer a question that only shares its function words.
// Above it, faqWins decides.
const faqMin = 0.25

// Matcher maps questions to answers. It is immutable once built, so one
// Matcher may serve any number of goroutines.
type Matcher struct {
	model *model
	faq   *faqIndex // nil without FAQ entries
	pool  sync.Pool
}

// New returns a matcher for the built-in intents and the given FAQ
// entries, each given by its example phrasings. The model is loaded on the
// first call (about 45 ms) and shared after that.
func New(faq [][]string) *Matcher {
	m := &Matcher{model: builtinModel()}
	if len(faq) > 0 {
		m.faq = newFAQIndex(m.model, faq)
		// Indexed once per process, in the background from the start: a
		// question near an entry before it is done waits for it.
		go m.model.neighbours()
	}
	m.pool.New = func() any { return new(scratch) }
	return m
}

// Threshold is the confidence under which an in-scope guess is no answer.
func (m *Matcher) Threshold() float64 { return m.model.threshold }

// Match tells what question asks.
func (m *Matcher) Match(question string) Result {
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	if len(question) > maxInput {
		question = truncateUTF8(question, maxInput)
	}
	res := m.whole(question, s)
	if res.Best.Intent == Unknown || res.Best.Intent == FAQ {
		return res // about the event, but one thing the post does not say
	}
	// A message that asks several things gets each answer: every part
	// between separators that is confidently about a different fact.
	parts := splitQuestions(question)
	if len(parts) < 2 || len(parts) > maxParts {
		return res
	}
	var multi []Answer
	for _, p := range parts {
		g, _ := m.model.classify(p, s)
		if g.Intent.InScope() && g.Score >= m.model.partThreshold && !slices.Contains(multi, g.Answer) {
			multi = append(multi, g.Answer)
		}
	}
	if len(multi) >= 2 {
		res.Answers, res.Rejected = multi, false
	}
	return res
}

// whole classifies the message as one question.
func (m *Matcher) whole(question string, s *scratch) Result {
	// One vector for the intent and the language; the FAQ index, which
	// vectorises again with its own words, reuses the same scratch after.
	x := m.model.vocab.vectorize(question, s, nil)
	best, second := m.model.classifyVector(x, s)
	res := Result{Best: best, RunnerUp: second, Lang: m.model.langVector(x)}
	if m.faq != nil {
		if g, ok := m.faq.best(question, s); ok && m.faqWins(question, g, best, s) {
			res.RunnerUp, res.Best = res.Best, g
			res.Answers = []Answer{g.Answer}
			return res
		}
	}
	switch {
	case best.Intent.InScope() && best.Score < m.model.threshold:
		res.Rejected = true
		res.Answers = []Answer{{Intent: Other}}
	default:
		res.Answers = []Answer{best.Answer}
	}
	return res
}

// faqWins reports whether an FAQ entry should answer rather than the
// classifier's guess. Over "I don't know" (Unknown, or a guess under the
// threshold) it always does: an entry is precisely the organisers filling
// such a gap (the cloakroom, the wifi). Over a built-in answer or "not
// about the event", it must be nearer to the question than every training
// question of that answer.
func (m *Matcher) faqWins(question string, g, best Guess, s *scratch) bool {
	if best.Intent == Unknown || (best.Intent.InScope() && best.Score < m.model.threshold) {
		return true
	}
	return g.Score >= m.model.nearest(question, s, best.Intent)
}

// FAQ entries.

// faqIndex holds the vectors of the organisers' example phrasings. Their
// words may be new to the corpus ("vestiaire"): such features get ids of
// their own, weighted as the rarest words.
type faqIndex struct {
	model  *model
	extra  map[uint64]int32
	maxIDF float64
	vecs   []vector
	owner  []int // entry of each vector
}

func newFAQIndex(m *model, entries [][]string) *faqIndex {
	f := &faqIndex{model: m, extra: map[uint64]int32{}}
	for _, idf := range m.vocab.idf {
		f.maxIDF = max(f.maxIDF, idf)
	}
	var s scratch
	for i, qs := range entries {
		for _, q := range qs {
			for _, h := range featureHashes(q, nil, nil) {
				if _, known := m.vocab.ids[h]; !known {
					if _, ok := f.extra[h]; !ok {
						f.extra[h] = int32(m.vocab.size() + len(f.extra))
					}
				}
			}
			f.vecs = append(f.vecs, slices.Clone(m.vocab.vectorize(q, &s, f.lookup)))
			f.owner = append(f.owner, i)
		}
	}
	return f
}

func (f *faqIndex) lookup(h uint64) (int32, float64, bool) {
	id, ok := f.extra[h]
	return id, f.maxIDF, ok
}

// best returns the entry with the phrasing nearest to text, if near enough.
func (f *faqIndex) best(text string, s *scratch) (Guess, bool) {
	x := f.model.vocab.vectorize(text, s, f.lookup)
	g := Guess{Answer: Answer{Intent: FAQ, FAQ: -1}}
	for i, v := range f.vecs {
		if sim := x.dot(v); sim > g.Score {
			g.Score, g.FAQ = sim, f.owner[i]
		}
	}
	return g, g.FAQ >= 0 && g.Score >= faqMin
}

// Splitting a message into questions.

// maxParts bounds the questions read in one message: a longer list is a
// paragraph, not a set of questions.
const maxParts = 4

var separators = regexp.MustCompile(`(?i)[?;!\n]+|\s(?:et|and|&|\+|puis|ainsi que|as well as|aussi)\s`)

func splitQuestions(text string) []string {
	var out []string
	for _, p := range separators.Split(text, -1) {
		if Normalize(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

func truncateUTF8(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Lang tells the language of a text: English or French, French when unsure.
func (m *Matcher) Lang(text string) i18n.Lang {
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	return m.model.lang(text, s)
}

// Conflict is an FAQ phrasing that, left out of its entry, the matcher
// would not answer with that entry: it is nearer to something else, so
// the entry needs phrasings of its own that set it apart.
type Conflict struct {
	Entry, Question int    // indices into the entries and their phrasings
	Got             Answer // what the phrasing gets instead
}

// Conflicts checks each phrasing of each FAQ entry against all the rest:
// the built-in answers, the other entries, and its entry's other phrasings.
func Conflicts(faq [][]string) []Conflict {
	var out []Conflict
	for i, qs := range faq {
		for j, q := range qs {
			rest := slices.Clone(faq)
			rest[i] = slices.Delete(slices.Clone(qs), j, j+1)
			got := New(rest).Match(q).Answers[0]
			if got != (Answer{Intent: FAQ, FAQ: i}) {
				out = append(out, Conflict{Entry: i, Question: j, Got: got})
			}
		}
	}
	return out
}
