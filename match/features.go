package match

import (
	"math"
	"slices"
	"strings"
)

// Features. A question becomes a sparse TF-IDF vector over three kinds of
// feature, each catching what the others miss:
//   - words, after Normalize and a crude plural fold: the meaning;
//   - pairs of adjacent words: "quelle heure", "hear back", "c ou";
//   - character 3- to 5-grams inside each word, with its boundaries:
//     typos ("adresee", "horraires") and word families ("inscrire",
//     "inscription") share most of their n-grams.
//
// Features are identified by a 64-bit FNV-1a hash of their text, so that
// extracting them allocates nothing; at 1,500 questions a collision is as
// good as impossible.

const (
	minGram = 3
	maxGram = 5
	// maxInput and maxTokens bound the work on a huge message, which is
	// never a question the bot can answer anyway.
	maxInput  = 4096
	maxTokens = 128
)

// Feature kinds, mixed into the hash so that the word "ou" and the
// n-gram "ou" differ.
const (
	kindWord byte = 'w'
	kindPair byte = 'p'
	kindGram byte = 'g'
)

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func fnvByte(h uint64, c byte) uint64 {
	h ^= uint64(c)
	return h * fnvPrime
}

// featureHashes appends the hashes of text's features to dst, one per
// occurrence (term frequency is counted later).
// The hashes of the words themselves go to words as well, when not nil.
func featureHashes(text string, dst []uint64, words *[]uint64) []uint64 {
	if len(text) > maxInput {
		text = truncateUTF8(text, maxInput)
	}
	norm := Normalize(text)
	prev := ""
	for n := 0; norm != "" && n < maxTokens; n++ {
		var tok string
		tok, norm, _ = strings.Cut(norm, " ")
		w := stem(tok)
		wh := fnvAdd(fnvByte(fnvOffset, kindWord), w)
		dst = append(dst, wh)
		if words != nil {
			*words = append(*words, wh)
		}
		if prev != "" {
			h := fnvAdd(fnvByte(fnvOffset, kindPair), prev)
			dst = append(dst, fnvAdd(fnvByte(h, ' '), w))
		}
		prev = w
		dst = appendGrams(tok, dst)
	}
	return dst
}

// appendGrams appends the character n-grams of one word framed by '<' and
// '>'. A word shorter than the smallest n-gram gives its framed self.
func appendGrams(tok string, dst []uint64) []uint64 {
	var buf [64]byte
	if len(tok)+2 > len(buf) {
		tok = tok[:len(buf)-2]
	}
	framed := buf[:0]
	framed = append(framed, '<')
	framed = append(framed, tok...)
	framed = append(framed, '>')
	for n := minGram; n <= maxGram; n++ {
		if n > len(framed) {
			if n == minGram {
				dst = append(dst, gramHash(framed))
			}
			break
		}
		for i := 0; i+n <= len(framed); i++ {
			dst = append(dst, gramHash(framed[i:i+n]))
		}
	}
	return dst
}

func gramHash(b []byte) uint64 {
	h := fnvByte(fnvOffset, kindGram)
	for _, c := range b {
		h = fnvByte(h, c)
	}
	return h
}

// stem folds plurals so that "horaires" finds "horaire" and "talks"
// "talk". It is crude on purpose: applied to training and questions alike,
// it only has to be consistent, and short words (bus, prix) are left alone.
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

// entry is one non-zero feature of a vector.
type entry struct {
	id  int32
	val float64
}

// vector is a sparse, L2-normalised TF-IDF vector, sorted by feature id.
type vector []entry

func (v vector) dot(w vector) float64 {
	s := 0.0
	for i, j := 0, 0; i < len(v) && j < len(w); {
		switch {
		case v[i].id == w[j].id:
			s += v[i].val * w[j].val
			i++
			j++
		case v[i].id < w[j].id:
			i++
		default:
			j++
		}
	}
	return s
}

// vocabulary maps feature hashes to ids and holds their inverse document
// frequencies. It is fitted once on the training questions.
type vocabulary struct {
	ids map[uint64]int32
	idf []float64
	// rare holds the words of a single training question. A word the
	// model has never seen, or seen once, says "this is about something
	// the corpus does not cover": each such word counts as the feature
	// rareFeature, which the model learns mostly from out-of-scope
	// questions, whose vocabulary is a long tail.
	rare map[uint64]bool
}

var rareFeature = fnvAdd(fnvOffset, "\x00rare")

func fitVocabulary(texts []string) *vocabulary {
	v := &vocabulary{ids: make(map[uint64]int32), rare: make(map[uint64]bool)}
	var df []int
	seen := make(map[int32]bool)
	var hs, ws []uint64
	wordDF := make(map[uint64]int)
	docWords := make([][]uint64, len(texts))
	for i, t := range texts {
		clear(seen)
		ws = ws[:0]
		hs = featureHashes(t, hs[:0], &ws)
		docWords[i] = slices.Compact(slices.Sorted(slices.Values(ws)))
		for _, w := range docWords[i] {
			wordDF[w]++
		}
		for _, h := range hs {
			id, ok := v.ids[h]
			if !ok {
				id = int32(len(df))
				v.ids[h] = id
				df = append(df, 0)
			}
			if !seen[id] {
				seen[id] = true
				df[id]++
			}
		}
	}
	for w, d := range wordDF {
		if d <= 1 {
			v.rare[w] = true
		}
	}
	withRare := 0
	for _, ws := range docWords {
		if slices.ContainsFunc(ws, func(w uint64) bool { return v.rare[w] }) {
			withRare++
		}
	}
	v.ids[rareFeature] = int32(len(df))
	df = append(df, withRare)
	n := float64(len(texts))
	v.idf = make([]float64, len(df))
	for id, d := range df {
		// Single precision, as shipped in model.gob.gz.
		v.idf[id] = float64(float32(math.Log((1+n)/(1+float64(d))) + 1))
	}
	return v
}

// size is the number of features.
func (v *vocabulary) size() int { return len(v.idf) }

// vectorize turns text into a vector. Features the vocabulary has never
// seen are dropped, unless extra gives them an id and a weight (the FAQ
// index does, for the organisers' own words).
func (v *vocabulary) vectorize(text string, s *scratch, extra func(h uint64) (int32, float64, bool)) vector {
	s.words = s.words[:0]
	s.hashes = featureHashes(text, s.hashes[:0], &s.words)
	for _, w := range s.words {
		if _, known := v.ids[w]; !known || v.rare[w] {
			s.hashes = append(s.hashes, rareFeature)
		}
	}
	slices.Sort(s.hashes)
	out := s.vec[:0]
	for i := 0; i < len(s.hashes); {
		h := s.hashes[i]
		j := i + 1
		for j < len(s.hashes) && s.hashes[j] == h {
			j++
		}
		tf := 1 + math.Log(float64(j-i))
		i = j
		if id, ok := v.ids[h]; ok {
			out = append(out, entry{id, tf * v.idf[id]})
		} else if extra != nil {
			if id, idf, ok := extra(h); ok {
				out = append(out, entry{id, tf * idf})
			}
		}
	}
	slices.SortFunc(out, func(a, b entry) int { return int(a.id - b.id) })
	norm := 0.0
	for _, e := range out {
		norm += e.val * e.val
	}
	if norm > 0 {
		norm = 1 / math.Sqrt(norm)
		for i := range out {
			out[i].val *= norm
		}
	}
	s.vec = out
	return out
}

// scratch is one question's working memory, pooled because matching runs
// on every message.
type scratch struct {
	hashes []uint64
	words  []uint64
	vec    vector
	probs  []float64
	// The nearest questions' vote (knn.go).
	knnWords []uint64
	knnVals  []float64
	sims     []float64
	touched  []int32
}
