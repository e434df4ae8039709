// Package match maps free questions, in French or English, to what the bot can answer.
//
// Matching is deliberately simple and inspectable: weighted keyword and
// phrase cues per intent and language (cues.go), compared after
// normalisation (case, accents, punctuation, plurals) with a little typo
// tolerance. Members of the event ask short practical questions, and a table
// that someone can read and fix beats a model nobody can explain when the bot
// answers the wrong thing. The matcher prefers silence to a guess: weak,
// ambiguous or off-topic questions give None, and the bot then lists what it
// can answer.
package match

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Intent is a kind of question the bot can answer.
type Intent string

// Intents the bot can answer; None means "nothing matched well enough".
const (
	None         Intent = ""
	Venue        Intent = "venue"        // where the event takes place
	Access       Intent = "access"       // how to get there
	Price        Intent = "price"        // whether it is free
	Hours        Intent = "hours"        // daily opening hours
	Deadline     Intent = "deadline"     // last day to propose a talk
	Dates        Intent = "dates"        // the days of the event
	Registration Intent = "registration" // badge, sign-up
	Contact      Intent = "contact"      // who to write to
	Programme    Intent = "programme"    // talks, speakers, schedule
	Propose      Intent = "propose"      // how to propose a talk
	Event        Intent = "event"        // what the event is, who is there
)

// Lang is the language of a question: "fr" or "en".
type Lang string

// Languages the bot answers in.
const (
	French  Lang = "fr"
	English Lang = "en"
)

// Result is what Match understood of a question.
type Result struct {
	Intent Intent
	Lang   Lang    // language of the question (fr when unsure)
	Score  float64 // confidence in [0,1]; 0 when Intent is None
	// Matched lists the cues that counted, normalised ("date limite",
	// "salon"), including those that lost, so that logs show why a question
	// got its answer or none.
	Matched []string
}

// Tuning. The values were set against the table tests in match_test.go;
// change them together with the tests.
const (
	// minScore is one specific word ("horaires") or a phrase: a lone
	// question word ("quand ?") or a word kept only because of a typo is
	// not enough.
	minScore = 2.0
	// tieRatio: when the runner-up reaches this share of the best score,
	// the question is ambiguous and answering either would be a guess.
	tieRatio = 0.7
	// maxGap filler words (function words, or words no cue uses) may sit
	// between the words of a phrase, so that "comment faire pour venir"
	// still has "comment … venir".
	maxGap    = 2
	gapFactor = 0.9
	// fuzzyFactor discounts a word that only matched as a typo.
	fuzzyFactor = 0.75
	// domainBonus is added to every suggested intent when the question names
	// the event ("où est le salon ?"): it is then surely for the bot.
	domainBonus = 0.75
	// repeatShare is how much each further cue of an intent counts
	// relative to the previous one.
	repeatShare = 0.5
	// absorbShare of an absorbed intent's score goes to the absorbing one.
	absorbShare = 0.5
	// strayBudget: beyond this many content words that no cue explains,
	// scores shrink with the square of the excess, so that a pasted
	// paragraph that happens to contain "free" or "open" gets no answer while
	// a chatty but genuine question ("je travaille au ministère et je
	// voudrais proposer…") still does.
	strayBudget = 10
	// maxInput and maxTokens bound the work on a huge message; such a
	// message is far over strayBudget anyway.
	maxInput  = 4096
	maxTokens = 256
	maxPhrase = 8
	maxFuzzy  = 4 // typo candidates kept per word
)

// Indices of the intents in score arrays; the pseudo-intents come last.
var intentOrder = [...]Intent{
	Venue, Access, Price, Hours, Deadline, Dates, Registration, Contact, Programme, Propose, Event,
	domain, offTopic,
}

const (
	nReal       = 11 // real intents, before the pseudo-intents
	domainIdx   = 11
	offTopicIdx = 12
	nIntents    = 13
)

func intentIndex(in Intent) int {
	for i, x := range intentOrder {
		if x == in {
			return i
		}
	}
	panic("match: unknown intent " + string(in))
}

type cue struct {
	words     []int32 // vocabulary ids of the stemmed words
	text      string  // normalised phrase, for Result.Matched
	intent    int8
	lang      Lang
	weight    float64
	flags     cueFlag
	namesSelf bool // contains a word of the event's name ("c'est quoi ce salon")
}

// Matcher maps questions to intents. It is immutable once built, so one
// Matcher may serve any number of goroutines.
type Matcher struct {
	vocab     map[string]int32
	words     []string
	byLen     [][]int32 // typo-correctable vocabulary ids by word length
	letters   []uint32  // vocabulary id → set of its letters, see lookup
	stop      map[string]bool
	ignorable map[string]bool
	cues      []cue     // by priority: longer phrases first, then heavier
	byFirst   [][]int32 // vocabulary id → cues starting with that word, by priority
	absorbs   [][2]int8
	pool      sync.Pool
}

// New builds a Matcher from the package's cue table. Building takes a
// millisecond or two; do it once.
func New() *Matcher {
	m := &Matcher{
		vocab:     make(map[string]int32),
		stop:      make(map[string]bool),
		ignorable: make(map[string]bool),
	}
	for _, list := range [][]string{frFunctionWords, enFunctionWords, otherStopWords} {
		for _, w := range list {
			m.stop[w] = true
		}
	}
	for _, w := range ignorableWords {
		m.ignorable[w] = true
	}

	type key struct {
		intent int8
		text   string
	}
	seen := make(map[key]int)
	var toks []string
	for _, set := range cueTable {
		in := int8(intentIndex(set.intent))
		for _, p := range set.phrases {
			toks = tokenize(Normalize(p), toks[:0])
			if len(toks) == 0 || len(toks) > maxPhrase {
				panic("match: bad cue " + p)
			}
			c := cue{intent: in, lang: set.lang, weight: set.weight, flags: set.flags}
			stems := make([]string, len(toks))
			for i, t := range toks {
				stems[i] = stem(t)
				c.words = append(c.words, m.wordID(stems[i]))
			}
			c.text = strings.Join(toks, " ")
			// Plurals and accents make some phrases identical ("date" and
			// "dates"): keep one, the heavier, usable in either language
			// if the duplicates disagree.
			k := key{in, strings.Join(stems, " ")}
			if j, dup := seen[k]; dup {
				old := &m.cues[j]
				old.weight = max(old.weight, c.weight)
				old.flags &= c.flags
				if old.lang != c.lang {
					old.lang = both
				}
				continue
			}
			seen[k] = len(m.cues)
			m.cues = append(m.cues, c)
		}
	}
	selfWords := make(map[int32]bool)
	for _, c := range m.cues {
		if c.intent == domainIdx && len(c.words) == 1 {
			selfWords[c.words[0]] = true
		}
	}
	for i := range m.cues {
		for _, w := range m.cues[i].words {
			m.cues[i].namesSelf = m.cues[i].namesSelf || selfWords[w]
		}
	}
	slices.SortStableFunc(m.cues, func(a, b cue) int {
		if len(a.words) != len(b.words) {
			return len(b.words) - len(a.words)
		}
		return cmp.Compare(b.weight, a.weight)
	})

	m.byFirst = make([][]int32, len(m.words))
	for i, c := range m.cues {
		m.byFirst[c.words[0]] = append(m.byFirst[c.words[0]], int32(i))
	}
	m.letters = make([]uint32, len(m.words))
	for id, w := range m.words {
		m.letters[id] = letterSet(w)
		if len(w) < 5 || !isASCIILetters(w) {
			continue
		}
		for len(m.byLen) <= len(w) {
			m.byLen = append(m.byLen, nil)
		}
		m.byLen[len(w)] = append(m.byLen[len(w)], int32(id))
	}
	for _, a := range absorbs {
		m.absorbs = append(m.absorbs, [2]int8{int8(intentIndex(a.into)), int8(intentIndex(a.from))})
	}
	m.pool.New = func() any { return new(scratch) }
	return m
}

func (m *Matcher) wordID(w string) int32 {
	if id, ok := m.vocab[w]; ok {
		return id
	}
	id := int32(len(m.words))
	m.vocab[w] = id
	m.words = append(m.words, w)
	return id
}

// scratch holds one Match call's working memory, pooled because Match is
// on the hot path of every message.
type scratch struct {
	toks    []string
	off     []int32 // token i's candidate words are cand[off[i]:off[i+1]]
	cand    []int32
	fuzzy   []bool // parallel to cand: the candidate is a typo correction
	used    []bool // token already taken by a higher-priority cue
	cueIdx  []int32
	matches []hit
}

type hit struct {
	cue    int32
	weight float64
}

// has reports whether token p can be read as word id, and whether only as a typo.
func (s *scratch) has(p int, id int32) (found, fuzzy bool) {
	for j := s.off[p]; j < s.off[p+1]; j++ {
		if s.cand[j] == id {
			return true, s.fuzzy[j]
		}
	}
	return false, false
}

// Match tells which intent question asks about. It returns None when no
// intent scores well enough, when two intents are close, or when the
// question is clearly about something else.
func (m *Matcher) Match(question string) Result {
	if len(question) > maxInput {
		question = truncateUTF8(question, maxInput)
	}
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	s.toks = tokenize(Normalize(question), s.toks[:0])
	m.lookup(s)

	// Try every cue that starts with a word of the question, in priority
	// order, each taking its words for itself: "date limite" must not also
	// count as "date" for Dates, nor "adresse mail" as "adresse" for Venue.
	s.cueIdx = s.cueIdx[:0]
	for _, id := range s.cand {
		s.cueIdx = append(s.cueIdx, m.byFirst[id]...)
	}
	slices.Sort(s.cueIdx)
	s.cueIdx = slices.Compact(s.cueIdx)
	s.matches = s.matches[:0]
	namesSelf := false
	for _, ci := range s.cueIdx {
		c := &m.cues[ci]
		w, pos, ok := m.try(c, s)
		if !ok {
			continue
		}
		for _, p := range pos[:len(c.words)] {
			s.used[p] = true
		}
		namesSelf = namesSelf || c.intent == domainIdx || c.namesSelf
		s.matches = append(s.matches, hit{ci, w})
	}

	// Several cues of one intent are correlated evidence ("horaires
	// d'ouverture… ça ouvre à quelle heure"): each counts half the one
	// before, heaviest first, so that many scattered weak words in a long
	// message do not add up to certainty.
	slices.SortStableFunc(s.matches, func(a, b hit) int { return cmp.Compare(b.weight, a.weight) })
	var score, share [nIntents]float64
	for i := range share {
		share[i] = 1
	}
	var res Result
	frVotes, enVotes := langVotes(question, s.toks)
	for _, h := range s.matches {
		c := &m.cues[h.cue]
		if c.flags&needsDomain != 0 && !namesSelf {
			continue
		}
		score[c.intent] += share[c.intent] * h.weight
		share[c.intent] *= repeatShare
		res.Matched = append(res.Matched, c.text)
		switch c.lang {
		case French:
			frVotes += 2
		case English:
			enVotes += 2
		}
	}
	res.Lang = French
	if enVotes > frVotes {
		res.Lang = English
	}

	for _, a := range m.absorbs {
		into, from := score[a[0]], score[a[1]]
		if into > 0 && from > 0 && into >= from/2 {
			score[a[0]] += absorbShare * from
			score[a[1]] = 0
		}
	}
	if namesSelf {
		for i := range nReal {
			if score[i] > 0 {
				score[i] += domainBonus
			}
		}
	}
	if n := m.strayWords(s); n > strayBudget {
		f := float64(strayBudget) / float64(n)
		for i := range score {
			score[i] *= f * f
		}
	}

	best, second := -1, -1
	for i := range nReal {
		switch {
		case best < 0 || score[i] > score[best]:
			best, second = i, best
		case second < 0 || score[i] > score[second]:
			second = i
		}
	}
	b, r := score[best], score[second]
	if b < minScore || score[offTopicIdx] >= b || r >= tieRatio*b {
		return res
	}
	res.Intent = intentOrder[best]
	// Strength grows with the evidence and saturates; a runner-up takes
	// off at most a third or so, closer ones having been rejected above.
	res.Score = clamp01(b / (b + 1.5) * (1 - 0.5*r/b))
	return res
}

// try finds cue c among the words not yet taken, returning its weight after
// the gap and typo discounts and the positions of its words.
func (m *Matcher) try(c *cue, s *scratch) (w float64, pos [maxPhrase]int, ok bool) {
	n := len(s.toks)
	for p := range n {
		if s.used[p] {
			continue
		}
		found, fz := s.has(p, c.words[0])
		if !found {
			continue
		}
		pos[0] = p
		gaps, typos := 0, b2i(fz)
		k := 1
		for ; k < len(c.words); k++ {
			prev := pos[k-1]
			next := -1
			for q := prev + 1; q <= prev+1+maxGap && q < n; q++ {
				if !s.used[q] {
					if found, fz := s.has(q, c.words[k]); found {
						next = q
						typos += b2i(fz)
						break
					}
				}
				// Only filler may sit inside a phrase: "what dates is
				// the event on" does not contain "what is the event".
				if !m.stop[s.toks[q]] && !m.ignorable[s.toks[q]] && s.off[q] != s.off[q+1] {
					break
				}
			}
			if next < 0 {
				break
			}
			gaps += next - prev - 1
			pos[k] = next
		}
		if k < len(c.words) {
			continue
		}
		if c.flags&whole != 0 && !m.onlyIgnorableBesides(s.toks, pos[:k]) {
			continue
		}
		w = c.weight * math.Pow(gapFactor, float64(gaps)) * math.Pow(fuzzyFactor, float64(typos))
		return w, pos, true
	}
	return 0, pos, false
}

func (m *Matcher) onlyIgnorableBesides(toks []string, pos []int) bool {
	for i, t := range toks {
		if !slices.Contains(pos, i) && !m.ignorable[t] {
			return false
		}
	}
	return true
}

// lookup reads each token as vocabulary words: exactly after stemming, or,
// for a long word that is neither a cue word nor a common word, as any cue
// word within the allowed typo distance.
func (m *Matcher) lookup(s *scratch) {
	s.off = append(s.off[:0], 0)
	s.cand, s.fuzzy = s.cand[:0], s.fuzzy[:0]
	s.used = s.used[:0]
	for _, t := range s.toks {
		s.used = append(s.used, false)
		st := stem(t)
		if id, ok := m.vocab[st]; ok {
			s.cand = append(s.cand, id)
			s.fuzzy = append(s.fuzzy, false)
		} else if len(st) >= 5 && !m.stop[t] && isASCIILetters(st) {
			// An edit adds or removes at most two letters from the set of
			// letters a word uses: comparing sets rules out nearly every
			// word before the costlier distance computation.
			set := letterSet(st)
			found := 0
			for l := len(st) - 2; l <= len(st)+2 && l < len(m.byLen) && found < maxFuzzy; l++ {
				if l < 5 {
					continue
				}
				for _, id := range m.byLen[l] {
					w := m.words[id]
					limit := typoLimit(min(len(st), len(w)))
					if abs(len(st)-len(w)) > limit || bits.OnesCount32(set^m.letters[id]) > 2*limit ||
						!withinOSA(st, w, limit) {
						continue
					}
					s.cand = append(s.cand, id)
					s.fuzzy = append(s.fuzzy, true)
					if found++; found == maxFuzzy {
						break
					}
				}
			}
		}
		s.off = append(s.off, int32(len(s.cand)))
	}
}

// strayWords counts the words that carry meaning but that no cue took: how
// much of the message is about something else.
func (m *Matcher) strayWords(s *scratch) int {
	n := 0
	for i, t := range s.toks {
		if !s.used[i] && !m.stop[t] && !m.ignorable[t] {
			n++
		}
	}
	return n
}

// typoLimit is how many edits a word of n letters may carry: none for short
// words, where one edit makes another word ("bus"/"but", "prix"/"pris").
func typoLimit(n int) int {
	switch {
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}

// withinOSA reports whether the optimal string alignment distance
// (Damerau–Levenshtein with adjacent transpositions, each substring edited
// once) between a and b is at most limit. Rows stop early once every cell
// exceeds the limit.
func withinOSA(a, b string, limit int) bool {
	const maxLen = 32
	if len(a) > maxLen || len(b) > maxLen {
		return false
	}
	var rows [3][maxLen + 1]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if rowMin > limit {
			return false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)] <= limit
}

// tokenize splits a normalised string into words, appending to dst. It reads
// the English "'s" as "is" after the words that take it ("what's",
// "where's"), so that those questions share the cues of "what is".
func tokenize(norm string, dst []string) []string {
	for len(norm) > 0 && len(dst) < maxTokens {
		i := strings.IndexByte(norm, ' ')
		t := norm
		if i >= 0 {
			t, norm = norm[:i], norm[i+1:]
		} else {
			norm = ""
		}
		if t == "s" && len(dst) > 0 {
			switch dst[len(dst)-1] {
			case "what", "where", "when", "how", "who", "it", "that", "there", "here":
				t = "is"
			}
		}
		dst = append(dst, t)
	}
	return dst
}

// stem folds plurals so that "horaires" finds "horaire" and "talks" "talk".
// It is crude on purpose: applied to cues and questions alike, it only has
// to be consistent, and short words (bus, prix) are left alone.
func stem(t string) string {
	n := len(t)
	switch {
	case n >= 4 && t[n-1] == 's' && t[n-2] != 's':
		return t[:n-1]
	case n >= 5 && t[n-1] == 'x':
		return t[:n-1]
	}
	return t
}

// Language detection.

var (
	// lexicon maps a word to the one language it belongs to: the function
	// words, and the words of cues that only one language uses.
	lexicon = sync.OnceValue(buildLexicon)
)

func buildLexicon() map[string]Lang {
	lex := make(map[string]Lang)
	for _, w := range frFunctionWords {
		lex[w] = French
	}
	for _, w := range enFunctionWords {
		lex[w] = English
	}
	stopped := make(map[string]bool)
	for _, list := range [][]string{otherStopWords, bilingualWords} {
		for _, w := range list {
			stopped[w] = true
		}
	}
	// A cue word joins the lexicon only if no cue of the other language,
	// nor any bilingual cue, uses it: "programme" and "contact" say nothing.
	cueLang := make(map[string]Lang)
	var toks []string
	for _, set := range cueTable {
		for _, p := range set.phrases {
			toks = tokenize(Normalize(p), toks[:0])
			for _, t := range toks {
				if len(t) < 4 || stopped[t] {
					continue
				}
				if l, ok := cueLang[t]; !ok {
					cueLang[t] = set.lang
				} else if l != set.lang {
					cueLang[t] = both
				}
			}
		}
	}
	for w, l := range cueLang {
		if _, fn := lex[w]; !fn && l != both {
			lex[w] = l
		}
	}
	return lex
}

// frenchAccents are letters English never writes outside borrowed names.
const frenchAccents = "éèêëàâçùûôîïœÉÈÊËÀÂÇÙÛÔÎÏŒ"

// langVotes counts the evidence for each language in a question and its
// normalised tokens.
func langVotes(raw string, toks []string) (fr, en float64) {
	lex := lexicon()
	for _, t := range toks {
		switch lex[t] {
		case French:
			fr++
		case English:
			en++
		}
	}
	if strings.ContainsAny(raw, frenchAccents) {
		fr += 2
	}
	return fr, en
}

// DetectLang guesses whether text is French or English from its function
// words (le, est, quand, où… against the, is, when, where…), words only one
// language uses, and French accents. French wins ties: the event is in
// Paris, and most of its audience writes French.
func DetectLang(text string) Lang {
	if len(text) > maxInput {
		text = truncateUTF8(text, maxInput)
	}
	var buf [32]string
	fr, en := langVotes(text, tokenize(Normalize(text), buf[:0]))
	if en > fr {
		return English
	}
	return French
}

// Helpers.

func truncateUTF8(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// letterSet is the set of the letters a-z in s, as bits.
func letterSet(s string) uint32 {
	var set uint32
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'a' <= c && c <= 'z' {
			set |= 1 << (c - 'a')
		}
	}
	return set
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func clamp01(x float64) float64 {
	switch {
	case math.IsNaN(x) || x < 0:
		return 0
	case x > 1:
		return 1
	}
	return x
}
