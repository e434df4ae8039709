// Package commands turns what members type into what the bot says: the
// command registry (names, aliases, help, roles), the free-question router,
// and one file per command family. Handlers are pure functions of the
// request, the event's facts, the storage and the calendar clock; they
// return a Reply and never talk to the homeserver themselves.
package commands

import (
	"context"
	"strings"
	"time"

	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/event"
	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/match"
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

// Spec declares a command: its names, who may run it and what it takes.
// Its help line lives in each language's catalogue under Name.
type Spec struct {
	Name    string   // canonical French name, also the help key
	English string   // English name
	Aliases []string // further French names (e.g. without accents)
	Role    Role
	Args    ArgPolicy
	Run     Handler
}

// Env is what handlers may read: the event's facts, the database and the
// calendar clock (a rehearsal clock when one is set).
type Env struct {
	Event       *event.Event
	Store       *storage.Store
	Clock       clock.Clock
	Prefix      string
	DefaultLang i18n.Lang
	Matcher     *match.Matcher
}

// Request is one command or question, already attributed to a language.
type Request struct {
	Sender    id.UserID
	Room      id.RoomID
	Direct    bool // a direct chat with the bot
	Organiser bool
	Lang      i18n.Lang
	T         *i18n.Text
	Command   string // canonical name of the command
	Typed     string // the name as typed, with the prefix
	Args      string // arguments, trimmed
	Now       time.Time
}

// Reply is what the bot says back, in order.
type Reply struct {
	Parts []Part
}

// Part is one message of a reply.
type Part struct {
	Markdown string    // rendered to HTML with a plain-text body
	Location *Location // an m.location event, so clients draw a map
}

// Location is a point on the map.
type Location struct {
	Body   string
	GeoURI string
}

// Text returns a reply made of one markdown message.
func Text(md string) *Reply { return &Reply{Parts: []Part{{Markdown: md}}} }

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
