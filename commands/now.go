package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bluehats/bluehats-bot/storage"
)

var nowCmd = &Spec{Name: "maintenant", English: "now", Aliases: []string{"encours"}, Help: Help{
	FR: "l'intervention en cours sur le stand et les deux suivantes",
	EN: "the talk on now at the stand and the next two",
}}

// nowCommands answer on the event days.
func nowCommands() []command {
	return []command{{nowCmd, now}}
}

// nowShown is how many talks !maintenant lists after the current one.
const nowShown = 2

// now tells what is on at the stand: the talk on now and the next two; the
// first talks of the next day before the event or between its days; that
// it is over after the last talk.
func now(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t, e := req.T, env.Conference
	talks, err := PublishedTalks(ctx, env)
	if err != nil {
		return nil, err
	}
	if talks == nil {
		return Text(fmt.Sprintf(t.NowUnpublished, programmeCmd.In(env, req.Lang))), nil
	}
	loc := e.Location
	line := func(p *storage.Proposal) string {
		return fmt.Sprintf(t.NowLine, t.Clock(p.SlotStart.In(loc)), esc(p.Title), esc(SpeakerLine(ctx, env, p)))
	}
	var current *storage.Proposal
	var next []*storage.Proposal
	for _, p := range talks {
		switch {
		case !req.Now.Before(p.SlotStart) && req.Now.Before(talkEnd(p)):
			current = p
		case p.SlotStart.After(req.Now):
			next = append(next, p)
		}
	}
	if current == nil && len(next) == 0 {
		if req.Now.Before(e.End) {
			return Text(fmt.Sprintf(t.NowNoMore, programmeLink(env, req))), nil
		}
		return Text(fmt.Sprintf(t.NowOver, programmeLink(env, req))), nil
	}
	var ls []string
	sameDay := func(a, b time.Time) bool {
		ay, am, ad := a.In(loc).Date()
		by, bm, bd := b.In(loc).Date()
		return ay == by && am == bm && ad == bd
	}
	today := current != nil || (len(next) > 0 && sameDay(next[0].SlotStart, req.Now) && !req.Now.Before(e.Start))
	if current != nil {
		ls = append(ls, fmt.Sprintf(t.NowOn, t.Clock(talkEnd(current).In(loc)), esc(current.Title), esc(SpeakerLine(ctx, env, current))))
	} else if today {
		ls = append(ls, t.NowNothing)
	}
	if today {
		var shown []string
		for _, p := range next {
			if len(shown) == nowShown || !sameDay(p.SlotStart, req.Now) {
				break
			}
			shown = append(shown, line(p))
		}
		if len(shown) > 0 {
			ls = append(ls, "", t.NowNext)
			ls = append(ls, shown...)
		}
		return Text(strings.Join(ls, "\n")), nil
	}
	// Before the event or between its days: the next day's first talks.
	day := next[0].SlotStart
	ls = append(ls, fmt.Sprintf(t.NowNextDay, t.Date(day.In(loc))))
	for i, p := range next {
		if i == nowShown+1 || !sameDay(p.SlotStart, day) {
			break
		}
		ls = append(ls, line(p))
	}
	return Text(strings.Join(ls, "\n")), nil
}

func talkEnd(p *storage.Proposal) time.Time {
	return p.SlotStart.Add(time.Duration(p.Minutes) * time.Minute)
}

// programmeLink is where the programme is: its web page when public, else
// the command.
func programmeLink(env *Env, req *Request) string {
	if env.PublicURL != "" {
		return link(ProgrammeURL(env.PublicURL))
	}
	return "`" + programmeCmd.In(env, req.Lang) + "`"
}

// ProgrammeURL is the programme page under the bot's public address.
func ProgrammeURL(publicURL string) string {
	return strings.TrimRight(publicURL, "/") + "/programme"
}
