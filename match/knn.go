package match

import (
	"math"
	"slices"
	"strings"
)

// The vote of the nearest training questions. The regression weighs each
// feature on its own; the questions nearest to a new one, compared on their
// rarer words, add what only a whole phrasing says. Blended with the
// regression's probabilities, they added 2 points of accuracy on the dev
// split (87.1 to 89.1 %) and 1 on questions by writers who never saw the
// corpus (corpus/fresh.tsv: 96.3 to 97.3 %), for 2–3 µs a question and
// 50 ms at start. The settings were chosen on dev.
const (
	// knnNeighbours is how many nearest training questions vote.
	knnNeighbours = 10
	// knnShare is the vote's share in the blended probabilities.
	knnShare = 0.4
	// knnMaxDF leaves out of the index the words of more than this many
	// training questions ("le", "the", "salon"): they say little about a
	// phrasing, and their long lists would cost most of the time.
	knnMaxDF = 150
)

// wordIndex maps each word of the training questions (but the commonest)
// to the questions that use it, with its TF-IDF weight there.
type wordIndex struct {
	postings map[uint64][]posting
	labels   []int
}

func newWordIndex(v *vocabulary, texts []string, labels []int) *wordIndex {
	idx := &wordIndex{postings: map[uint64][]posting{}, labels: labels}
	var ws []uint64
	var vals []float64
	for d, t := range texts {
		ws, vals = wordVector(v, t, ws[:0], vals[:0])
		for i, w := range ws {
			idx.postings[w] = append(idx.postings[w], posting{int32(d), vals[i]})
		}
	}
	for w, ps := range idx.postings {
		if len(ps) > knnMaxDF {
			delete(idx.postings, w)
		}
	}
	return idx
}

// wordVector is text's words, each once, weighted by their IDF and
// normalised; it reads only the words, which is all the index needs.
func wordVector(v *vocabulary, text string, ws []uint64, vals []float64) ([]uint64, []float64) {
	if len(text) > maxInput {
		text = truncateUTF8(text, maxInput)
	}
	var hs []uint64
	norm := Normalize(text)
	for n := 0; norm != "" && n < maxTokens; n++ {
		var tok string
		tok, norm, _ = strings.Cut(norm, " ")
		hs = append(hs, fnvAdd(fnvByte(fnvOffset, kindWord), stem(tok)))
	}
	return weighWords(v, hs, ws, vals)
}

// weighWords keeps each known word of hs once, weighted by its IDF, and
// normalises the weights. Words the vocabulary does not know carry none.
func weighWords(v *vocabulary, hs, ws []uint64, vals []float64) ([]uint64, []float64) {
	for _, h := range hs {
		if id, ok := v.ids[h]; ok && !slices.Contains(ws, h) {
			ws = append(ws, h)
			vals = append(vals, v.idf[id])
		}
	}
	sum := 0.0
	for _, x := range vals {
		sum += x * x
	}
	for i := range vals {
		vals[i] /= math.Sqrt(sum)
	}
	return ws, vals
}

// vote blends into p (the regression's probabilities) the vote of the
// training questions nearest to the text last vectorised with s, whose
// words vectorize left in s.words, each weighing its similarity.
func (idx *wordIndex) vote(v *vocabulary, s *scratch, p []float64) {
	s.knnWords, s.knnVals = weighWords(v, s.words, s.knnWords[:0], s.knnVals[:0])
	if len(s.sims) < len(idx.labels) {
		s.sims = make([]float64, len(idx.labels))
	}
	s.touched = s.touched[:0]
	for i, w := range s.knnWords {
		for _, q := range idx.postings[w] {
			if s.sims[q.doc] == 0 {
				s.touched = append(s.touched, q.doc)
			}
			s.sims[q.doc] += s.knnVals[i] * q.val
		}
	}
	var top [knnNeighbours]int32
	n := 0
	for _, d := range s.touched {
		if n < knnNeighbours {
			top[n] = d
			n++
			continue
		}
		low := 0
		for j := 1; j < n; j++ {
			if s.sims[top[j]] < s.sims[top[low]] {
				low = j
			}
		}
		if s.sims[d] > s.sims[top[low]] {
			top[low] = d
		}
	}
	var votes [16]float64
	total := 0.0
	for _, d := range top[:n] {
		votes[idx.labels[d]] += s.sims[d]
		total += s.sims[d]
	}
	for _, d := range s.touched {
		s.sims[d] = 0
	}
	if total == 0 {
		return // no rare word in common with any training question
	}
	for k := range p {
		p[k] = (1-knnShare)*p[k] + knnShare*votes[k]/total
	}
}
