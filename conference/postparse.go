package conference

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bluehats/bluehats-bot/fold"
)

// collapse turns every run of white space into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// postDate is a front matter date as written.
type postDate struct {
	t time.Time // zero when the field is empty
	// floating dates carry no offset: t's wall clock (in UTC) is meant in
	// the event's zone, as Jekyll does with the site's timezone.
	floating bool
	dayOnly  bool // only a calendar day was written
}

var (
	offsetLayouts   = []string{"2006-01-02 15:04:05 -07:00", "2006-01-02 15:04:05 -0700", time.RFC3339, "2006-01-02 15:04 -07:00", "2006-01-02 15:04 -0700"}
	floatingLayouts = []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04"}
)

func parsePostDate(s string) (postDate, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return postDate{}, nil
	}
	for _, l := range offsetLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return postDate{t: t}, nil
		}
	}
	for _, l := range floatingLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return postDate{t: t, floating: true}, nil
		}
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return postDate{t: t, floating: true, dayOnly: true}, nil
	}
	return postDate{}, fmt.Errorf("cannot parse %q as a date (want \"2006-01-02 15:04:05 -07:00\", RFC 3339 or \"2006-01-02\")", s)
}

// in places d in loc; a day-only date becomes the start of that day, or its
// last second when endOfDay.
func (d postDate) in(loc *time.Location, endOfDay bool) time.Time {
	switch {
	case d.t.IsZero():
		return time.Time{}
	case d.dayOnly && endOfDay:
		y, m, day := d.t.Date()
		return time.Date(y, m, day, 23, 59, 59, 0, loc)
	case d.floating:
		y, m, day := d.t.Date()
		h, mi, s := d.t.Clock()
		return time.Date(y, m, day, h, mi, s, d.t.Nanosecond(), loc)
	}
	return d.t.In(loc)
}

// hoursRe reads "9h-18h", "9h30 - 18h", "09:00-18:00", "de 9h à 18h" once
// folded. It is anchored because hours with anything around them ("9h-18h,
// 17h le jeudi") are better reported than half understood.
var hoursRe = regexp.MustCompile(`^(?:de )?(\d{1,2})(?: ?(?:h ?(\d{2})?|: ?(\d{2})))? ?(?:-|–|—|a|au|jusqu'a) ?(\d{1,2}) ?(?:h ?(\d{2})?|: ?(\d{2}))$`)

// parseHours reads the opening and closing times of a day.
func parseHours(s string) (open, closing Clock, ok bool) {
	s = strings.TrimRight(collapse(fold.String(s)), ".")
	m := hoursRe.FindStringSubmatch(s)
	if m == nil {
		return Clock{}, Clock{}, false
	}
	oh, om := atoi(m[1]), atoi(m[2]+m[3])
	ch, cm := atoi(m[4]), atoi(m[5]+m[6])
	// 24:00 is how a venue says it closes at midnight; it cannot open then.
	if oh > 23 || om > 59 || ch > 24 || cm > 59 || (ch == 24 && cm != 0) {
		return Clock{}, Clock{}, false
	}
	open, closing = ClockAt(oh, om), ClockAt(ch, cm)
	if closing.Minutes <= open.Minutes {
		return Clock{}, Clock{}, false
	}
	return open, closing, true
}

// atoi reads digits the regexps already checked; "" is 0.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// accessAbbrevs are words that end with a period in addresses without
// ending a sentence ("St. Lazare", "Av. Foch").
var accessAbbrevs = map[string]bool{
	"st": true, "ste": true, "bd": true, "av": true, "pl": true, "fg": true,
	"sq": true, "r": true, "m": true, "mme": true, "dr": true, "pr": true,
	"cf": true, "env": true,
}

var htmlBreakRe = regexp.MustCompile(`(?i)<br\s*/?>`)

// splitAccess cuts directions into one line per way of getting there. Editors
// write them as lines, list items or sentences in one paragraph ("Métro ...
// sortie 3. RER ..."), so a line break and a period followed by a capital
// both end a way.
func splitAccess(s string) []string {
	s = htmlBreakRe.ReplaceAllString(s, "\n")
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		for _, bullet := range []string{"- ", "* ", "• "} {
			line = strings.TrimPrefix(line, bullet)
		}
		for _, part := range splitSentences(line) {
			part = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(part), "."))
			if part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// splitSentences cuts s after each period that is followed by white space
// and an upper-case letter, unless the period ends an abbreviation.
func splitSentences(s string) []string {
	var parts []string
	from := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '.' {
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j == i+1 || j >= len(s) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(s[j:]); !unicode.IsUpper(r) {
			continue
		}
		word := s[from:i]
		if k := strings.LastIndexAny(word, " \t,;("); k >= 0 {
			word = word[k+1:]
		}
		if accessAbbrevs[fold.String(word)] {
			continue
		}
		parts = append(parts, s[from:i])
		from = j
		i = j - 1
	}
	return append(parts, s[from:])
}

// parseTerms reads the "Modalités" box. ok is false when it says nothing the
// bot understands, so that the zero Registration is not mistaken for "paid,
// no badge needed".
func parseTerms(s string) (free, required, ok bool) {
	t := collapse(fold.String(s))
	has := func(subs ...string) bool {
		for _, sub := range subs {
			if strings.Contains(t, sub) {
				return true
			}
		}
		return false
	}
	switch {
	case has("non gratuit", "pas gratuit", "payant"):
		ok = true
	case has("gratuit", "entree libre", "acces libre"):
		free, ok = true, true
	}
	switch {
	case has("non obligatoire", "pas obligatoire", "facultati", "sans inscription"):
		ok = true
	case has("obligatoire", "sur inscription", "inscription requise", "inscription necessaire"):
		required, ok = true, true
	}
	return free, required, ok
}

// bodyFacts is what the body says that the front matter does not.
type bodyFacts struct {
	contact                       string
	programmeStatus               string
	minMinutes, maxMinutes        int
	deadline, response, programme wallTime
}

// wallTime is a date and time of day read from prose, to be placed in the
// event's zone.
type wallTime struct {
	set                 bool
	year                int
	month               time.Month
	day, hour, min, sec int
}

func (w wallTime) in(loc *time.Location) time.Time {
	if !w.set {
		return time.Time{}
	}
	return time.Date(w.year, w.month, w.day, w.hour, w.min, w.sec, 0, loc)
}

var frenchMonths = map[string]time.Month{
	"janvier": time.January, "fevrier": time.February, "mars": time.March,
	"avril": time.April, "mai": time.May, "juin": time.June,
	"juillet": time.July, "aout": time.August, "septembre": time.September,
	"octobre": time.October, "novembre": time.November, "decembre": time.December,
}

// dateTimeRe is a French date in folded text, "[lundi ]20 novembre[ 2023][
// à 23h59]". Triggers put in front of it must not capture.
const dateTimeRe = `(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) )?` +
	`(?P<day>1er|\d{1,2}) (?P<month>janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\b` +
	`(?: (?P<year>\d{4})\b)?` +
	`(?:,? (?:a )?(?P<hour>\d{1,2}) ?(?:h(?:eures?)?|:) ?(?P<minute>\d{2})?\b)?`

// Milestone patterns. Only sentences about the call for talks are searched
// for a deadline, since "d'ici le" also introduces registration deadlines.
// "avant le" is left out on purpose: whether the day itself is included is
// anyone's guess, and a wrong deadline is worse than none.
var (
	deadlineRe  = regexp.MustCompile(`(?:\bd'ici (?:le|au)|\bjusqu'au|\bau plus tard le|\bdate limite[^0-9]{0,40}?) ` + dateTimeRe)
	responseRe  = regexp.MustCompile(`(?:\brepondr(?:a|ons|ont)|\breponses?)(?: [a-z'-]+){0,4}? (?:le|au) ` + dateTimeRe)
	programmeRe = regexp.MustCompile(`(?:\bpubli[a-z]* le programme|\bprogramme(?: [a-z'-]+){0,3}? (?:sera |seront )?(?:publie|en ligne|disponible|annonce|devoile)[a-z]*)(?: [a-z'-]+){0,3}? (?:le|au) ` + dateTimeRe)

	cfpRe           = regexp.MustCompile(`propos|interven|candidat|soum[ie]|contribution|\bcfp\b|appel a|sujet|talk|presentation`)
	rangeMinutesRe  = regexp.MustCompile(`\b(?:(?:de|entre) )?(\d{1,3}) ?(?:a|et|-|–) ?(\d{1,3}) ?min(?:utes?)?\b`)
	maxMinutesRe    = regexp.MustCompile(`\b(?:au plus|au maximum|maximum|max|jusqu'a|n'excedant pas|ne depassant pas) ?:? ?(\d{1,3}) ?min(?:utes?)?\b`)
	exactMinutesRe  = regexp.MustCompile(`\b(?:interventions?|presentations?|talks?|propositions?)(?: [a-z'-]+){0,2}? de (\d{1,3}) ?min(?:utes?)?\b`)
	markdownLinkRe  = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	sentenceEndRe   = regexp.MustCompile(`[.!?]\s+`)
	emailRe         = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	programmeHeadRe = regexp.MustCompile(`^#+\s*(.*)$`)
)

// readBody gathers what it can from the body; nothing here is an error
// because the body is prose, and prose changes from one post to the next.
// start is the event start as written: years left out of milestones are
// resolved against the organisers' calendar, not the reader's.
func readBody(body string, start postDate, warn func(string, ...any)) bodyFacts {
	var f bodyFacts
	if m := emailRe.FindString(body); m != "" {
		f.contact = strings.TrimLeft(m, ".")
	}
	f.programmeStatus = programmeStatus(body)

	var minutesDone bool
	for _, s := range proseSentences(body) {
		cfp := cfpRe.MatchString(s)
		if cfp && !minutesDone {
			minutesDone = f.readMinutes(s, warn)
		}
		if cfp && !f.deadline.set {
			f.deadline = findMilestone(deadlineRe, s, start, true, "deadline", warn)
		}
		if !f.response.set {
			f.response = findMilestone(responseRe, s, start, false, "response date", warn)
		}
		if !f.programme.set {
			f.programme = findMilestone(programmeRe, s, start, false, "programme date", warn)
		}
	}
	return f
}

// readMinutes reads talk lengths from one sentence and tells whether it found
// any, so that later sentences do not override the first.
func (f *bodyFacts) readMinutes(s string, warn func(string, ...any)) bool {
	var lo, hi int
	if m := rangeMinutesRe.FindStringSubmatch(s); m != nil {
		lo, hi = atoi(m[1]), atoi(m[2])
	} else if m := maxMinutesRe.FindStringSubmatch(s); m != nil {
		hi = atoi(m[1])
	} else if m := exactMinutesRe.FindStringSubmatch(s); m != nil {
		lo, hi = atoi(m[1]), atoi(m[1])
	} else {
		return false
	}
	if hi == 0 || lo > hi {
		warn("call for talks: talk length %d to %d minutes makes no sense, ignored", lo, hi)
		return true
	}
	f.minMinutes, f.maxMinutes = lo, hi
	return true
}

// proseSentences folds the body and cuts it into sentences, with markdown
// links and emphasis removed so that "d'ici le **20 novembre**" reads as
// plain text. Headings and paragraphs never run into each other.
func proseSentences(body string) []string {
	body = markdownLinkRe.ReplaceAllString(body, "$1")
	var blocks []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			blocks = append(blocks, strings.Join(cur, " "))
			cur = cur[:0]
		}
	}
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			flush()
		case strings.HasPrefix(line, "#"):
			flush()
			blocks = append(blocks, strings.TrimLeft(line, "#"))
		default:
			cur = append(cur, line)
		}
	}
	flush()

	var out []string
	for _, b := range blocks {
		b = strings.NewReplacer("*", "", "_", "", "`", "").Replace(fold.String(b))
		for _, s := range sentenceEndRe.Split(collapse(b), -1) {
			if s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// findMilestone reads the first date re finds in s. A deadline given to the
// minute lasts to the end of that minute, and one given as a day to the end
// of the day, because that is what authors rely on.
func findMilestone(re *regexp.Regexp, s string, start postDate, deadline bool, what string, warn func(string, ...any)) wallTime {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return wallTime{}
	}
	get := func(name string) string { return m[re.SubexpIndex(name)] }
	w := wallTime{month: frenchMonths[get("month")]}
	if d := get("day"); d == "1er" {
		w.day = 1
	} else {
		w.day = atoi(d)
	}
	text := strings.TrimSpace(m[0])

	switch y := get("year"); {
	case y != "":
		w.year = atoi(y)
	case start.t.IsZero():
		warn("%s %q: no event start date to tell the year from, ignored", what, text)
		return wallTime{}
	default:
		// The milestone is the latest such day not after the event
		// starts: a call for talks closes before the event, possibly in
		// the previous year.
		sy, sm, sd := start.t.Date()
		w.year = sy
		if w.month > sm || (w.month == sm && w.day > sd) {
			w.year--
		}
	}
	if w.day < 1 || time.Date(w.year, w.month, w.day, 0, 0, 0, 0, time.UTC).Day() != w.day {
		warn("%s %q: no such day in %d, ignored", what, text, w.year)
		return wallTime{}
	}

	h, mi := get("hour"), get("minute")
	switch {
	case h == "" && deadline:
		w.hour, w.min, w.sec = 23, 59, 59
	case h == "":
	case atoi(h) == 24 && atoi(mi) == 0 && deadline:
		w.hour, w.min, w.sec = 23, 59, 59
	case atoi(h) > 23 || atoi(mi) > 59:
		warn("%s %q: no such time of day, ignored", what, text)
		return wallTime{}
	default:
		w.hour, w.min = atoi(h), atoi(mi)
		if deadline {
			w.sec = 59
		}
	}
	w.set = true
	return w
}

// programmeStatus is the emphasised line right under the first heading about
// the programme, e.g. "*[en cours de construction]*", without its markup.
func programmeStatus(body string) string {
	lines := strings.Split(body, "\n")
	for i, line := range lines {
		m := programmeHeadRe.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil || !strings.Contains(fold.String(m[1]), "programme") {
			continue
		}
		for _, next := range lines[i+1:] {
			next = strings.TrimSpace(next)
			if next == "" {
				continue
			}
			return emphasised(next)
		}
		return ""
	}
	return ""
}

// emphasised returns the text of a line that is wholly in italics or bold,
// with the brackets or parentheses editors put around a status removed, or
// "" for any other line.
func emphasised(line string) string {
	if len(line) < 3 || (line[0] != '*' && line[0] != '_') || line[len(line)-1] != line[0] {
		return ""
	}
	s := strings.TrimSpace(strings.Trim(line, string(line[0])))
	if m := markdownLinkRe.FindStringSubmatch(s); m != nil && m[0] == s {
		s = m[1]
	}
	for len(s) >= 2 && ((s[0] == '[' && s[len(s)-1] == ']') || (s[0] == '(' && s[len(s)-1] == ')')) {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}
