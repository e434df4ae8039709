package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bluehats/bluehats-bot/conference"
	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/match"
)

// answers maps what a question asks to its answer. Where a command gives
// the same facts, the question gets that command's answer, so the two
// always agree.
var answers = map[match.Intent]Handler{
	match.Event:        eventCard,
	match.Venue:        venue,
	match.Hours:        hours,
	match.Registration: registration,
	match.Contact:      contact,
	match.Programme:    programme,
	match.Now:          now,
	match.Response:     responseAnswer,
	match.Propose:      proposeAnswer,
	match.Unknown:      unknownAnswer,
}

// Answer is what the bot would reply to a free question, with what the
// matcher understood; "bluehats-bot ask" shows both.
func (r *Router) Answer(ctx context.Context, question string) (*Reply, match.Result, error) {
	reply, out, err := r.question(ctx, Input{Body: question, Question: true, Direct: true}, question)
	return reply, out.result, err
}

// question answers a free question in its own language. A message that
// asks several things gets every answer in one message; a question the bot
// cannot answer gets what it can answer: a wrong confident answer is worse
// than none. It reads the clock once, so that the matcher (and its FAQ
// entries) and the answers are the same event's.
func (r *Router) question(ctx context.Context, in Input, body string) (*Reply, Outcome, error) {
	now := r.env.Clock.Now()
	env := r.env.At(now)
	res := env.Matcher.Match(body)
	lang := res.Lang
	req := r.request(in, lang)
	req.Now = now
	out := Outcome{Intent: res.Intent(), Lang: lang, Kind: "question", result: res}
	var replies []*Reply
	for _, a := range res.Answers {
		var reply *Reply
		var err error
		switch h, ok := answers[a.Intent]; {
		case a.Intent == match.FAQ:
			reply = faqAnswer(env.Conference.FAQ[a.FAQ], lang)
		case ok:
			reply, err = h(ctx, env, req)
		default:
			out.Kind = "unmatched"
			reply = Text(fmt.Sprintf(req.T.QuestionFallback, helpCmd.In(env, req.Lang)))
		}
		if err != nil {
			return nil, out, err
		}
		replies = append(replies, reply)
	}
	return joinReplies(replies), out, nil
}

// joinReplies puts several answers in one message; what is not text (the
// venue's map) follows it.
func joinReplies(rs []*Reply) *Reply {
	if len(rs) == 1 {
		return rs[0]
	}
	var texts []string
	var rest []Part
	for _, r := range rs {
		for _, p := range r.Parts {
			if p.Markdown != "" && p.To == Here && p.Key == "" {
				texts = append(texts, p.Markdown)
			} else {
				rest = append(rest, p)
			}
		}
	}
	return Text(strings.Join(texts, "\n\n")).Add(rest...)
}

// responseAnswer tells proposers when they hear back.
func responseAnswer(_ context.Context, env *Env, req *Request) (*Reply, error) {
	e, t := env.Conference, req.T
	rd := e.Proposals.DecisionTime(e.Location)
	var first string
	switch {
	case rd.IsZero():
		first = t.AnswerResponseNone
		if e.Contact != "" {
			first += " " + fmt.Sprintf(t.AnswerAskTeam, mailLink(e.Contact))
		}
		return Text(first), nil
	case rd.After(req.Now):
		first = fmt.Sprintf(t.AnswerResponse, t.Date(rd.In(e.Location)), t.Countdown(req.Now, rd, e.Location))
	default:
		first = fmt.Sprintf(t.AnswerResponsePast, t.Date(rd.In(e.Location)))
	}
	return Text(first + "\n" + fmt.Sprintf(t.AnswerResponseDM, myProposalsCmd.In(env, req.Lang))), nil
}

// proposeAnswer tells how, how long and until when to propose a talk.
func proposeAnswer(_ context.Context, env *Env, req *Request) (*Reply, error) {
	e, t := env.Conference, req.T
	p := e.Proposals
	if !p.Deadline.IsZero() && req.Now.After(p.Deadline) {
		return Text(fmt.Sprintf(t.AnswerProposeShut, t.Deadline(p.Deadline.In(e.Location)))), nil
	}
	var ls []string
	deadline, countdown := "—", "—"
	if !p.Deadline.IsZero() {
		deadline, countdown = t.Deadline(p.Deadline.In(e.Location)), t.Countdown(req.Now, p.Deadline, e.Location)
	}
	ls = append(ls, fmt.Sprintf(t.AnswerPropose, p.MinMinutes, p.MaxMinutes, proposeCmd.In(env, req.Lang), deadline, countdown))
	if e.Contact != "" {
		ls = append(ls, fmt.Sprintf(t.AnswerProposeMail, mailLink(e.Contact)))
	}
	if !p.ResponseDate.IsZero() && !p.ProgrammeDate.IsZero() {
		ls = append(ls, fmt.Sprintf(t.AnswerProposeNext, t.DayMonth(p.ResponseDate.In(e.Location)), t.DayMonth(p.ProgrammeDate.In(e.Location))))
	}
	return Text(strings.Join(ls, " ")), nil
}

// unknownAnswer is for questions about the event that its post does not
// answer: say so, and whom to ask.
func unknownAnswer(_ context.Context, env *Env, req *Request) (*Reply, error) {
	e, t := env.Conference, req.T
	ls := []string{"🤷 " + t.AnswerUnknown}
	if e.Contact != "" {
		ls = append(ls, fmt.Sprintf(t.AnswerAskTeam, mailLink(e.Contact)))
	}
	if e.InfoURL != "" {
		ls = append(ls, fmt.Sprintf(t.AnswerMoreInfo, link(e.InfoURL)))
	}
	return Text(strings.Join(ls, " ")), nil
}

// faqAnswer is an organisers' answer, in English when they wrote one. It is
// their markdown as is, like an announcement: the sender renders it with
// raw HTML off.
func faqAnswer(e conference.FAQEntry, lang i18n.Lang) *Reply {
	if lang == i18n.EN && e.AnswerEN != "" {
		return Text(e.AnswerEN)
	}
	return Text(e.Answer)
}

var (
	faqCmd = &Spec{Name: "faq", English: "faq", Help: Help{
		FR: "les questions fréquentes, avec les réponses des organisateurs",
		EN: "frequently asked questions, answered by the organisers",
	}}
)

// faqCommands list the organisers' FAQ.
func faqCommands() []command {
	return []command{{faqCmd, faqList}}
}

func faqList(_ context.Context, env *Env, req *Request) (*Reply, error) {
	entries := env.Conference.FAQ
	if len(entries) == 0 {
		return Text(req.T.FAQNone), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "❓ **%s**\n", req.T.FAQTitle)
	for _, e := range entries {
		fmt.Fprintf(&b, "\n**%s**\n%s\n", esc(faqTitle(env, e, req.Lang)), faqAnswer(e, req.Lang).Parts[0].Markdown)
	}
	return Text(strings.TrimRight(b.String(), "\n")), nil
}

// faqTitle is the first phrasing of an entry in the reader's language, or
// its first phrasing.
func faqTitle(env *Env, e conference.FAQEntry, lang i18n.Lang) string {
	for _, q := range e.Questions {
		if env.Matcher.Lang(q) == lang {
			return q
		}
	}
	return e.Questions[0]
}
