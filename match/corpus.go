package match

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strings"

	"github.com/bluehats/bluehats-bot/i18n"
)

// The corpus: questions as members write them, each with what it asks
// and its language. It is split once and for all into three files (see
// corpus/README.md): the model learns from train, its rejection threshold
// is calibrated on dev, and test only measures. Only train and dev are
// built into the binary.
var (
	//go:embed corpus/train.tsv
	trainTSV []byte
	//go:embed corpus/dev.tsv
	devTSV []byte
)

// Example is one labelled question of the corpus.
type Example struct {
	Intents []Intent // what it asks, in order; several for a message that asks several things
	Lang    i18n.Lang
	Text    string
	Line    int
}

// ParseCorpus reads a corpus file: one question a line, as
// "intent[,intent…]<TAB>lang<TAB>question"; lines starting with # are
// comments.
func ParseCorpus(data []byte) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 || f[2] == "" {
			return nil, fmt.Errorf("corpus line %d: want intent, language and question separated by tabs", n)
		}
		ex := Example{Lang: i18n.Lang(f[1]), Text: f[2], Line: n}
		if ex.Lang != i18n.FR && ex.Lang != i18n.EN {
			return nil, fmt.Errorf("corpus line %d: language %q is not fr or en", n, f[1])
		}
		for _, s := range strings.Split(f[0], ",") {
			in := Intent(s)
			if !in.valid() {
				return nil, fmt.Errorf("corpus line %d: unknown intent %q", n, s)
			}
			ex.Intents = append(ex.Intents, in)
		}
		out = append(out, ex)
	}
	return out, sc.Err()
}

func mustParse(data []byte) []Example {
	ex, err := ParseCorpus(data)
	if err != nil {
		panic("match: embedded corpus: " + err.Error())
	}
	return ex
}
