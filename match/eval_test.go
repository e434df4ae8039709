package match

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bluehats/bluehats-bot/i18n"
)

// The evaluation. The model is trained on train, its threshold calibrated
// on dev, and measured here on test, which nothing is tuned on.
//
//	go test ./match -run TestHeldOut -report /tmp/report.md
//
// writes the figures BENCHMARKS.md quotes; with -split dev, the report (and
// the log, with -v) is of dev instead, where settings are chosen; with
// -split fresh, of the fresh check (corpus/fresh.tsv).

var (
	reportFile = flag.String("report", "", "write the evaluation report (markdown) to this file")
	splitName  = flag.String("split", "test", "split to measure with -report: test, dev or fresh")
)

// Floors the test split must meet. They are what the matcher reaches
// today (93.8 % and 6 of 96), kept as floors so that no change makes it
// worse; the target is 97 % and none (see BENCHMARKS.md). They were never
// used to choose anything: the model and its thresholds come from train
// and dev alone.
const (
	minAccuracy = 0.93
	maxOOSFacts = 6
)

func TestHeldOut(t *testing.T) {
	data, err := os.ReadFile("corpus/test.tsv")
	if err != nil {
		t.Fatal(err)
	}
	test, err := ParseCorpus(data)
	if err != nil {
		t.Fatal(err)
	}
	ev := evaluate(matchBuiltin, test)
	if acc := ev.accuracy(); acc < minAccuracy {
		t.Errorf("test-split accuracy %.1f %%, under the %.0f %% floor", 100*acc, 100*minAccuracy)
	}
	facts := 0
	for _, e := range ev.errors {
		if e.factForOOS() {
			facts++
		}
	}
	if facts > maxOOSFacts {
		t.Errorf("%d out-of-scope questions of the test split answered with a fact, over the floor of %d", facts, maxOOSFacts)
	}
	t.Logf("test split: accuracy %.1f %% (%d/%d), %d out-of-scope questions given a fact", 100*ev.accuracy(), ev.right, ev.total, facts)
	fresh, err := os.ReadFile("corpus/fresh.tsv")
	if err != nil {
		t.Fatal(err)
	}
	fev := evaluate(matchBuiltin, mustParse(fresh))
	t.Logf("fresh check: accuracy %.1f %% (%d/%d)", 100*fev.accuracy(), fev.right, fev.total)
	switch {
	case *reportFile == "":
	case *splitName == "fresh":
		writeReport(t, fev, "fresh")
	case *splitName == "dev":
		dev := evaluate(matchBuiltin, mustParse(devTSV))
		for _, e := range dev.errors {
			t.Logf("dev miss: %-22v got %-22v %q", e.ex.Intents, e.got, e.ex.Text)
		}
		writeReport(t, dev, "dev")
	default:
		writeReport(t, ev, "test")
	}
}

// matchBuiltin is what the bot answers, without FAQ entries.
func matchBuiltin(q string) ([]Intent, i18n.Lang) {
	r := New(nil).Match(q)
	return intents(r), r.Lang
}

type miss struct {
	ex  Example
	got []Intent
}

// factForOOS reports whether an out-of-scope question got an in-scope fact.
func (m miss) factForOOS() bool {
	if len(m.ex.Intents) != 1 || m.ex.Intents[0].InScope() {
		return false
	}
	return slices.ContainsFunc(m.got, Intent.InScope)
}

type evaluation struct {
	total, right int
	errors       []miss
	// confusion[want][got] for single questions; multi counts questions
	// asking several things, multiRight those answered exactly.
	confusion         map[Intent]map[Intent]int
	multi, multiRight int
	langRight         int
}

func (e *evaluation) accuracy() float64 { return float64(e.right) / float64(e.total) }

func evaluate(match func(string) ([]Intent, i18n.Lang), examples []Example) *evaluation {
	ev := &evaluation{confusion: map[Intent]map[Intent]int{}}
	for _, ex := range examples {
		got, lang := match(ex.Text)
		ev.total++
		if lang == ex.Lang {
			ev.langRight++
		}
		ok := sameSet(got, ex.Intents)
		if ok {
			ev.right++
		} else {
			ev.errors = append(ev.errors, miss{ex, got})
		}
		if len(ex.Intents) > 1 {
			ev.multi++
			if ok {
				ev.multiRight++
			}
			continue
		}
		g := Other
		if len(got) == 1 {
			g = got[0]
		} else if len(got) > 1 {
			g = "several"
		}
		w := ex.Intents[0]
		if ev.confusion[w] == nil {
			ev.confusion[w] = map[Intent]int{}
		}
		ev.confusion[w][g]++
	}
	return ev
}

func sameSet(a, b []Intent) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// oos returns precision and recall of "out of scope" (Unknown or Other):
// of the questions given no fact, how many should have had none, and of
// those that should have had none, how many had none.
func (e *evaluation) oos() (precision, recall float64, tp, predicted, actual int) {
	for want, row := range e.confusion {
		for got, n := range row {
			gotOOS := !got.InScope() && got != "several"
			if gotOOS {
				predicted += n
			}
			if !want.InScope() {
				actual += n
				if gotOOS {
					tp += n
				}
			}
		}
	}
	return float64(tp) / float64(max(predicted, 1)), float64(tp) / float64(max(actual, 1)), tp, predicted, actual
}

func writeReport(t *testing.T, ev *evaluation, split string) {
	var b strings.Builder
	fmt.Fprintf(&b, "Split: %s, %d questions (%d asking several things).\n\n", split, ev.total, ev.multi)
	fmt.Fprintf(&b, "- accuracy: **%.1f %%** (%d/%d)\n", 100*ev.accuracy(), ev.right, ev.total)
	p, r, tp, pred, act := ev.oos()
	fmt.Fprintf(&b, "- out of scope: precision %.1f %% (%d/%d), recall %.1f %% (%d/%d)\n", 100*p, tp, pred, 100*r, tp, act)
	facts := 0
	for _, e := range ev.errors {
		if e.factForOOS() {
			facts++
		}
	}
	fmt.Fprintf(&b, "- out-of-scope questions answered with a fact: %d\n", facts)
	fmt.Fprintf(&b, "- several questions in one message answered exactly: %d/%d\n", ev.multiRight, ev.multi)
	fmt.Fprintf(&b, "- language: %.1f %% (%d/%d)\n\n", 100*float64(ev.langRight)/float64(ev.total), ev.langRight, ev.total)
	b.WriteString("| intent | questions | right | accuracy |\n|---|---|---|---|\n")
	for _, in := range Intents {
		row := ev.confusion[in]
		n := 0
		for _, c := range row {
			n += c
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %.1f %% |\n", in, n, row[in], 100*float64(row[in])/float64(max(n, 1)))
	}
	cols := append(slices.Clone(Intents), "several")
	b.WriteString("\nConfusion (rows: asked, columns: answered):\n\n| | " + strings.Join(abbrev(cols), " | ") + " |\n|---" + strings.Repeat("|---", len(cols)) + "|\n")
	for _, in := range Intents {
		fmt.Fprintf(&b, "| %s |", in)
		for _, c := range cols {
			if n := ev.confusion[in][c]; n > 0 {
				fmt.Fprintf(&b, " %d |", n)
			} else {
				b.WriteString(" · |")
			}
		}
		b.WriteString("\n")
	}
	if err := os.WriteFile(*reportFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func abbrev(ins []Intent) []string {
	out := make([]string, len(ins))
	for i, in := range ins {
		out[i] = string(in)[:min(4, len(in))]
	}
	return out
}
