package commands

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/storage"
)

// Steps of the proposal dialog, in order.
const (
	stepMinutes        = "minutes"
	stepTitle          = "title"
	stepAbstract       = "abstract"
	stepAdministration = "administration"
	stepSoftware       = "software"
	stepConfirm        = "confirm"
)

// startDialog begins asking a proposal's fields one by one, in a direct chat.
func startDialog(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	d := &storage.Dialog{User: req.Sender, Lang: string(req.Lang), Step: stepMinutes, UpdatedAt: req.Now}
	if err := env.Store.Dialogs.Put(ctx, d); err != nil {
		return nil, err
	}
	t := req.T
	cft := env.Conference.Proposals
	intro := fmt.Sprintf(t.DialogIntro, t.Deadline(cft.Deadline.In(env.Conference.Location))) + "\n\n" +
		fmt.Sprintf(t.AskMinutes, cft.MinMinutes, cft.MaxMinutes)
	if cft.Deadline.IsZero() {
		intro = fmt.Sprintf(t.AskMinutes, cft.MinMinutes, cft.MaxMinutes)
	}
	if req.Direct {
		return Text(intro), nil
	}
	return &Reply{Parts: []Part{{Markdown: t.DialogInDirect}, {Markdown: intro, To: ToSender}}}, nil
}

// dialogStep takes the next answer of a user's proposal dialog; ok is false
// when the user has no dialog going.
func (r *Router) dialogStep(ctx context.Context, in Input, body string) (*Reply, Outcome, error, bool) {
	d, err := r.env.Store.Dialogs.Get(ctx, in.Sender)
	if err != nil || d == nil {
		return nil, Outcome{}, err, err != nil
	}
	lang := i18n.Lang(d.Lang)
	req := r.request(in, lang)
	req.Command, req.Args = "proposer", body
	out := Outcome{Command: "proposer", Lang: lang, Kind: "dialog"}
	step := command{proposeCmd, func(ctx context.Context, env *Env, req *Request) (*Reply, error) {
		return answerDialog(ctx, env, req, d)
	}}
	reply, err := r.run(ctx, step, req)
	return reply, out, err, true
}

func isAnswer(s string, words ...string) bool {
	k := matchKey(s)
	for _, w := range words {
		if k == w {
			return true
		}
	}
	return false
}

// answerDialog validates one answer, stores the dialog, and asks the next
// question; at the end it stores the proposal.
func answerDialog(ctx context.Context, env *Env, req *Request, d *storage.Dialog) (*Reply, error) {
	t, answer := req.T, cleanText(req.Args)
	dialogs := env.Store.Dialogs
	if isAnswer(answer, "annuler", "cancel", "stop", "abandonner") {
		if err := dialogs.Delete(ctx, d.User); err != nil {
			return nil, err
		}
		return Text(t.DialogCancelled), nil
	}
	cft := env.Conference.Proposals
	optional := func(s string) string {
		if isAnswer(s, "-", "aucun", "aucune", "non", "none", "no", "rien", "nothing") || s == "-" {
			return ""
		}
		return s
	}
	var next string
	switch d.Step {
	case stepMinutes:
		n, ok := parseMinutes(answer)
		if !ok || n < cft.MinMinutes || n > cft.MaxMinutes {
			return Text("⚠️ " + fmt.Sprintf(t.ErrDurationDialog, cft.MinMinutes, cft.MaxMinutes)), nil
		}
		d.Draft.Minutes, d.Step, next = n, stepTitle, t.AskTitle
	case stepTitle:
		if msg := checkLength(t, answer, t.FieldTitle, MaxTitle, true); msg != "" {
			return Text("⚠️ " + msg), nil
		}
		d.Draft.Title, d.Step, next = answer, stepAbstract, t.AskAbstract
	case stepAbstract:
		if msg := checkLength(t, answer, t.FieldAbstract, MaxAbstract, true); msg != "" {
			return Text("⚠️ " + msg), nil
		}
		d.Draft.Abstract, d.Step, next = answer, stepAdministration, t.AskAdministration
	case stepAdministration:
		v := optional(answer)
		if msg := checkLength(t, v, t.FieldAdministration, MaxAdministration, false); msg != "" {
			return Text("⚠️ " + msg), nil
		}
		d.Draft.Administration, d.Step, next = v, stepSoftware, t.AskSoftware
	case stepSoftware:
		v := optional(answer)
		if msg := checkLength(t, v, t.FieldSoftware, MaxSoftware, false); msg != "" {
			return Text("⚠️ " + msg), nil
		}
		d.Draft.Software, d.Step = v, stepConfirm
		p := &storage.Proposal{Minutes: d.Draft.Minutes, Title: d.Draft.Title, Abstract: d.Draft.Abstract,
			Administration: d.Draft.Administration, Software: d.Draft.Software}
		next = t.DialogSummary + "\n\n" + proposalSummary(t, p) + "\n\n" + t.AskConfirm
	case stepConfirm:
		switch {
		case isAnswer(answer, "oui", "o", "yes", "y", "ok", "valider", "confirmer", "confirm"):
			if err := checkOpen(ctx, env, req); err != nil {
				return failed(err)
			}
			if err := validateDraft(env, t, d.Draft, ""); err != nil {
				return failed(err)
			}
			if err := dialogs.Delete(ctx, d.User); err != nil {
				return nil, err
			}
			return storeProposal(ctx, env, req, d.Draft, "")
		case isAnswer(answer, "non", "n", "no"):
			if err := dialogs.Delete(ctx, d.User); err != nil {
				return nil, err
			}
			return Text(t.DialogCancelled), nil
		default:
			return Text(t.AskConfirm), nil
		}
	default:
		// A step this version does not know: start again rather than guess.
		d.Step, d.Draft, next = stepMinutes, storage.Draft{}, fmt.Sprintf(t.AskMinutes, cft.MinMinutes, cft.MaxMinutes)
	}
	d.UpdatedAt = req.Now
	if err := dialogs.Put(ctx, d); err != nil {
		return nil, err
	}
	return Text(next), nil
}

func checkLength(t *i18n.Text, val, name string, max int, required bool) string {
	if required && strings.TrimSpace(val) == "" {
		return fmt.Sprintf(t.ErrFieldEmpty, name)
	}
	if n := utf8.RuneCountInString(val); n > max {
		return fmt.Sprintf(t.ErrFieldTooLong, name, max, n)
	}
	return ""
}
