package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bluehats/bluehats-bot/i18n"
)

var helpCmd = &Spec{Name: "aide", English: "help", Aliases: []string{"?"}, Args: AnyArgs, Help: Help{
	FR: "cette aide",
	EN: "this help",
}}

// help lists the commands this user may run, one line each, with the names
// in the language of the request first.
func (r *Router) help(_ context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n\n", t.HelpTitle)
	for _, s := range r.specs {
		if s.Role == Organiser && !req.Organiser {
			continue
		}
		first, second := s.NameIn(req.Lang), s.NameIn(i18n.FR)
		if req.Lang != i18n.EN {
			second = s.NameIn(i18n.EN)
		}
		names := "`" + env.Prefix + first + "`"
		if second != "" && second != first {
			names += " / `" + env.Prefix + second + "`"
		}
		fmt.Fprintf(&b, "- %s — %s\n", names, s.Help.In(req.Lang))
	}
	b.WriteString("\n" + t.HelpQuestions)
	return Text(b.String()), nil
}
