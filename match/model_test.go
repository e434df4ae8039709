package match

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "train the model again and write model.gob.gz")

// TestModelUpToDate checks that model.gob.gz was trained on the corpus as
// it is, with the features and training as they are: the same corpus hash,
// and the same answer to every dev question as a model trained now.
// "go generate ./match" trains it again.
func TestModelUpToDate(t *testing.T) {
	fresh := trainBuiltin()
	if *update {
		var buf bytes.Buffer
		if err := fresh.encode(&buf); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("model.gob.gz", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote model.gob.gz: %d bytes, %d features, threshold %.3f, part threshold %.3f",
			buf.Len(), fresh.vocab.size(), fresh.threshold, fresh.partThreshold)
		return
	}
	shipped := builtinModel()
	if shipped.corpus != fresh.corpus {
		t.Fatal("model.gob.gz was trained on another corpus or version: run go generate ./match")
	}
	if shipped.threshold != fresh.threshold || shipped.partThreshold != fresh.partThreshold {
		t.Errorf("thresholds %v/%v shipped, %v/%v trained now: run go generate ./match",
			shipped.threshold, shipped.partThreshold, fresh.threshold, fresh.partThreshold)
	}
	var s1, s2 scratch
	for _, ex := range mustParse(devTSV) {
		a, _ := shipped.classify(ex.Text, &s1)
		b, _ := fresh.classify(ex.Text, &s2)
		if a != b {
			t.Fatalf("%q: shipped model says %v, trained now %v: run go generate ./match", ex.Text, a, b)
		}
	}
}
