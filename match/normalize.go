package match

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The fold tables map a letter to its base letter, one byte per code point,
// '-' meaning "no single-letter base" (kept as is, or spelled out in
// foldMulti). They were generated once from Unicode canonical decompositions
// rather than computed with golang.org/x/text at run time: a lookup is much
// cheaper than an NFD transform, and every question is normalised.
const (
	foldLatinLo = 0x00C0 // Latin-1 Supplement letters through Latin Extended-B
	foldLatin   = "" +
		"aaaaaa-ceeeeiiiidnooooo-ouuuuy--aaaaaa-ceeeeiiiidnooooo-ouuuuy-y" +
		"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii--jjkkklllllll" +
		"lllnnnnnnnnnoooooo--rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs" +
		"b----------------------i--------oo-------------uu----zz---------" +
		"-------------aaiioouuuuuuuuuu-aaaa--ggggkkoooo--j---gg--nnaa----" +
		"aaaaeeeeiiiioooorrrruuuusstt--hh------aaeeooooooooyy------------" +
		"---b------------"
	foldExtLo = 0x1E00 // Latin Extended Additional (Vietnamese, Welsh…)
	foldExt   = "" +
		"aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmm" +
		"mmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvv" +
		"wwwwwwwwwwxxxxyyzzzzzzhtwy------aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeee" +
		"eeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy------"
)

// foldMulti covers the letters whose base is more than one letter; French
// needs œ and æ ("cœur", "ex æquo"), the others come along for free.
func foldMulti(r rune) string {
	switch r {
	case 'œ', 'Œ':
		return "oe"
	case 'æ', 'Æ':
		return "ae"
	case 'ß', 'ẞ':
		return "ss"
	case 'þ', 'Þ':
		return "th"
	case 'ĳ', 'Ĳ':
		return "ij"
	}
	return ""
}

// fold returns the base of a lower-case letter: either a single byte, or a
// string when the base is several letters, or neither when r has no Latin base.
func fold(r rune) (byte, string) {
	if r >= foldLatinLo && r < foldLatinLo+rune(len(foldLatin)) {
		if b := foldLatin[r-foldLatinLo]; b != '-' {
			return b, ""
		}
	} else if r >= foldExtLo && r < foldExtLo+rune(len(foldExt)) {
		if b := foldExt[r-foldExtLo]; b != '-' {
			return b, ""
		}
	}
	return 0, foldMulti(r)
}

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
		if c, multi := fold(r); c != 0 {
			b.WriteByte(c)
		} else if multi != "" {
			b.WriteString(multi)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
