package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/storage"
)

var (
	slotCmd = &Spec{Name: "planifier", English: "slot", Aliases: []string{"programmer"}, Role: Organiser, Args: AnyArgs, Confidential: true, Help: Help{
		FR: "placer une intervention acceptée dans le programme",
		EN: "put an accepted talk in the programme",
	}}
	moveCmd = &Spec{Name: "deplacer", English: "move", Aliases: []string{"déplacer"}, Role: Organiser, Args: AnyArgs, Confidential: true, Help: Help{
		FR: "déplacer une intervention programmée",
		EN: "move a scheduled talk",
	}}
	unslotCmd = &Spec{Name: "deprogrammer", English: "unslot", Aliases: []string{"déprogrammer"}, Role: Organiser, Args: AnyArgs, Confidential: true, Help: Help{
		FR: "retirer une intervention du programme",
		EN: "take a talk out of the programme",
	}}
	publishCmd = &Spec{Name: "publier", English: "publish", Role: Organiser, Help: Help{
		FR: "publier le programme dans les salons Matrix",
		EN: "publish the programme in the rooms",
	}}
)

// programmeCommands are the organisers' commands to build and publish the
// programme.
func programmeCommands() []command {
	return []command{
		{slotCmd, slot(false)},
		{moveCmd, slot(true)},
		{unslotCmd, unslot},
		{publishCmd, publish},
	}
}

// published returns when the programme was published, zero if not yet.
func published(ctx context.Context, env *Env) (time.Time, error) {
	if env.Store == nil {
		return time.Time{}, nil
	}
	v, err := env.Store.State.Get(ctx, storage.PublishedKey(env.ConferenceID))
	if err != nil || v == "" {
		return time.Time{}, err
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("read publication time: %w", err)
	}
	return time.UnixMilli(ms), nil
}

// parseSlot reads "2023-12-06 14:30" (or "06/12/2023 14h30") in loc.
func parseSlot(s string, loc *time.Location, year int) (time.Time, bool) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return time.Time{}, false
	}
	var y, mo, d int
	switch {
	case strings.Count(f[0], "-") == 2:
		if _, err := fmt.Sscanf(f[0], "%d-%d-%d", &y, &mo, &d); err != nil {
			return time.Time{}, false
		}
	case strings.Count(f[0], "/") == 2:
		if _, err := fmt.Sscanf(f[0], "%d/%d/%d", &d, &mo, &y); err != nil {
			return time.Time{}, false
		}
	case strings.Count(f[0], "/") == 1:
		if _, err := fmt.Sscanf(f[0], "%d/%d", &d, &mo); err != nil {
			return time.Time{}, false
		}
		y = year
	default:
		return time.Time{}, false
	}
	clock := strings.ReplaceAll(strings.ToLower(f[1]), "h", ":")
	if strings.HasSuffix(clock, ":") {
		clock += "00"
	}
	var h, m int
	if _, err := fmt.Sscanf(clock, "%d:%d", &h, &m); err != nil || h > 23 || m > 59 || h < 0 || m < 0 {
		return time.Time{}, false
	}
	at := time.Date(y, time.Month(mo), d, h, m, 0, 0, loc)
	if at.Day() != d || int(at.Month()) != mo {
		return time.Time{}, false // 31/11 and the like
	}
	return at, true
}

// checkSlot refuses slots outside the event's days and hours, and overlaps
// with other talks: there is one stand.
func checkSlot(ctx context.Context, env *Env, t *i18n.Text, p *storage.Proposal, at time.Time) error {
	e := env.Conference
	end := at.Add(time.Duration(p.Minutes) * time.Minute)
	inDays := false
	for _, d := range e.Days() {
		if !at.Before(d) && at.Before(d.AddDate(0, 0, 1)) {
			inDays = true
			if e.DailyOpen.Set && e.DailyClose.Set && (at.Before(e.DailyOpen.On(d, e.Location)) || end.After(e.DailyClose.On(d, e.Location))) {
				return invalid(fmt.Sprintf(t.ErrSlotOutsideHours, t.HoursRange(e.DailyOpen.Minutes, e.DailyClose.Minutes)))
			}
		}
	}
	if !inDays || at.Before(e.Start) || end.After(e.End) {
		return invalid(fmt.Sprintf(t.ErrSlotOutsideEvent, t.Range(e.Start.In(e.Location), e.End.In(e.Location))))
	}
	talks, err := env.Store.Proposals.Scheduled(ctx, env.ConferenceID)
	if err != nil {
		return err
	}
	for _, o := range talks {
		if o.ID == p.ID {
			continue
		}
		oEnd := o.SlotStart.Add(time.Duration(o.Minutes) * time.Minute)
		if at.Before(oEnd) && o.SlotStart.Before(end) {
			return invalid(fmt.Sprintf(t.ErrSlotOverlap, o.ID, esc(o.Title), t.Clock(o.SlotStart.In(e.Location)), t.Clock(oEnd.In(e.Location))))
		}
	}
	return nil
}

// slot puts an accepted talk in the programme (!planifier), or moves a
// scheduled one (!deplacer).
func slot(move bool) Handler {
	return func(ctx context.Context, env *Env, req *Request) (*Reply, error) {
		t := req.T
		usage := fmt.Sprintf(t.SlotUsage, req.Typed)
		p, rest, err := getProposal(ctx, env, req, usage)
		if err != nil {
			return failed(err)
		}
		switch {
		case p.State != storage.StateAccepted:
			return failed(invalid(fmt.Sprintf(t.ErrNotAcceptedSlot, p.ID, t.States[p.DisplayState()])))
		case move && !p.Scheduled():
			return failed(invalid(fmt.Sprintf(t.ErrNotScheduled, p.ID, slotCmd.In(env, req.Lang))))
		case !move && p.Scheduled():
			return failed(invalid(fmt.Sprintf(t.ErrAlreadyScheduled, p.ID, t.DateTime(p.SlotStart.In(env.Conference.Location)), moveCmd.In(env, req.Lang))))
		}
		at, ok := parseSlot(rest, env.Conference.Location, env.Conference.Start.In(env.Conference.Location).Year())
		if !ok {
			return failed(invalid(usage))
		}
		if err := checkSlot(ctx, env, t, p, at); err != nil {
			return failed(err)
		}
		reply := &Reply{}
		if move {
			if reply, err = programmeChange(ctx, env, req, p, at); err != nil {
				return nil, err
			}
		}
		p.SlotStart, p.UpdatedAt = at, req.Now
		if err := env.Store.Proposals.Update(ctx, p); err != nil {
			return nil, err
		}
		pub, err := published(ctx, env)
		if err != nil {
			return nil, err
		}
		if !move && !pub.IsZero() {
			// A talk added to a published programme is news too.
			added, err := programmeChange(ctx, env, req, p, at)
			if err != nil {
				return nil, err
			}
			reply.Parts = append(reply.Parts, added.Parts...)
		}
		line := fmt.Sprintf(t.Slotted, p.ID, esc(p.Title), t.DateTime(at))
		reply.Parts = append([]Part{{Markdown: line}}, reply.Parts...)
		return reply, nil
	}
}

func unslot(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	p, _, err := getProposal(ctx, env, req, fmt.Sprintf(t.IDUsage, req.Typed))
	if err != nil {
		return failed(err)
	}
	if !p.Scheduled() {
		return failed(invalid(fmt.Sprintf(t.ErrNotScheduled, p.ID, slotCmd.In(env, req.Lang))))
	}
	reply, err := programmeChange(ctx, env, req, p, time.Time{})
	if err != nil {
		return nil, err
	}
	p.SlotStart, p.UpdatedAt = time.Time{}, req.Now
	if err := env.Store.Proposals.Update(ctx, p); err != nil {
		return nil, err
	}
	reply.Parts = append([]Part{{Markdown: fmt.Sprintf(t.Unslotted, p.ID, esc(p.Title))}}, reply.Parts...)
	return reply, nil
}

// programmeChange announces a change of a talk's slot (zero: removed) in
// the rooms and to its speaker, once the programme is published.
func programmeChange(ctx context.Context, env *Env, req *Request, p *storage.Proposal, to time.Time) (*Reply, error) {
	pub, err := published(ctx, env)
	if err != nil || pub.IsZero() {
		return &Reply{}, err
	}
	key := fmt.Sprintf("programme-change:%d:%d:%d", p.ID, req.Now.UnixNano(), to.Unix())
	speaker := SpeakerLine(ctx, env, p)
	change := func(t *i18n.Text) string {
		loc := env.Conference.Location
		switch {
		case to.IsZero():
			return fmt.Sprintf(t.ChangeRemoved, esc(p.Title), esc(speaker))
		case p.Scheduled():
			return fmt.Sprintf(t.ChangeMoved, esc(p.Title), esc(speaker), t.DateTime(p.SlotStart.In(loc)), t.DateTime(to.In(loc)))
		default:
			return fmt.Sprintf(t.ChangeAdded, esc(p.Title), esc(speaker), t.DateTime(to.In(loc)))
		}
	}
	reply := &Reply{Parts: []Part{
		{To: ToRooms, Key: key, Kind: storage.KindNotice, Markdown: change(i18n.Get(env.DefaultLang))},
		{To: ToUser, User: p.Author, Key: key + ":speaker", Kind: storage.KindNotice, Markdown: change(i18n.Get(i18n.Lang(p.Lang)))},
	}}
	followers, err := followerParts(ctx, env, p, key, change)
	if err != nil {
		return nil, err
	}
	reply.Add(followers...)
	return reply, nil
}

func publish(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	talks, err := env.Store.Proposals.Scheduled(ctx, env.ConferenceID)
	if err != nil {
		return nil, err
	}
	if len(talks) == 0 {
		return failed(invalid(fmt.Sprintf(t.ErrNothingScheduled, slotCmd.In(env, req.Lang))))
	}
	before, err := published(ctx, env)
	if err != nil {
		return nil, err
	}
	if err := env.Store.State.Set(ctx, storage.PublishedKey(env.ConferenceID), strconv.FormatInt(req.Now.UnixMilli(), 10)); err != nil {
		return nil, err
	}
	rooms := i18n.Get(env.DefaultLang)
	done := t.Published
	if !before.IsZero() {
		done = t.Republished
	}
	count := t.Count(len(talks), t.Talks)
	key := fmt.Sprintf("programme:%d", req.Now.UnixNano())
	reply := &Reply{Parts: []Part{
		{Markdown: fmt.Sprintf(done, count)},
		{To: ToRooms, Key: key, Kind: storage.KindNotice, Markdown: renderProgramme(ctx, env, rooms, talks)},
	}}
	// Each talk in the programme's thread, so that members react ⭐ to the
	// one they want to follow.
	for _, p := range talks {
		reply.Add(Part{To: ToRooms, Key: fmt.Sprintf("%s:talk:%d", key, p.ID), Kind: storage.KindTalk, Proposal: p.ID, ThreadOf: key,
			Markdown: talkLine(ctx, env, rooms, p)})
	}
	return reply, nil
}

// talkLine is one talk of the programme as its own message.
func talkLine(ctx context.Context, env *Env, t *i18n.Text, p *storage.Proposal) string {
	start := p.SlotStart.In(env.Conference.Location)
	return fmt.Sprintf("🎤 **%s** · « %s » — %s (%d min) · #%d\n\n%s", Capitalise(t.DateTime(start)), esc(p.Title),
		esc(SpeakerLine(ctx, env, p)), p.Minutes, p.ID, t.FollowReactHint)
}

// ReactionCommand is the command a reaction to one of the bot's messages
// stands for: ✅ on a decision confirms the talk, ⭐ on a talk of the
// programme follows it.
func ReactionCommand(env *Env, kind storage.OutboxKind, proposal int64, reaction string) (string, bool) {
	r := strings.TrimSuffix(reaction, "\ufe0f")
	switch {
	case kind == storage.KindDecision && (r == "✅" || r == "✔"):
		return fmt.Sprintf("%s %d", confirmCmd.In(env, env.DefaultLang), proposal), true
	case kind == storage.KindTalk && (r == "⭐" || r == "🌟"):
		return fmt.Sprintf("%s %d", followCmd.In(env, env.DefaultLang), proposal), true
	}
	return "", false
}

// renderProgramme shows the talks day by day: time, duration, title, speaker.
func renderProgramme(ctx context.Context, env *Env, t *i18n.Text, talks []*storage.Proposal) string {
	loc := env.Conference.Location
	var b strings.Builder
	fmt.Fprintf(&b, "🗓️ **%s**\n", fmt.Sprintf(t.ProgrammeTitle, esc(env.Conference.Title)))
	day := ""
	for _, p := range talks {
		start := p.SlotStart.In(loc)
		if d := t.Date(start); d != day {
			day = d
			fmt.Fprintf(&b, "\n**%s**\n", Capitalise(d))
		}
		end := start.Add(time.Duration(p.Minutes) * time.Minute)
		fmt.Fprintf(&b, "- %s – %s · « %s » — %s (%d min) · #%d\n", t.Clock(start), t.Clock(end), esc(p.Title), esc(SpeakerLine(ctx, env, p)), p.Minutes, p.ID)
	}
	fmt.Fprintf(&b, "\n%s\n", fmt.Sprintf(t.FollowHint, followCmd.In(env, t.Lang)))
	if place := placeLine(env.Conference); place != "" {
		fmt.Fprintf(&b, "\n📍 %s", place)
	}
	return strings.TrimRight(b.String(), "\n")
}

// SpeakerLine names a talk's speakers: the author by display name, then
// the co-speakers; a talk whose author asked to be forgotten keeps only the
// names the programme showed.
func SpeakerLine(ctx context.Context, env *Env, p *storage.Proposal) string {
	if p.Author == "" {
		return p.Speakers
	}
	s := env.Names.DisplayName(ctx, p.Author)
	if p.Speakers != "" {
		s += ", " + p.Speakers
	}
	return s
}

func Capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// PublishedTalks returns the programme's talks once published, nil before.
func PublishedTalks(ctx context.Context, env *Env) ([]*storage.Proposal, error) {
	pub, err := published(ctx, env)
	if err != nil || pub.IsZero() {
		return nil, err
	}
	talks, err := env.Store.Proposals.Scheduled(ctx, env.ConferenceID)
	if talks == nil && err == nil {
		talks = []*storage.Proposal{}
	}
	return talks, err
}
