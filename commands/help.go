package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bluehats/bluehats-bot/i18n"
)

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
		first, second := s.Name, s.English
		if req.Lang == i18n.EN {
			first, second = s.English, s.Name
		}
		names := "`" + env.Prefix + first + "`"
		if second != "" && second != first {
			names += " / `" + env.Prefix + second + "`"
		}
		fmt.Fprintf(&b, "- %s — %s\n", names, t.HelpCommands[s.Name])
	}
	b.WriteString("\n" + t.HelpQuestions)
	return Text(b.String()), nil
}
