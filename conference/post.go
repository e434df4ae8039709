package conference

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bluehats/bluehats-bot/fold"
)

// Post is a site post: the front matter fields the bot uses and the markdown
// body. Fields are kept as written rather than parsed, so that Event and
// Problems are pure functions of the Post and a caller may fix a field by
// hand and ask again.
type Post struct {
	Title     string      `yaml:"title"`
	Date      string      `yaml:"date"`         // publication date, as written
	Summary   string      `yaml:"chapeau-text"` // markdown
	StartDate string      `yaml:"event_start_date"`
	EndDate   string      `yaml:"event_end_date"`
	Place     string      `yaml:"lieu"`
	Address   string      `yaml:"adresse"`
	Infos     []InfoField `yaml:"champs_informations"`

	body string
}

// InfoField is one entry of the post's "champs_informations" list, the
// labelled boxes the site shows beside the post.
type InfoField struct {
	Label   string `yaml:"intitule"`
	Content string `yaml:"contenu"`
	Link    string `yaml:"lien"`
}

// ErrNoFrontMatter is returned by ReadPost when the input does not start with
// a "---" line; such a file is not a Jekyll post.
var ErrNoFrontMatter = errors.New("no front matter")

// maxPostSize bounds what ReadPost will hold in memory: real posts are a few
// kilobytes, so anything near this is not a post.
const maxPostSize = 4 << 20

// ReadPost reads a Jekyll post: YAML front matter between "---" lines, then
// the markdown body.
func ReadPost(r io.Reader) (*Post, error) {
	p, err := readPost(r)
	if err != nil {
		return nil, fmt.Errorf("read post: %w", err)
	}
	return p, nil
}

// ReadPostFile reads the post at path.
func ReadPostFile(path string) (*Post, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read post: %w", err)
	}
	defer f.Close()
	p, err := readPost(f)
	if err != nil {
		return nil, fmt.Errorf("read post %s: %w", path, err)
	}
	return p, nil
}

func readPost(r io.Reader) (*Post, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxPostSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxPostSize {
		return nil, fmt.Errorf("larger than %d bytes", maxPostSize)
	}
	fm, body, err := splitFrontMatter(data)
	if err != nil {
		return nil, err
	}
	p := &Post{body: body}
	if err := unmarshalFrontMatter(fm, p); err != nil {
		return nil, fmt.Errorf("front matter: %w", err)
	}
	return p, nil
}

// unmarshalFrontMatter turns a panic inside yaml.v3 into an error: v3.0.1
// still panics on some malformed input (a merge key in a flow mapping whose
// key is a mapping, "{{},<<}"), and a post is text anyone with commit rights
// on the site can write.
func unmarshalFrontMatter(fm string, p *Post) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: malformed input (parser panicked: %v)", r)
		}
	}()
	return yaml.Unmarshal([]byte(fm), p)
}

// Body returns the markdown body, after the front matter.
func (p *Post) Body() string { return p.body }

// splitFrontMatter cuts data into the YAML between the first two "---" lines
// and the rest. Line endings are normalised first because posts edited on
// Windows would otherwise never show a bare "---" line.
func splitFrontMatter(data []byte) (fm, body string, err error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	first, rest, _ := strings.Cut(s, "\n")
	if strings.TrimRight(first, " \t") != "---" {
		return "", "", ErrNoFrontMatter
	}
	for off := 0; off < len(rest); {
		line, _, _ := strings.Cut(rest[off:], "\n")
		end := off + len(line)
		if t := strings.TrimRight(line, " \t"); t == "---" || t == "..." {
			body = ""
			if end < len(rest) {
				body = rest[end+1:]
			}
			return rest[:off], strings.TrimLeft(body, "\n"), nil
		}
		off = end + 1
	}
	return "", "", errors.New("front matter not closed by a \"---\" line")
}

// Event builds an Event from the post, with times in loc (the event's time
// zone). Fields the post does not give stay zero. The error is for a start or
// end date that cannot be read; everything else that cannot be read is left
// zero and reported by Problems.
func (p *Post) Event(loc *time.Location) (*Conference, error) {
	if loc == nil {
		return nil, errors.New("event from post: nil location")
	}
	e, _, err := p.build(loc)
	if err != nil {
		return nil, fmt.Errorf("event from post: %w", err)
	}
	return e, nil
}

// Problems returns human-readable warnings about what Event had to leave out
// or could not trust (unparseable hours, a milestone date that does not
// exist, ...). They do not depend on the time zone, so none is asked for.
func (p *Post) Problems() []string {
	_, probs, _ := p.build(time.UTC)
	return probs
}

func (p *Post) build(loc *time.Location) (*Conference, []string, error) {
	var probs []string
	warn := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }

	e := &Conference{
		Title:       strings.TrimSpace(p.Title),
		Description: strings.TrimSpace(p.Summary),
		Location:    loc,
		Venue: Venue{
			Name:    strings.TrimSpace(p.Place),
			Address: strings.TrimSpace(p.Address),
		},
	}

	var errs []error
	start, err := parsePostDate(p.StartDate)
	if err != nil {
		errs = append(errs, fmt.Errorf("event_start_date: %w", err))
	}
	end, err := parsePostDate(p.EndDate)
	if err != nil {
		errs = append(errs, fmt.Errorf("event_end_date: %w", err))
	}
	e.Start = start.in(loc, false)
	// A bare end date means the event runs through that day, not that it
	// ends as the day begins.
	e.End = end.in(loc, true)
	if !e.Start.IsZero() && !e.End.IsZero() && e.End.Before(e.Start) {
		warn("event_end_date %q is before event_start_date %q", p.EndDate, p.StartDate)
	}

	p.applyInfos(e, warn)

	facts := readBody(p.body, start, warn)
	e.Contact = facts.contact
	e.ProgrammeStatus = facts.programmeStatus
	e.Proposals.MinMinutes, e.Proposals.MaxMinutes = facts.minMinutes, facts.maxMinutes
	e.Proposals.Deadline = facts.deadline.in(loc)
	e.Proposals.ResponseDate = facts.response.in(loc)
	e.Proposals.ProgrammeDate = facts.programme.in(loc)

	return e, probs, errors.Join(errs...)
}

// Labels of champs_informations, as folded by infoKey.
const (
	infoHours        = "horaires"
	infoAccess       = "comment y aller"
	infoTerms        = "modalites"
	infoRegistration = "inscription"
	infoMore         = "plus d'informations"
)

// infoAliases maps labels seen in the wild, or likely, to the ones above.
var infoAliases = map[string]string{
	"horaire":             infoHours,
	"horaires":            infoHours,
	"comment y aller":     infoAccess,
	"comment venir":       infoAccess,
	"acces":               infoAccess,
	"modalite":            infoTerms,
	"modalites":           infoTerms,
	"inscription":         infoRegistration,
	"inscriptions":        infoRegistration,
	"s'inscrire":          infoRegistration,
	"plus d'informations": infoMore,
	"plus d'information":  infoMore,
	"plus d'infos":        infoMore,
	"plus d'info":         infoMore,
	"en savoir plus":      infoMore,
}

// infoKey folds a label so that "Modalités", "modalites" and "Comment y
// aller ?" written with a typographic apostrophe or a no-break space all
// match.
func infoKey(label string) string {
	k := strings.Join(strings.Fields(fold.String(label)), " ")
	k = strings.TrimRight(k, " ?!:.")
	return infoAliases[k]
}

func (p *Post) applyInfos(e *Conference, warn func(string, ...any)) {
	seen := map[string]bool{}
	for _, f := range p.Infos {
		key := infoKey(f.Label)
		if key == "" {
			if strings.TrimSpace(f.Label) != "" {
				warn("champs_informations: unknown intitule %q, ignored", f.Label)
			}
			continue
		}
		// The site shows every box, but the bot can give one answer;
		// the first box is the one readers see first.
		if seen[key] {
			warn("champs_informations: %q given more than once, using the first", f.Label)
			continue
		}
		seen[key] = true
		content := strings.TrimSpace(f.Content)
		switch key {
		case infoHours:
			e.Hours = content
			if content == "" {
				break
			}
			open, closing, ok := parseHours(content)
			if !ok {
				warn("Horaires: cannot read opening hours from %q", content)
				break
			}
			e.DailyOpen, e.DailyClose = open, closing
		case infoAccess:
			e.Venue.Access = splitAccess(content)
		case infoTerms:
			free, required, ok := parseTerms(content)
			if !ok && content != "" {
				warn("Modalités: cannot tell whether attending is free or needs registering from %q", content)
			}
			e.Registration.Free, e.Registration.Required = free, required
		case infoRegistration:
			e.Registration.URL = fieldURL(f)
		case infoMore:
			e.InfoURL = fieldURL(f)
		}
	}
}

// fieldURL is the box's link, or its text when the editor pasted the
// address there instead.
func fieldURL(f InfoField) string {
	if l := strings.TrimSpace(f.Link); l != "" {
		return l
	}
	c := strings.TrimSpace(f.Content)
	if strings.HasPrefix(c, "https://") || strings.HasPrefix(c, "http://") {
		if !strings.ContainsAny(c, " \t\n") {
			return c
		}
	}
	return ""
}
