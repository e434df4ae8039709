// Package commands turns what members type into what the bot says: the
// command registry (names, aliases, help, roles), the free-question router,
// and one file per command family. Handlers are pure functions of the
// request, the event's facts, the storage and the calendar clock; they
// return a Reply; they never talk to the homeserver (Env.Names reads
// display names the bot already knows), so that they may run inside the
// bot's write transaction.
package commands

import (
	"context"
	"strings"
	"time"

	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/conference"
	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/match"
	"github.com/bluehats/bluehats-bot/reminders"
	"github.com/bluehats/bluehats-bot/storage"
)

// Role is who may run a command.
type Role int

// Roles, from the least to the most trusted.
const (
	Anyone Role = iota
	Organiser
)

// ArgPolicy says what a command accepts after its name.
type ArgPolicy int

// Argument policies.
const (
	NoArgs ArgPolicy = iota
	AnyArgs
)

// Handler computes the reply to one request.
type Handler func(ctx context.Context, env *Env, req *Request) (*Reply, error)

// Spec declares a command: its names and help line in each language, who
// may run it and what it takes. Each family's specs are package variables
// beside their handlers, so that a handler names another command through
// its spec (proposeCmd.In(env, req.Lang)) rather than a string; the handler
// is attached when the family registers (see command).
type Spec struct {
	Name    string   // canonical French name, also the help key
	English string   // English name
	Aliases []string // further names; English ones in EnglishAliases
	// EnglishAliases are further English names.
	EnglishAliases []string
	Role           Role
	Args           ArgPolicy
	// Confidential commands name a proposal and its fate (or its score):
	// outside a private room their whole answer, refusals included, goes
	// by direct chat, with a brief note in the room (see inPrivate).
	Confidential bool
	Help         Help
}

// Help is a command's help line in each language.
type Help struct{ FR, EN string }

// In returns the help line in a language.
func (h Help) In(l i18n.Lang) string {
	if l == i18n.EN {
		return h.EN
	}
	return h.FR
}

// NameIn returns the command's name in a language.
func (s *Spec) NameIn(l i18n.Lang) string {
	if l == i18n.EN && s.English != "" {
		return s.English
	}
	return s.Name
}

// In returns the command as a member types it in a language: "!proposer".
func (s *Spec) In(env *Env, l i18n.Lang) string { return env.Prefix + s.NameIn(l) }

// command is a spec with its handler.
type command struct {
	*Spec
	run Handler
}

// Env is what handlers may read: the event's facts, the database and the
// calendar clock (a rehearsal clock when one is set).
type Env struct {
	Conference  *conference.Conference
	Store       *storage.Store
	Clock       clock.Clock
	Prefix      string
	DefaultLang i18n.Lang
	// Matcher reads free questions about Conference, its FAQ entries included.
	Matcher *match.Matcher
	Names   Names
	// Reminders is the planned schedule, for !rappels.
	Reminders []reminders.Reminder
	// Organisers listed in the config, told when a speaker's data is erased.
	Organisers []id.UserID
	// Domain makes calendar UIDs globally unique: the bot's server name.
	Domain string
	// PublicURL is where members reach the bot's web pages, "" when they
	// are not public.
	PublicURL string
	// FollowNotice is how long before a followed talk its followers hear.
	FollowNotice time.Duration
	// ConferenceID is Conference's ID ("" for a single-event config); Conferences lists
	// every event the bot serves, in start order, when there are several.
	ConferenceID string
	Conferences  []ConferenceInfo
}

// ConferenceInfo is one of several events the bot serves.
type ConferenceInfo struct {
	ID         string
	Conference *conference.Conference
	Matcher    *match.Matcher // nil: NewRouter builds it
}

// ForConference returns the environment of one of the events by ID.
func (e *Env) ForConference(id string) *Env {
	if id == e.ConferenceID {
		return e
	}
	for _, ev := range e.Conferences {
		if ev.ID == id {
			c := *e
			c.Conference, c.ConferenceID, c.Matcher = ev.Conference, ev.ID, ev.Matcher
			return &c
		}
	}
	return e
}

// At returns the environment of the event current at now: the first one
// not over yet, or the last one. With one event, the environment itself.
func (e *Env) At(now time.Time) *Env {
	if len(e.Conferences) < 2 {
		return e
	}
	cur := e.Conferences[len(e.Conferences)-1]
	for _, ev := range e.Conferences {
		if now.Before(ev.Conference.End) {
			cur = ev
			break
		}
	}
	if cur.ID == e.ConferenceID && cur.Conference == e.Conference {
		return e
	}
	c := *e
	c.Conference, c.ConferenceID, c.Matcher = cur.Conference, cur.ID, cur.Matcher
	return &c
}

// NewMatcher returns the question matcher of an event: the built-in
// answers and the event's FAQ entries.
func NewMatcher(e *conference.Conference) *match.Matcher {
	faq := make([][]string, len(e.FAQ))
	for i, f := range e.FAQ {
		faq[i] = f.Questions
	}
	return match.New(faq)
}

// Names looks up how to show a user: the bot's tables keep only Matrix IDs,
// and the bot answers from the rooms' member state it already holds, never
// by asking the homeserver (handlers run inside its write transaction).
type Names interface {
	DisplayName(ctx context.Context, user id.UserID) string
}

// IDNames shows users by their Matrix ID; for tests and the command line.
type IDNames struct{}

// DisplayName returns the user ID itself.
func (IDNames) DisplayName(_ context.Context, user id.UserID) string { return user.String() }

// Request is one command or question, already attributed to a language.
type Request struct {
	Sender    id.UserID
	Room      id.RoomID
	Direct    bool // a direct chat with the bot
	Private   bool // a direct chat or an organiser room: proposal details may show here
	Organiser bool
	MayWidget bool // the bot may add widgets to the room
	Lang      i18n.Lang
	T         *i18n.Text
	Command   string // canonical name of the command
	Typed     string // the name as typed, with the prefix
	Args      string // arguments, trimmed
	Now       time.Time
}

// State is a state event to set in the request's room.
type State struct {
	Type, Key string
	Content   map[string]any // empty removes it
}

// Reply is what the bot says back, in order.
type Reply struct {
	Parts []Part
	// Cancel lists keys of queued messages to drop if not sent yet (a
	// decision changed before it was told).
	Cancel []string
}

// Target says where a part goes.
type Target int

// Targets of reply parts.
const (
	Here             Target = iota // in the room of the request, as a reply
	ToSender                       // by direct chat to the sender
	ToUser                         // by direct chat to Part.User
	ToRooms                        // to every configured room
	ToOrganiserRooms               // to every room of bot.organiser_rooms
	ToRoom                         // to Part.Room
)

// Part is one message of a reply.
type Part struct {
	Markdown string    // rendered to HTML with a plain-text body
	Location *Location // an m.location event, so clients draw a map
	File     *File     // an uploaded file
	State    *State    // a state event in the room
	To       Target
	User     id.UserID // for ToUser
	Room     id.RoomID // for ToRoom
	// Key names a part that is not simply a reply to the message (replies
	// are keyed by the message): it is sent once under this key, when At
	// (calendar time) comes; zero At means at once.
	Key  string
	At   time.Time
	Kind storage.OutboxKind // a reply unless set
	// Proposal is the proposal a decision is about (reacting ✅ to the
	// message confirms it) or the talk a programme line shows (reacting ⭐
	// follows it).
	Proposal int64
	// ThreadOf is the key of an earlier part (with the same To) this one
	// replies to in a thread.
	ThreadOf string
}

// File is a file to upload and send.
type File struct {
	Name string
	MIME string
	Data []byte
}

// Location is a point on the map.
type Location struct {
	Body   string
	GeoURI string
}

// Text returns a reply made of one markdown message.
func Text(md string) *Reply { return &Reply{Parts: []Part{{Markdown: md}}} }

// Add appends parts to a reply.
func (r *Reply) Add(parts ...Part) *Reply {
	r.Parts = append(r.Parts, parts...)
	return r
}

// privately answers in the room when it is private (a direct chat or an
// organiser room), and otherwise says briefly in the room that the answer
// went by direct chat: proposal details are for authors and organisers.
func privately(req *Request, md string) *Reply { return inPrivate(req, Text(md)) }

// inPrivate is privately for a whole reply: the parts meant for the room
// go to the sender by direct chat unless the room is private, leaving a
// brief note in the room. Parts for other people or every room keep their
// target. Organiser confirmations name a proposal and its fate, which the
// author must not learn in a public room before the response date.
func inPrivate(req *Request, r *Reply) *Reply {
	if req.Private || r == nil {
		return r
	}
	moved := false
	for i := range r.Parts {
		if r.Parts[i].To == Here {
			r.Parts[i].To, moved = ToSender, true
		}
	}
	if moved {
		r.Parts = append([]Part{{Markdown: req.T.AnswerInDirect}}, r.Parts...)
	}
	return r
}

// lines joins non-empty lines.
func lines(ls ...string) string {
	out := ls[:0:0]
	for _, l := range ls {
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
