package commands

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/match"
)

// Input is one message addressed to the bot.
type Input struct {
	Sender    id.UserID
	Room      id.RoomID
	Body      string
	Direct    bool
	Private   bool // Direct, or an organiser room
	Organiser bool
	// BotMaySetWidgets says whether the bot's power level lets it add
	// widgets to the room.
	BotMaySetWidgets bool
	// Question is set when text without the prefix should be read as a free
	// question (direct chat, mention, or answer_questions: always).
	Question bool
}

// Outcome says how a message was handled, for logs and metrics.
type Outcome struct {
	Command string       // canonical command name, "" for none
	Intent  match.Intent // for questions
	Lang    i18n.Lang
	Kind    string // "command", "unknown", "question", "unmatched", "denied", "dialog", "ignored"

	result match.Result // what the matcher understood, for Router.Answer
}

type route struct {
	command
	lang i18n.Lang
}

// Router finds the handler for a message and runs it.
type Router struct {
	env    *Env
	specs  []*Spec
	routes map[string]route
}

// NewRouter returns a router with every command family registered.
func NewRouter(env *Env) *Router {
	if env.Matcher == nil {
		env.Matcher = NewMatcher(env.Conference)
	}
	for i, ev := range env.Conferences {
		switch {
		case ev.Matcher != nil:
		case ev.Conference == env.Conference:
			env.Conferences[i].Matcher = env.Matcher
		default:
			env.Conferences[i].Matcher = NewMatcher(ev.Conference)
		}
	}
	r := &Router{env: env, routes: map[string]route{}}
	r.register(infoCommands()...)
	r.register(proposalCommands()...)
	r.register(reviewCommands()...)
	r.register(programmeCommands()...)
	r.register(reminderCommands()...)
	r.register(privacyCommands()...)
	r.register(calendarCommands()...)
	r.register(faqCommands()...)
	r.register(nowCommands()...)
	r.register(followCommands()...)
	r.register(widgetCommands()...)
	r.register(command{helpCmd, r.help})
	return r
}

func (r *Router) register(cmds ...command) {
	for _, c := range cmds {
		s := c.Spec
		r.specs = append(r.specs, s)
		shared := s.English == s.Name
		for _, n := range append([]string{s.Name}, s.Aliases...) {
			lang := i18n.FR
			if shared {
				lang = ""
			}
			r.add(n, route{c, lang})
		}
		if !shared && s.English != "" {
			r.add(s.English, route{c, i18n.EN})
		}
		for _, n := range s.EnglishAliases {
			r.add(n, route{c, i18n.EN})
		}
	}
}

func (r *Router) add(name string, rt route) {
	key := match.Normalize(name)
	if name == "?" {
		key = "?"
	}
	if prev, dup := r.routes[key]; dup {
		if prev.Spec == rt.Spec {
			return // an alias that only differs by accents
		}
		panic(fmt.Sprintf("commands: name %q registered twice", name))
	}
	r.routes[key] = rt
}

// Env is the environment the handlers run in.
func (r *Router) Env() *Env { return r.env }

// Specs lists the registered commands in registration order.
func (r *Router) Specs() []*Spec { return r.specs }

// Handle runs the command or answers the question in a message. It returns
// a nil reply when the message is not for the bot. The caller runs it in a
// transaction in which it also records the reply, so that a command's
// changes, its reply and the fact it was answered are stored together or
// not at all.
func (r *Router) Handle(ctx context.Context, in Input) (*Reply, Outcome, error) {
	body := strings.TrimSpace(in.Body)
	if name, args, ok := r.splitCommand(body); ok {
		return r.command(ctx, in, name, args)
	}
	if in.Direct && r.env.Store != nil && body != "" {
		if reply, out, err, ok := r.dialogStep(ctx, in, body); ok {
			return reply, out, err
		}
	}
	if !in.Question || body == "" {
		return nil, Outcome{Kind: "ignored"}, nil
	}
	return r.question(ctx, in, body)
}

// run runs a command's handler.
func (r *Router) run(ctx context.Context, c command, req *Request) (*Reply, error) {
	reply, err := c.run(ctx, r.env.At(req.Now), req)
	if c.Confidential {
		reply = inPrivate(req, reply)
	}
	return reply, err
}

// splitCommand reads "!name args". A prefix followed by a space or nothing
// ("! ", "!!!") is not a command.
func (r *Router) splitCommand(body string) (name, args string, ok bool) {
	rest, ok := strings.CutPrefix(body, r.env.Prefix)
	if !ok || rest == "" {
		return "", "", false
	}
	first, _ := utf8.DecodeRuneInString(rest)
	if !unicode.IsLetter(first) && first != '?' {
		return "", "", false
	}
	name, args, _ = strings.Cut(rest, " ")
	if i := strings.IndexAny(name, "\n\t"); i >= 0 {
		name, args = name[:i], rest[i+1:]
	}
	return strings.ToLower(name), strings.TrimSpace(args), true
}

func (r *Router) command(ctx context.Context, in Input, name, args string) (*Reply, Outcome, error) {
	key := match.Normalize(name)
	if name == "?" {
		key = "?"
	}
	rt, ok := r.routes[key]
	if !ok {
		return r.unknown(in, name)
	}
	lang := rt.lang
	if lang == "" {
		lang = r.env.DefaultLang
	}
	req := r.request(in, lang)
	req.Command, req.Typed, req.Args = rt.Name, r.env.Prefix+name, args
	out := Outcome{Command: rt.Name, Lang: lang, Kind: "command"}
	if rt.Role == Organiser && !in.Organiser {
		out.Kind = "denied"
		return Text(fmt.Sprintf(req.T.OrganisersOnly, req.Typed)), out, nil
	}
	if rt.Args == NoArgs && args != "" {
		return Text(fmt.Sprintf(req.T.NoArguments, req.Typed)), out, nil
	}
	reply, err := r.run(ctx, rt.command, req)
	return reply, out, err
}

// unknown answers an unknown command only where it cannot be another bot's:
// in a direct chat, or when the name is a near miss of one of ours.
func (r *Router) unknown(in Input, name string) (*Reply, Outcome, error) {
	suggestion := r.closest(name)
	if suggestion == "" && !in.Direct {
		return nil, Outcome{Kind: "ignored"}, nil
	}
	lang := r.env.DefaultLang
	if rt, ok := r.routes[match.Normalize(suggestion)]; ok && rt.lang != "" {
		lang = rt.lang
	}
	t := i18n.Get(lang)
	msg := fmt.Sprintf(t.UnknownCommand, r.env.Prefix+escapeCode(name), helpCmd.In(r.env, lang))
	if suggestion != "" {
		msg += " " + fmt.Sprintf(t.DidYouMean, r.env.Prefix+suggestion)
	}
	return Text(msg), Outcome{Kind: "unknown", Lang: lang}, nil
}

// closest returns the registered name nearest to a typo, if near enough.
func (r *Router) closest(name string) string {
	key := match.Normalize(name)
	best, bestD := "", 3
	for n := range r.routes {
		if len([]rune(n)) < 4 {
			continue
		}
		if d := editDistance(key, n); d < bestD || (d == bestD && n < best) {
			best, bestD = n, d
		}
	}
	if bestD > 2 || (bestD == 2 && len([]rune(key)) < 6) {
		return ""
	}
	return best
}

func (r *Router) request(in Input, lang i18n.Lang) *Request {
	return &Request{
		Sender:    in.Sender,
		Room:      in.Room,
		Direct:    in.Direct,
		Private:   in.Private || in.Direct,
		Organiser: in.Organiser,
		MayWidget: in.BotMaySetWidgets,
		Lang:      lang,
		T:         i18n.Get(lang),
		Now:       r.env.Clock.Now(),
	}
}

// escapeCode keeps a user's text from closing an inline code span.
func escapeCode(s string) string {
	s = strings.ReplaceAll(s, "`", "'")
	if r := []rune(s); len(r) > 64 {
		s = string(r[:64]) + "…"
	}
	return s
}

// editDistance is the Levenshtein distance between two short strings.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
