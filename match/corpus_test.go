package match

import (
	"os"
	"testing"
)

// TestNoQuestionTwice keeps each question in one place: a question of the
// measuring splits (dev, test, the fresh check) that the model also
// learns from, or a dev question that a measuring split also holds, would
// inflate what they measure; a training question twice weighs twice. Case,
// accents and punctuation do not make a question another.
func TestNoQuestionTwice(t *testing.T) {
	seen := map[string]string{} // normalised question → where it is first
	for _, split := range []string{"test", "fresh", "dev", "train"} {
		data, err := os.ReadFile("corpus/" + split + ".tsv")
		if err != nil {
			t.Fatal(err)
		}
		examples, err := ParseCorpus(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range examples {
			key := Normalize(ex.Text)
			if first, ok := seen[key]; ok {
				// The held-out splits were written apart and are never
				// edited: their overlaps with each other stay.
				if split == "test" || split == "fresh" {
					continue
				}
				t.Errorf("%s: %q is already in %s", split, ex.Text, first)
				continue
			}
			seen[key] = split
		}
	}
}
