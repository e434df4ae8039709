package match

import (
	"bytes"
	"testing"
)

// BenchmarkStart is the start-up cost: loading the shipped model, which
// the first New does.
func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		if _, err := decodeModel(bytes.NewReader(modelFile)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFAQIndex is the cost, once per process, of indexing the
// training questions for FAQ entries, in the background from the start.
func BenchmarkFAQIndex(b *testing.B) {
	m := builtinModel()
	for b.Loop() {
		m.buildNeighbours()
	}
}

// BenchmarkTrain is what "go generate" does: training and calibrating.
func BenchmarkTrain(b *testing.B) {
	train, dev := mustParse(trainTSV), mustParse(devTSV)
	for b.Loop() {
		trainModel(train, dev)
	}
}

// BenchmarkMatch is one free question, from text to answer.
func BenchmarkMatch(b *testing.B) {
	m := New([][]string{{"Y a-t-il un vestiaire ?", "où laisser mon manteau ?"}})
	qs := []string{
		"Bonjour, je suis agent au ministère et je voudrais savoir où a lieu le salon",
		"c ou", "cb ça coûte ?", "when will I hear back about my talk?", "où et à quelle heure ?",
		"y a-t-il un vestiaire pour les manteaux ?", "quel temps fera-t-il demain ?",
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Match(qs[i%len(qs)])
		i++
	}
}
