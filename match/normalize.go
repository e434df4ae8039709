package match

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bluehats/bluehats-bot/fold"
)

// Normalize lower-cases s, removes accents (é→e, œ→oe, ç→c), turns
// punctuation and symbols into spaces (so "s'inscrire" becomes "s inscrire"
// and "e-mail" "e mail"), and collapses runs of spaces. Letters of other
// scripts and digits are kept, lower-cased.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending: written only before the next letter
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				space = b.Len() > 0
				continue
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError, r == 'ʼ', r == 'ʻ':
			// ʼ and ʻ are letters to Unicode but apostrophes to French
			// typists on phones; invalid bytes separate words too.
			space = b.Len() > 0
			continue
		case unicode.Is(unicode.Mn, r):
			// Combining accents, as in decomposed input ("e\u0301"): the
			// base letter has already been written.
			continue
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			space = b.Len() > 0
			continue
		}
		r = unicode.ToLower(r)
		if space {
			b.WriteByte(' ')
			space = false
		}
		fold.WriteRune(&b, r)
	}
	return b.String()
}
