package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/storage"
)

var (
	myDataCmd = &Spec{Name: "mesdonnees", English: "mydata", Aliases: []string{"mesdonnées"}, Help: Help{
		FR: "recevoir tout ce que le bot garde sur vous",
		EN: "get everything the bot keeps about you",
	}}
	forgetCmd = &Spec{Name: "oublier", English: "forget", Args: AnyArgs, Help: Help{
		FR: "effacer vos données",
		EN: "erase your data",
	}}
)

// privacyCommands let members see and erase what the bot holds about them.
func privacyCommands() []command {
	return []command{
		{myDataCmd, myData},
		{forgetCmd, forget},
	}
}

// personalData is everything stored about a member, as !mesdonnees sends it.
type personalData struct {
	User        id.UserID             `json:"user_id"`
	GeneratedAt string                `json:"generated_at"`
	Proposals   []ExportedProposal    `json:"proposals"`
	Reviews     []exportedReview      `json:"reviews_written"`
	Reminders   *storage.ReminderPref `json:"reminder_preference,omitempty"`
	Draft       *storage.Draft        `json:"proposal_being_written,omitempty"`
	DirectChat  id.RoomID             `json:"direct_chat,omitempty"`
	Following   []int64               `json:"talks_followed,omitempty"`
}

type exportedReview struct {
	Proposal int64  `json:"proposal"`
	Score    int    `json:"score"`
	Comment  string `json:"comment"`
}

func myData(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	st, loc := env.Store, env.Conference.Location
	data := personalData{User: req.Sender, GeneratedAt: req.Now.In(loc).Format(time.RFC3339)}
	proposals, err := st.Proposals.ByAuthor(ctx, req.Sender)
	if err != nil {
		return nil, err
	}
	for _, p := range proposals {
		data.Proposals = append(data.Proposals, exportProposal(p, req.Sender.String(), loc))
	}
	reviews, err := st.Reviews.By(ctx, req.Sender)
	if err != nil {
		return nil, err
	}
	for _, r := range reviews {
		data.Reviews = append(data.Reviews, exportedReview{Proposal: r.ProposalID, Score: r.Score, Comment: r.Comment})
	}
	if data.Reminders, err = st.Prefs.Get(ctx, req.Sender); err != nil {
		return nil, err
	}
	follows, err := st.Follows.Of(ctx, req.Sender)
	if err != nil {
		return nil, err
	}
	for _, f := range follows {
		data.Following = append(data.Following, f.ProposalID)
	}
	if d, err := st.Dialogs.Get(ctx, req.Sender); err != nil {
		return nil, err
	} else if d != nil {
		data.Draft = &d.Draft
	}
	if data.DirectChat, err = st.DirectRooms.Get(ctx, req.Sender); err != nil {
		return nil, err
	}
	body, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		return nil, err
	}
	file := &File{Name: "mes-donnees-bluehats.json", MIME: "application/json", Data: body}
	intro := fmt.Sprintf(req.T.MyDataIntro, forgetCmd.In(env, req.Lang))
	return &Reply{Parts: []Part{{Markdown: intro, To: ToSender}, {File: file, To: ToSender}}}, nil
}

func forget(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	typed := req.Typed
	if !isAnswer(req.Args, "confirmer", "confirm") {
		return Text(fmt.Sprintf(t.ForgetAsk, typed+" "+word(req, "confirmer", "confirm"))), nil
	}
	pub, err := published(ctx, env)
	if err != nil {
		return nil, err
	}
	kept, err := env.Store.Forget(ctx, req.Sender, !pub.IsZero(), env.Names.DisplayName(ctx, req.Sender))
	if err != nil {
		return nil, err
	}
	reply := Text(t.Forgotten)
	if len(kept) > 0 {
		reply.Parts[0].Markdown += "\n\n" + fmt.Sprintf(t.ForgottenKept, esc(strings.Join(kept, " », « ")))
		// Organisers listed by name hear it by direct chat; those who are
		// organisers by power level, in the organiser rooms.
		orga := i18n.Get(env.DefaultLang)
		note := fmt.Sprintf(orga.ForgottenOrganisers, esc(req.Sender.String()), esc(strings.Join(kept, " », « ")))
		for _, o := range env.Organisers {
			reply.Add(Part{To: ToUser, User: o, Key: fmt.Sprintf("forget:%s:%s:%d", req.Sender, o, req.Now.UnixNano()), Kind: storage.KindNotice, Markdown: note})
		}
		reply.Add(Part{To: ToOrganiserRooms, Key: fmt.Sprintf("forget:%s:rooms:%d", req.Sender, req.Now.UnixNano()), Kind: storage.KindNotice, Markdown: note})
	}
	return reply, nil
}
