package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// document gives the YAML line of a dotted key, for messages that point at
// the line to fix.
type document struct {
	root *yaml.Node
}

// node returns the node of a dotted path ("event.venue.name",
// "matrix.rooms[0]"): the key node for a mapping entry, the item itself for
// a list element; nil when absent.
func (d *document) node(path string) *yaml.Node {
	n := d.root
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	var at *yaml.Node
	for _, part := range strings.Split(path, ".") {
		name, index := part, -1
		if i := strings.IndexByte(part, '['); i > 0 && strings.HasSuffix(part, "]") {
			idx, err := strconv.Atoi(part[i+1 : len(part)-1])
			if err != nil {
				return nil
			}
			name, index = part[:i], idx
		}
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == name {
				at, next = n.Content[i], n.Content[i+1]
				break
			}
		}
		if next == nil {
			return nil
		}
		n = next
		if index >= 0 {
			if n.Kind != yaml.SequenceNode || index >= len(n.Content) {
				return nil
			}
			n = n.Content[index]
			at = n
		}
	}
	return at
}

// line returns the line of a dotted key, or of its closest present parent.
func (d *document) line(path string) int {
	if d == nil {
		return 0
	}
	for p := path; p != ""; {
		if n := d.node(p); n != nil {
			return n.Line
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0
}

var lineRE = regexp.MustCompile(`^line (\d+): (.*)$`)

// decodeProblems turns yaml.v3's type errors ("line 5: cannot unmarshal …")
// into problems that name the key.
func decodeProblems(d *document, err error) Problems {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return Problems{{Message: strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	var out Problems
	for _, e := range te.Errors {
		p := Problem{Message: e}
		if m := lineRE.FindStringSubmatch(e); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Message = m[2]
			p.Key = keyAtLine(d, p.Line)
		}
		out = append(out, p)
	}
	return out
}

// keyAtLine finds the dotted key whose key or value sits on a line.
func keyAtLine(d *document, line int) string {
	var found string
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, prefix)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				path := k.Value
				if prefix != "" {
					path = prefix + "." + k.Value
				}
				if k.Line == line || v.Line == line {
					found = path
				}
				walk(v, path)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, fmt.Sprintf("%s[%d]", prefix, i))
			}
		}
	}
	walk(d.root, "")
	return found
}

// unknownKeys lists keys the Config type does not know, as warnings: a
// config written for a newer version must still start.
func unknownKeys(d *document) Problems {
	var out Problems
	var walk func(n *yaml.Node, t reflect.Type, prefix string)
	walk = func(n *yaml.Node, t reflect.Type, prefix string) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case n.Kind == yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, t, prefix)
			}
		case n.Kind == yaml.MappingNode && t.Kind() == reflect.Struct:
			fields := yamlFields(t)
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				path := k.Value
				if prefix != "" {
					path = prefix + "." + k.Value
				}
				ft, ok := fields[k.Value]
				if !ok {
					out = append(out, Problem{Key: path, Line: k.Line, Message: "unknown key, ignored", Warning: true})
					continue
				}
				walk(v, ft, path)
			}
		case n.Kind == yaml.SequenceNode && t.Kind() == reflect.Slice:
			for i, c := range n.Content {
				walk(c, t.Elem(), fmt.Sprintf("%s[%d]", prefix, i))
			}
		}
	}
	walk(d.root, reflect.TypeFor[Config](), "")
	return out
}

// yamlFields maps the YAML names of a struct's fields to their types,
// following inline fields.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				fields[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = f.Type
	}
	return fields
}

// validate checks values the type system cannot.
func (c *Config) validate(d *document) Problems {
	var ps Problems
	add := func(key, format string, args ...any) {
		ps = append(ps, Problem{Key: key, Line: d.line(key), Message: fmt.Sprintf(format, args...)})
	}

	if c.Matrix.HomeserverURL == "" {
		add("matrix.homeserver_url", "required (e.g. https://matrix.example.org)")
	} else if u, err := url.Parse(c.Matrix.HomeserverURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		add("matrix.homeserver_url", "must be an http(s) URL, got %q", c.Matrix.HomeserverURL)
	}
	if c.Matrix.UserID == "" {
		add("matrix.user_id", "required (e.g. @bluehats-bot:example.org)")
	} else if !validUserID(c.Matrix.UserID) {
		add("matrix.user_id", "must look like @name:server, got %q", c.Matrix.UserID)
	}
	if c.Matrix.Password == "" && c.Matrix.AccessToken == "" {
		add("matrix.password", "set matrix.password or matrix.access_token (or %s / %s)", EnvPassword, EnvAccessToken)
	}
	for i, r := range c.Matrix.Rooms {
		if !(strings.HasPrefix(r, "!") || strings.HasPrefix(r, "#")) || !strings.Contains(r, ":") {
			add(fmt.Sprintf("matrix.rooms[%d]", i), "must be a room ID (!id:server) or alias (#name:server), got %q", r)
		}
	}

	if c.Matrix.Encryption.Enabled && len(c.Matrix.Encryption.PickleKey) < 16 {
		add("matrix.encryption.pickle_key", "set a pickle key of at least 16 characters (or %s) when encryption is enabled", EnvPickleKey)
	}
	for i, s := range c.Matrix.AllowedServers {
		if s == "" || strings.ContainsAny(s, "@/ ") {
			add(fmt.Sprintf("matrix.allowed_servers[%d]", i), "must be a server name like example.org, got %q", s)
		}
	}
	switch c.Database.Type {
	case "sqlite3":
	case "postgres":
		if !strings.HasPrefix(c.Database.URI, "postgres://") && !strings.HasPrefix(c.Database.URI, "postgresql://") {
			add("database.uri", "a postgres URI starts with postgres://, e.g. postgres://bot:secret@127.0.0.1/bluehats?sslmode=disable")
		}
	default:
		add("database.type", "must be sqlite3 or postgres, got %q", c.Database.Type)
	}
	if c.Database.URI == "" {
		add("database.uri", "required")
	}

	if strings.TrimSpace(c.Bot.Prefix) != c.Bot.Prefix || len([]rune(c.Bot.Prefix)) > 3 {
		add("bot.prefix", "must be 1 to 3 characters without spaces, got %q", c.Bot.Prefix)
	}
	if c.Bot.Language != "fr" && c.Bot.Language != "en" {
		add("bot.language", "must be fr or en, got %q", c.Bot.Language)
	}
	for i, o := range c.Bot.Organisers {
		if !validUserID(o) {
			add(fmt.Sprintf("bot.organisers[%d]", i), "must look like @name:server, got %q", o)
		}
	}
	for i, u := range c.Bot.IgnoredUsers {
		if !validUserID(u) {
			add(fmt.Sprintf("bot.ignored_users[%d]", i), "must look like @name:server, got %q", u)
		}
	}
	if c.Bot.RateLimit.Burst < 0 || c.Bot.RateLimit.PerMinute < 0 {
		add("bot.rate_limit", "burst and per_minute must be positive")
	}
	if c.HTTP.Listen != "" {
		if _, _, err := net.SplitHostPort(c.HTTP.Listen); err != nil {
			add("http.listen", "must be host:port like 127.0.0.1:9105, got %q", c.HTTP.Listen)
		}
	}
	if c.HTTP.Public {
		u, err := url.Parse(c.HTTP.PublicURL)
		switch {
		case c.HTTP.PublicURL == "":
			add("http.public_url", "is required with http.public: the address at which members reach the programme page, like https://bot.example.org")
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			add("http.public_url", "must be an http(s) address like https://bot.example.org, got %q", c.HTTP.PublicURL)
		}
	}
	if c.Programme.FollowNotice < 0 {
		add("programme.follow_notice", "must not be negative")
	}
	if c.Privacy.RetentionDays < 0 {
		add("privacy.retention_days", "must not be negative")
	}
	for i, r := range c.Bot.OrganiserRooms {
		key := fmt.Sprintf("bot.organiser_rooms[%d]", i)
		if !(strings.HasPrefix(r, "!") || strings.HasPrefix(r, "#")) || !strings.Contains(r, ":") {
			add(key, "must be a room ID (!id:server) or alias (#name:server), got %q", r)
		}
		if slices.Contains(c.Matrix.Rooms, r) {
			ps = append(ps, Problem{Key: key, Line: d.line(key), Warning: true,
				Message: fmt.Sprintf("%q is also in matrix.rooms: it gets announcements and reminders, and organiser commands show proposal details to everyone in it", r)})
		}
	}
	if pl := *c.Bot.OrganiserPowerLevel; pl < 1 {
		add("bot.organiser_power_level", "must be at least 1, got %d", pl)
	}
	validateReminders(add, "reminders", &c.Reminders, c.Matrix.Rooms)
	for i, blk := range c.Events {
		if blk.Reminders != nil {
			validateReminders(add, fmt.Sprintf("events[%d].reminders", i), blk.Reminders, c.Matrix.Rooms)
		}
	}
	for i, a := range c.Announcements.Scheduled {
		key := fmt.Sprintf("announcements.scheduled[%d]", i)
		if a.At == "" || a.Text == "" {
			add(key, "needs at and text")
		}
	}
	switch c.Bot.AnswerQuestions {
	case AnswerMentions, AnswerAlways, AnswerOff:
	default:
		add("bot.answer_questions", "must be mentions, always or off, got %q", c.Bot.AnswerQuestions)
	}
	if c.Bot.OfflineGrace < 0 {
		add("bot.offline_grace", "must not be negative")
	}

	if len(c.Events) == 0 {
		validateEvent(add, "event", &c.Event)
		validateProposals(add, "proposals", &c.Proposals)
	} else {
		seen := map[string]bool{}
		for i := range c.Events {
			blk := &c.Events[i]
			key := fmt.Sprintf("events[%d]", i)
			switch {
			case !eventIDRE.MatchString(blk.ID):
				add(key+".id", "required: lower-case letters, digits and dashes, got %q", blk.ID)
			case seen[blk.ID]:
				add(key+".id", "%q is used twice", blk.ID)
			}
			seen[blk.ID] = true
			validateEvent(add, key, &blk.Event)
			validateProposals(add, key+".proposals", &blk.Proposals)
			for j, r := range blk.Rooms {
				if !slices.Contains(c.Matrix.Rooms, r) {
					add(fmt.Sprintf("%s.rooms[%d]", key, j), "must be one of matrix.rooms, got %q", r)
				}
			}
		}
		if !reflect.DeepEqual(c.Event, Event{Timezone: c.Event.Timezone}) {
			add("event", "use either event: or events:, not both")
		}
	}
	validateFAQ(add, "faq", c.FAQ)
	for i, blk := range c.Events {
		validateFAQ(add, fmt.Sprintf("events[%d].faq", i), blk.FAQ)
	}
	switch strings.ToLower(c.Logging.Level) {
	case "trace", "debug", "info", "warn", "error":
	default:
		add("logging.level", "must be trace, debug, info, warn or error, got %q", c.Logging.Level)
	}
	return ps
}

var eventIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

type addFunc func(key, format string, args ...any)

// validateFAQ checks that every entry has phrasings and an answer. Whether
// the phrasings are told apart from the built-in answers is for the
// matcher to say (check-config prints its warnings).
func validateFAQ(add addFunc, prefix string, entries []FAQEntry) {
	for i, e := range entries {
		key := fmt.Sprintf("%s[%d]", prefix, i)
		if strings.TrimSpace(e.Answer) == "" {
			add(key+".answer", "this entry has no answer")
		}
		n := 0
		for j, q := range e.Questions {
			if strings.TrimSpace(q) == "" {
				add(fmt.Sprintf("%s.questions[%d]", key, j), "empty question")
			} else {
				n++
			}
		}
		if n == 0 {
			add(key+".questions", "give at least one example question (a few phrasings are better)")
		}
	}
}

// Line returns the YAML line of a dotted key (or of its closest present
// parent), for problems found outside this package.
func (c *Config) Line(key string) int { return c.doc.line(key) }

// validateEvent checks what the type system cannot in an event block.
func validateEvent(add addFunc, prefix string, e *Event) {
	if _, err := time.LoadLocation(e.Timezone); err != nil {
		add(prefix+".timezone", "unknown time zone %q", e.Timezone)
	}
	for _, k := range []struct{ key, val string }{
		{prefix + ".registration.url", e.Registration.URL},
		{prefix + ".info_url", e.InfoURL},
	} {
		if k.val != "" && !validHTTPURL(k.val) {
			add(k.key, "must be an http(s) URL, got %q", k.val)
		}
	}
	if e.Contact != "" {
		if _, err := mail.ParseAddress(strings.TrimPrefix(e.Contact, "mailto:")); err != nil {
			add(prefix+".contact", "must be an e-mail address, got %q", e.Contact)
		}
	}
	if lat := e.Venue.Latitude; lat != nil && (*lat < -90 || *lat > 90) {
		add(prefix+".venue.latitude", "must be between -90 and 90")
	}
	if lon := e.Venue.Longitude; lon != nil && (*lon < -180 || *lon > 180) {
		add(prefix+".venue.longitude", "must be between -180 and 180")
	}
	if (e.Venue.Latitude == nil) != (e.Venue.Longitude == nil) {
		add(prefix+".venue.latitude", "latitude and longitude go together")
	}
}

// validateReminders checks a reminders block.
func validateReminders(add addFunc, prefix string, rem *Reminders, matrixRooms []string) {
	if rem.CatchUp < 0 {
		add(prefix+".catch_up", "must not be negative")
	}
	if rem.Schedule == nil {
		return
	}
	for i, r := range *rem.Schedule {
		key := fmt.Sprintf("%s.schedule[%d]", prefix, i)
		switch {
		case (r.At == "") == (r.Before == ""):
			add(key, "needs either at or before (with offset)")
		case r.Before != "" && !validMilestone(r.Before):
			add(key+".before", "must be deadline, response_date, programme_date or event_start, got %q", r.Before)
		case r.Before != "":
			if _, err := ParseDuration(r.Offset); err != nil || r.Offset == "" {
				add(key+".offset", "must be a duration like 7d, 24h or 2h, got %q", r.Offset)
			}
		}
		if r.Time != "" {
			if _, err := time.Parse("15:04", r.Time); err != nil {
				add(key+".time", "must be a time of day like 09:00, got %q", r.Time)
			}
		}
		if r.At != "" && r.Text == "" {
			add(key+".text", "required with at")
		}
		for j, room := range r.Rooms {
			if !slices.Contains(matrixRooms, room) {
				add(fmt.Sprintf("%s.rooms[%d]", key, j), "must be one of matrix.rooms, got %q", room)
			}
		}
	}
}

// validateProposals checks a call for talks block.
func validateProposals(add addFunc, prefix string, p *Proposals) {
	if p.MinMinutes < 0 || p.MaxMinutes < 0 {
		add(prefix+".min_minutes", "durations must be positive")
	}
	if p.MinMinutes > 0 && p.MaxMinutes > 0 && p.MinMinutes > p.MaxMinutes {
		add(prefix+".max_minutes", "must not be below min_minutes (%d)", p.MinMinutes)
	}
	if p.MaxPerPerson < 0 {
		add(prefix+".max_per_person", "must be positive")
	}
	if _, err := time.Parse("15:04", p.ResponseTime); err != nil {
		add(prefix+".response_time", "must be a time of day like 09:00, got %q", p.ResponseTime)
	}
	switch p.NotifyDecisions {
	case NotifyOnResponseDate, NotifyImmediately:
	default:
		add(prefix+".notify_decisions", "must be on_response_date or immediately, got %q", p.NotifyDecisions)
	}
}

// Milestones a reminder may count back from.
const (
	MilestoneDeadline   = "deadline"
	MilestoneResponse   = "response_date"
	MilestoneProgramme  = "programme_date"
	MilestoneEventStart = "event_start"
)

func validMilestone(s string) bool {
	switch s {
	case MilestoneDeadline, MilestoneResponse, MilestoneProgramme, MilestoneEventStart:
		return true
	}
	return false
}

var userIDRE = regexp.MustCompile(`^@[a-zA-Z0-9._=/+\-]+:[a-zA-Z0-9.\-]+(:\d+)?$`)

func validUserID(s string) bool { return userIDRE.MatchString(s) }

func validHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
