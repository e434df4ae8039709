package commands

import (
	"context"
	"fmt"

	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/match"
)

// intentCommand maps what a question asks to the command that answers it,
// so a question and its command always give the same answer.
var intentCommand = map[match.Intent]string{
	match.Venue:        "lieu",
	match.Access:       "lieu",
	match.Price:        "inscription",
	match.Registration: "inscription",
	match.Hours:        "horaires",
	match.Deadline:     "dates",
	match.Dates:        "salon",
	match.Contact:      "contact",
	match.Programme:    "programme",
	match.Propose:      "programme",
	match.Event:        "salon",
}

// question answers a free question in its own language, or says what the
// bot can answer when nothing matches well: a wrong confident answer is
// worse than none.
func (r *Router) question(ctx context.Context, in Input, body string) (*Reply, Outcome, error) {
	res := r.env.Matcher.Match(body)
	lang := i18n.Lang(res.Lang)
	if lang != i18n.EN {
		lang = i18n.FR
	}
	out := Outcome{Intent: res.Intent, Lang: lang, Kind: "question"}
	name, ok := intentCommand[res.Intent]
	if res.Intent == match.None || !ok {
		out.Kind = "unmatched"
		t := i18n.Get(lang)
		help := r.env.Prefix + "aide"
		if lang == i18n.EN {
			help = r.env.Prefix + "help"
		}
		return Text(fmt.Sprintf(t.QuestionFallback, help)), out, nil
	}
	rt := r.routes[name]
	req := r.request(in, lang)
	req.Command, req.Typed = rt.spec.Name, r.env.Prefix+rt.spec.Name
	out.Command = rt.spec.Name
	reply, err := rt.spec.Run(ctx, r.env.At(req.Now), req)
	return reply, out, err
}
