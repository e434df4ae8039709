package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/storage"
)

var followCmd = &Spec{Name: "suivre", English: "follow", Args: AnyArgs, Help: Help{
	FR: "suivre une intervention du programme : un message privé avant qu'elle commence, et si elle change",
	EN: "follow a talk of the programme: a direct message before it starts, and if it changes",
}}

// followCommands are the members' commands for the talks they follow.
func followCommands() []command {
	return []command{{followCmd, follow}}
}

// follow lists, starts or stops following talks: "!suivre", "!suivre 3",
// "!suivre 3 non".
func follow(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	if req.Args == "" {
		return followedList(ctx, env, req)
	}
	fields := strings.Fields(req.Args)
	pid, ok := parseID(fields[0])
	stop := len(fields) == 2 && isAnswer(fields[1], "non", "off", "no", "stop", "arreter")
	if !ok || len(fields) > 2 || (len(fields) == 2 && !stop) {
		return Text(fmt.Sprintf(t.FollowUsage, req.Typed)), nil
	}
	if stop {
		p, err := env.Store.Proposals.Get(ctx, pid)
		if err != nil {
			return nil, err
		}
		was, err := env.Store.Follows.Delete(ctx, req.Sender, pid)
		if err != nil {
			return nil, err
		}
		if !was || p == nil {
			return Text(fmt.Sprintf(t.FollowWasNot, pid)), nil
		}
		return Text(fmt.Sprintf(t.FollowStopped, esc(p.Title))), nil
	}
	p, err := publishedTalk(ctx, env, pid)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return Text(fmt.Sprintf(t.FollowNotListed, pid, programmeCmd.In(env, req.Lang))), nil
	}
	followed, err := env.Store.Follows.Of(ctx, req.Sender)
	if err != nil {
		return nil, err
	}
	for _, f := range followed {
		if f.ProposalID == pid {
			return Text(fmt.Sprintf(t.FollowAgain, esc(p.Title))), nil
		}
	}
	f := &storage.Follow{User: req.Sender, ProposalID: pid, Lang: string(req.Lang), CreatedAt: req.Now}
	if err := env.Store.Follows.Put(ctx, f); err != nil {
		return nil, err
	}
	when := t.DateTime(p.SlotStart.In(env.Conference.Location))
	reply := Text(fmt.Sprintf(t.FollowDone, esc(p.Title), when, NoticeLead(t, env.FollowNotice)))
	if !req.Now.Before(p.SlotStart.Add(-env.FollowNotice)) && req.Now.Before(p.SlotStart) {
		// Followed within the notice's lead: the notice goes now.
		reply.Add(FollowNoticePart(ctx, env, p, f))
	}
	return reply, nil
}

// publishedTalk returns a talk of the published programme, nil if the
// number is not one.
func publishedTalk(ctx context.Context, env *Env, pid int64) (*storage.Proposal, error) {
	talks, err := PublishedTalks(ctx, env)
	if err != nil {
		return nil, err
	}
	for _, p := range talks {
		if p.ID == pid {
			return p, nil
		}
	}
	return nil, nil
}

func followedList(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	followed, err := env.Store.Follows.Of(ctx, req.Sender)
	if err != nil {
		return nil, err
	}
	talks, err := PublishedTalks(ctx, env)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*storage.Proposal{}
	for _, p := range talks {
		byID[p.ID] = p
	}
	var b strings.Builder
	for _, f := range followed {
		p := byID[f.ProposalID]
		if p == nil {
			continue // out of the programme, or another event's
		}
		fmt.Fprintf(&b, t.FollowLine+"\n", p.ID, t.DateTime(p.SlotStart.In(env.Conference.Location)), esc(p.Title), esc(SpeakerLine(ctx, env, p)))
	}
	if b.Len() == 0 {
		return Text(fmt.Sprintf(t.FollowNone, req.Typed, programmeCmd.In(env, req.Lang))), nil
	}
	return Text("⭐ **" + t.FollowListTitle + "**\n\n" + strings.TrimRight(b.String(), "\n")), nil
}

// NoticeLead says how long before a talk its followers are told.
func NoticeLead(t *i18n.Text, d time.Duration) string {
	return fmt.Sprintf(t.FollowNoticeShort, int(d.Round(time.Minute)/time.Minute))
}

// FollowNotice is the direct message a follower gets before a talk.
func FollowNotice(ctx context.Context, env *Env, p *storage.Proposal, lang i18n.Lang) string {
	t := i18n.Get(lang)
	return fmt.Sprintf(t.FollowNotice, NoticeLead(t, env.FollowNotice), esc(p.Title), esc(SpeakerLine(ctx, env, p)),
		t.Clock(p.SlotStart.In(env.Conference.Location)))
}

// followerParts tell a talk's followers, by direct chat in their language,
// that it changed; the author hears it as the speaker.
func followerParts(ctx context.Context, env *Env, p *storage.Proposal, key string, change func(*i18n.Text) string) ([]Part, error) {
	followers, err := env.Store.Follows.Followers(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	var parts []Part
	for _, f := range followers {
		if f.User == p.Author {
			continue
		}
		parts = append(parts, Part{To: ToUser, User: f.User, Key: key + ":follower:" + f.User.String(), Kind: storage.KindNotice,
			Markdown: change(i18n.Get(i18n.Lang(f.Lang)))})
	}
	return parts, nil
}

// FollowNoticeKey is the outbox key of the notice a follower gets before a
// talk: once per member, talk and slot, so a moved talk is announced again
// at its new time.
func FollowNoticeKey(p *storage.Proposal, user id.UserID) string {
	return fmt.Sprintf("follow:%d:%d:%s", p.ID, p.SlotStart.Unix(), user)
}

// FollowNoticePart is the notice a follower gets before a talk.
func FollowNoticePart(ctx context.Context, env *Env, p *storage.Proposal, f *storage.Follow) Part {
	return Part{To: ToUser, User: f.User, Key: FollowNoticeKey(p, f.User), Kind: storage.KindNotice,
		Markdown: FollowNotice(ctx, env, p, i18n.Lang(f.Lang))}
}
