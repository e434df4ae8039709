// Package fold strips accents and case, the one way the bot compares text
// typed by people: questions and command names (match), and the labels of
// site posts written by hand, by a CMS or on a French keyboard (conference).
package fold

import (
	"strings"
	"unicode"
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

// base returns the base of a lower-case letter: either a single byte, or a
// string when the base is several letters, or neither when r has no Latin base.
func base(r rune) (byte, string) {
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

// String lower-cases s, strips accents (é→e, œ→oe, ç→c), and maps
// typographic apostrophes to ' and no-break spaces to spaces; everything
// else is kept, letters of other scripts lower-cased only.
func String(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a combining accent of decomposed input ("e\u0301")
		case r == '’', r == '‘', r == 'ʼ', r == '´', r == '`':
			r = '\''
		case r == '\u00a0', r == '\u202f', r == '\u2007':
			r = ' '
		}
		WriteRune(&b, unicode.ToLower(r))
	}
	return b.String()
}

// WriteRune writes the base of a lower-case letter to b (é as e, œ as oe),
// and any other rune as it is.
func WriteRune(b *strings.Builder, r rune) {
	if c, multi := base(r); c != 0 {
		b.WriteByte(c)
	} else if multi != "" {
		b.WriteString(multi)
	} else {
		b.WriteRune(r)
	}
}
