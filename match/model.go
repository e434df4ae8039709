package match

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/bluehats/bluehats-bot/i18n"
)

// model is what the corpus teaches: the features and their weights, and
// the calibrated thresholds. It is trained by "go generate" (see
// model_test.go) and shipped in model.gob.gz, since training takes seconds
// and starting must not.
type model struct {
	vocab     *vocabulary
	intents   *softmax
	langs     *softmax
	words     *wordIndex // the nearest questions' vote, rebuilt at load
	threshold float64
	// partThreshold is the confidence each part of a message needs for
	// the message to get several answers: higher than threshold, since a
	// chatty single question splits into parts too ("j'ai proposé un
	// talk, quand saurai-je ?").
	partThreshold float64
	// corpus is the hash of the corpus it was trained on.
	corpus string

	neighbours func() *neighbours
}

// neighbours are the training questions, for the FAQ's nearest-question
// test: their intents, and an inverted index from feature to questions.
// Only a bot with FAQ entries needs them, so they are built on first use.
type neighbours struct {
	labels   []int
	postings [][]posting
}

type posting struct {
	doc int32
	val float64
}

//go:generate go test -run ^TestModelUpToDate$ -update .

//go:embed model.gob.gz
var modelFile []byte

var builtinModel = sync.OnceValue(func() *model {
	m, err := decodeModel(bytes.NewReader(modelFile))
	if err != nil {
		panic("match: embedded model: " + err.Error())
	}
	return m
})

// corpusHash identifies the corpus and the version of the features and
// training, so that a stale model.gob.gz is caught (see model_test.go).
func corpusHash(train, dev []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "model v%d\n", modelVersion)
	h.Write(train)
	h.Write(dev)
	return hex.EncodeToString(h.Sum(nil))
}

// modelVersion changes with any change to the features or the training,
// so that the test asks for the model to be generated again.
const modelVersion = 5

// trainBuiltin trains the model on the embedded corpus.
func trainBuiltin() *model {
	m := trainModel(mustParse(trainTSV), mustParse(devTSV))
	m.corpus = corpusHash(trainTSV, devTSV)
	return m
}

// trainModel learns from train and calibrates the threshold on dev. Only
// single-question examples teach the model; messages that ask several
// things are for the evaluation of the splitting.
func trainModel(train, dev []Example) *model {
	var texts []string
	var ys, ls []int
	for _, ex := range train {
		if len(ex.Intents) != 1 {
			continue
		}
		texts = append(texts, ex.Text)
		ys = append(ys, ex.Intents[0].index())
		ls = append(ls, slices.Index(langs, ex.Lang))
	}
	m := &model{vocab: fitVocabulary(texts)}
	var s scratch
	var xs []vector
	for _, t := range texts {
		xs = append(xs, slices.Clone(m.vocab.vectorize(t, &s, nil)))
	}
	m.intents = trainSoftmax(xs, ys, len(Intents), m.vocab.size())
	m.langs = trainSoftmax(xs, ls, len(langs), m.vocab.size())
	m.words = newWordIndex(m.vocab, texts, ys)
	m.neighbours = sync.OnceValue(m.buildNeighbours)
	m.threshold = m.calibrate(dev)
	m.partThreshold = m.calibrateParts(dev)
	return m
}

// calibrateParts picks the part threshold that answers the most dev
// messages exactly, single and several questions alike; of equally good
// thresholds, the middle one.
func (m *model) calibrateParts(dev []Example) float64 {
	type message struct {
		want  []Intent
		whole Intent
		parts []Guess
	}
	var ms []message
	var s scratch
	for _, ex := range dev {
		g, _ := m.classify(ex.Text, &s)
		msg := message{want: ex.Intents, whole: g.Intent}
		if g.Intent.InScope() && g.Score < m.threshold {
			msg.whole = Other
		}
		if parts := splitQuestions(ex.Text); len(parts) >= 2 && len(parts) <= maxParts {
			for _, p := range parts {
				pg, _ := m.classify(p, &s)
				msg.parts = append(msg.parts, pg)
			}
		}
		ms = append(ms, msg)
	}
	right := func(t float64) int {
		n := 0
		for _, msg := range ms {
			var got []Intent
			for _, g := range msg.parts {
				if g.Intent.InScope() && g.Score >= t && !slices.Contains(got, g.Intent) {
					got = append(got, g.Intent)
				}
			}
			if len(got) < 2 {
				got = []Intent{msg.whole}
			}
			if slices.Equal(got, msg.want) {
				n++
			}
		}
		return n
	}
	return bestRange(right, m.threshold)
}

// bestRange returns the middle of the first run of thresholds in [from, 1)
// that maximise score.
func bestRange(score func(float64) int, from float64) float64 {
	const steps = 100
	best, lo, hi := math.MinInt, 0, 0
	for i := int(from * steps); i < steps; i++ {
		c := score(float64(i) / steps)
		switch {
		case c > best:
			best, lo, hi = c, i, i
		case c == best && hi == i-1:
			hi = i
		}
	}
	return float64(lo+hi) / 2 / steps
}

// calibrate picks the threshold that makes the fewest mistakes on the dev
// split, counting twice an out-of-scope question answered with a fact;
// of equally good thresholds, it takes the middle one.
func (m *model) calibrate(dev []Example) float64 {
	type guess struct {
		want, got Intent
		score     float64
	}
	var gs []guess
	var s scratch
	for _, ex := range dev {
		if len(ex.Intents) != 1 {
			continue
		}
		g, _ := m.classify(ex.Text, &s)
		gs = append(gs, guess{ex.Intents[0], g.Intent, g.Score})
	}
	cost := func(t float64) int {
		c := 0
		for _, g := range gs {
			got := g.got
			if got.InScope() && g.score < t {
				got = Other
			}
			switch {
			case got == g.want:
			case got.InScope() && !g.want.InScope():
				c += 2
			default:
				c++
			}
		}
		return c
	}
	return bestRange(func(t float64) int { return -cost(t) }, 0)
}

// classify returns the two likeliest intents of text: the regression's
// probabilities, blended with the vote of the nearest training questions.
func (m *model) classify(text string, s *scratch) (best, second Guess) {
	return m.classifyVector(m.vocab.vectorize(text, s, nil), s)
}

// classifyVector is classify on x, the text just vectorised with s (the
// vote reads its words from s).
func (m *model) classifyVector(x vector, s *scratch) (best, second Guess) {
	s.probs = slices.Grow(s.probs[:0], len(Intents))[:len(Intents)]
	if len(x) == 0 {
		return Guess{Answer{Intent: Other}, 1}, Guess{}
	}
	m.intents.probs(x, s.probs)
	m.words.vote(m.vocab, s, s.probs)
	b, r := -1, -1
	for k, p := range s.probs {
		switch {
		case b < 0 || p > s.probs[b]:
			b, r = k, b
		case r < 0 || p > s.probs[r]:
			r = k
		}
	}
	return Guess{Answer{Intent: Intents[b]}, s.probs[b]}, Guess{Answer{Intent: Intents[r]}, s.probs[r]}
}

// lang tells the language of text; French when unsure, since the event
// is in Paris and most of its audience writes French.
func (m *model) lang(text string, s *scratch) i18n.Lang {
	return m.langVector(m.vocab.vectorize(text, s, nil))
}

// langVector is lang on an already vectorised text.
func (m *model) langVector(x vector) i18n.Lang {
	if len(x) == 0 {
		return i18n.FR
	}
	var p [2]float64
	m.langs.probs(x, p[:])
	if p[1] > p[0] {
		return i18n.EN
	}
	return i18n.FR
}

// nearest returns the cosine similarity of text to the nearest training
// question of intent in.
func (m *model) nearest(text string, s *scratch, in Intent) float64 {
	nb := m.neighbours()
	x := m.vocab.vectorize(text, s, nil)
	sims := make([]float64, len(nb.labels))
	for _, e := range x {
		for _, p := range nb.postings[e.id] {
			sims[p.doc] += e.val * p.val
		}
	}
	best, want := 0.0, in.index()
	for d, v := range sims {
		if v > best && nb.labels[d] == want {
			best = v
		}
	}
	return best
}

// buildNeighbours vectorises the training questions of the embedded
// corpus, on every core: it is the longest work of a start with FAQ
// entries, done in the background (see New).
func (m *model) buildNeighbours() *neighbours {
	texts, labels := trainingQuestions()
	nb := &neighbours{postings: make([][]posting, m.vocab.size()), labels: labels}
	vecs := make([]vector, len(texts))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var s scratch
			for d := w; d < len(texts); d += workers {
				vecs[d] = slices.Clone(m.vocab.vectorize(texts[d], &s, nil))
			}
		})
	}
	wg.Wait()
	for d, v := range vecs {
		for _, e := range v {
			nb.postings[e.id] = append(nb.postings[e.id], posting{int32(d), e.val})
		}
	}
	return nb
}

// trainingQuestions are the single questions of the embedded training
// split and their intents.
func trainingQuestions() (texts []string, labels []int) {
	for _, ex := range mustParse(trainTSV) {
		if len(ex.Intents) == 1 {
			texts = append(texts, ex.Text)
			labels = append(labels, ex.Intents[0].index())
		}
	}
	return texts, labels
}

// modelData is model.gob.gz: the model without what is derived at load.
type modelData struct {
	Corpus                   string
	Features                 []uint64 // hash of each feature, by id
	IDF                      []float32
	Rare                     []uint64
	Intents, Langs           []float32
	IntentBias, LangBias     []float32
	Threshold, PartThreshold float64
}

func (m *model) encode(w io.Writer) error {
	d := modelData{
		Corpus: m.corpus, Features: make([]uint64, m.vocab.size()), IDF: make([]float32, m.vocab.size()),
		Intents: m.intents.w, Langs: m.langs.w, IntentBias: m.intents.b, LangBias: m.langs.b,
		Threshold: m.threshold, PartThreshold: m.partThreshold,
	}
	for h, id := range m.vocab.ids {
		d.Features[id] = h
	}
	for id, v := range m.vocab.idf {
		d.IDF[id] = float32(v)
	}
	for h := range m.vocab.rare {
		d.Rare = append(d.Rare, h)
	}
	slices.Sort(d.Rare)
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if err := gob.NewEncoder(zw).Encode(&d); err != nil {
		return fmt.Errorf("encode model: %w", err)
	}
	return zw.Close()
}

func decodeModel(r io.Reader) (*model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	var d modelData
	if err := gob.NewDecoder(zr).Decode(&d); err != nil {
		return nil, fmt.Errorf("decode model: %w", err)
	}
	n := len(d.Features)
	if len(d.IDF) != n || len(d.Intents) != n*len(Intents) || len(d.Langs) != n*len(langs) ||
		len(d.IntentBias) != len(Intents) || len(d.LangBias) != len(langs) {
		return nil, fmt.Errorf("decode model: inconsistent sizes")
	}
	v := &vocabulary{ids: make(map[uint64]int32, n), idf: make([]float64, n), rare: make(map[uint64]bool, len(d.Rare))}
	for id, h := range d.Features {
		v.ids[h] = int32(id)
		v.idf[id] = float64(d.IDF[id])
	}
	for _, h := range d.Rare {
		v.rare[h] = true
	}
	m := &model{
		vocab:     v,
		intents:   &softmax{classes: len(Intents), features: n, w: d.Intents, b: d.IntentBias},
		langs:     &softmax{classes: len(langs), features: n, w: d.Langs, b: d.LangBias},
		threshold: d.Threshold, partThreshold: d.PartThreshold, corpus: d.Corpus,
	}
	m.neighbours = sync.OnceValue(m.buildNeighbours)
	texts, labels := trainingQuestions()
	m.words = newWordIndex(v, texts, labels)
	return m, nil
}
