package fold

import "testing"

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Comment y aller ?", "comment y aller ?"},
		{"Accès", "acces"},
		{"Cœur ÉTÉ ça", "coeur ete ca"},
		{"e\u0301te\u0301", "ete"},         // decomposed accents
		{"l’accès", "l'acces"},             // typographic apostrophe
		{"9h\u00a0–\u202f18h", "9h – 18h"}, // no-break spaces
		{"Straße Ĳssel", "strasse ijssel"}, // letters with several base letters
		{"Ελληνικά 中文", "ελληνικά 中文"},     // other scripts are only lower-cased
		{"ẞ", "ss"},
	}
	for _, tc := range tests {
		if got := String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
