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

// PageSize is how many proposals one list message shows.
const PageSize = 20

var (
	proposalsCmd = &Spec{Name: "propositions", English: "proposals", Role: Organiser, Args: AnyArgs, Help: Help{
		FR: "lister les propositions, par état",
		EN: "list the proposals, by state",
	}}
	showCmd = &Spec{Name: "voir", English: "show", Role: Organiser, Args: AnyArgs, Help: Help{
		FR: "voir une proposition en entier, avec les avis",
		EN: "show a whole proposal, with the reviews",
	}}
	reviewCmd = &Spec{Name: "noter", English: "review", Role: Organiser, Args: AnyArgs, Confidential: true, Help: Help{
		FR: "noter une proposition de 1 à 5, avec un commentaire",
		EN: "score a proposal from 1 to 5, with a comment",
	}}
	acceptCmd = &Spec{Name: "accepter", English: "accept", Role: Organiser, Args: AnyArgs, Confidential: true, Help: Help{
		FR: "accepter une proposition (l'auteur est prévenu à la date annoncée)",
		EN: "accept a proposal (the author is told on the announced date)",
	}}
	rejectCmd = &Spec{Name: "refuser", English: "reject", Role: Organiser, Args: AnyArgs, Confidential: true, Help: Help{
		FR: "refuser une proposition",
		EN: "reject a proposal",
	}}
)

// reviewCommands are the organisers' commands to review and decide.
func reviewCommands() []command {
	return []command{
		{proposalsCmd, listProposals},
		{showCmd, showProposal},
		{reviewCmd, reviewProposal},
		{acceptCmd, decide(storage.StateAccepted)},
		{rejectCmd, decide(storage.StateRejected)},
		{exportCmd, export},
	}
}

// stateNames maps the state words organisers type, in both languages.
var stateNames = map[string]string{
	"soumise": storage.StateSubmitted, "soumises": storage.StateSubmitted, "submitted": storage.StateSubmitted,
	"acceptee": storage.StateAccepted, "acceptees": storage.StateAccepted, "accepted": storage.StateAccepted,
	"refusee": storage.StateRejected, "refusees": storage.StateRejected, "rejected": storage.StateRejected,
	"retiree": storage.StateWithdrawn, "retirees": storage.StateWithdrawn, "withdrawn": storage.StateWithdrawn,
	"programmee": storage.StateScheduled, "programmees": storage.StateScheduled, "scheduled": storage.StateScheduled,
	"toutes": "", "all": "",
}

func listProposals(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	state, page := "", 1
	for _, a := range strings.Fields(req.Args) {
		if n, err := strconv.Atoi(a); err == nil && n > 0 {
			page = n
			continue
		}
		s, ok := stateNames[matchKey(a)]
		if !ok {
			return failed(invalid(fmt.Sprintf(t.ErrUnknownState, esc(a))))
		}
		state = s
	}
	list, total, err := env.Store.Proposals.List(ctx, env.ConferenceID, state, PageSize, (page-1)*PageSize)
	if err != nil {
		return nil, err
	}
	if total == 0 {
		return Text(t.NoProposalsYet), nil
	}
	pages := (total + PageSize - 1) / PageSize
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** — %s\n\n", t.ProposalsTitle, fmt.Sprintf(t.PageOf, page, pages, total))
	for _, p := range list {
		fmt.Fprintf(&b, "- n°%d · %s · %d min · « %s » — %s%s\n", p.ID, stateLabel(env, t, p, req.Now, true), p.Minutes,
			esc(p.Title), esc(env.Names.DisplayName(ctx, p.Author)), scoreLabel(t, p))
	}
	if page < pages {
		fmt.Fprintf(&b, "\n"+t.NextPage, strings.TrimSpace(req.Typed+" "+state+" "+strconv.Itoa(page+1)))
	}
	return privately(req, strings.TrimRight(b.String(), "\n")), nil
}

func scoreLabel(t *i18n.Text, p *storage.Proposal) string {
	if p.ReviewCount == 0 {
		return ""
	}
	avg := strconv.FormatFloat(p.AverageScore(), 'f', 1, 64)
	if t.Lang == i18n.FR {
		avg = strings.Replace(avg, ".", ",", 1)
	}
	return fmt.Sprintf(" · ★ %s (%s)", avg, fmt.Sprintf(t.ReviewCount, p.ReviewCount))
}

// getProposal reads the proposal numbered by the first argument.
func getProposal(ctx context.Context, env *Env, req *Request, usage string) (*storage.Proposal, string, error) {
	first, rest, _ := strings.Cut(req.Args, " ")
	pid, ok := parseID(first)
	if !ok {
		return nil, "", invalid(usage)
	}
	p, err := env.Store.Proposals.Get(ctx, pid)
	if err != nil {
		return nil, "", err
	}
	if p == nil {
		return nil, "", invalid(fmt.Sprintf(req.T.ErrNoSuchProposal, pid))
	}
	return p, strings.TrimSpace(rest), nil
}

func showProposal(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	p, _, err := getProposal(ctx, env, req, fmt.Sprintf(t.IDUsage, req.Typed))
	if err != nil {
		return failed(err)
	}
	reviews, err := env.Store.Reviews.Of(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	loc := env.Conference.Location
	var b strings.Builder
	fmt.Fprintf(&b, "**n°%d · « %s »**\n\n", p.ID, esc(p.Title))
	fmt.Fprintf(&b, "- **%s** : %s (%s)\n", t.FieldAuthor, esc(env.Names.DisplayName(ctx, p.Author)), esc(p.Author.String()))
	fmt.Fprintf(&b, "- **%s** : %s\n", t.FieldState, stateLabel(env, t, p, req.Now, true))
	fmt.Fprintf(&b, "- **%s** : %s\n", t.FieldSubmitted, t.DateTime(p.CreatedAt.In(loc)))
	b.WriteString(proposalSummary(t, p) + "\n")
	if p.DecisionNote != "" {
		fmt.Fprintf(&b, "- **%s** : %s\n", t.FieldDecisionNote, esc(p.DecisionNote))
	}
	if len(reviews) > 0 {
		fmt.Fprintf(&b, "\n**%s**%s\n", t.ReviewsTitle, scoreLabel(t, &storage.Proposal{ReviewCount: len(reviews), ScoreSum: sumScores(reviews)}))
		for _, r := range reviews {
			line := fmt.Sprintf("- %s : %d/5", esc(env.Names.DisplayName(ctx, r.Reviewer)), r.Score)
			if r.Comment != "" {
				line += " — " + esc(r.Comment)
			}
			b.WriteString(line + "\n")
		}
	}
	return privately(req, localiseColons(strings.TrimRight(b.String(), "\n"), req.Lang)), nil
}

func sumScores(rs []*storage.Review) int {
	n := 0
	for _, r := range rs {
		n += r.Score
	}
	return n
}

func reviewProposal(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	usage := fmt.Sprintf(t.ReviewUsage, req.Typed)
	p, rest, err := getProposal(ctx, env, req, usage)
	if err != nil {
		return failed(err)
	}
	scoreText, comment, _ := strings.Cut(rest, " ")
	score, err := strconv.Atoi(strings.TrimSuffix(scoreText, "/5"))
	if err != nil || score < 1 || score > 5 {
		return failed(invalid(usage))
	}
	comment = cleanText(comment)
	if msg := checkLength(t, comment, t.FieldComment, MaxAbstract, false); msg != "" {
		return failed(invalid(msg))
	}
	if err := env.Store.Reviews.Put(ctx, &storage.Review{ProposalID: p.ID, Reviewer: req.Sender, Score: score, Comment: comment, UpdatedAt: req.Now}); err != nil {
		return nil, err
	}
	return Text(fmt.Sprintf(t.ReviewStored, p.ID, score)), nil
}

// decisionKey is the outbox key of the current decision's notification:
// each decision is told once, and a newer one replaces an untold older one.
func decisionKey(p *storage.Proposal) string {
	return fmt.Sprintf("decision:%d:%d", p.ID, p.DecisionSeq)
}

func decide(state string) Handler {
	return func(ctx context.Context, env *Env, req *Request) (*Reply, error) {
		t := req.T
		p, note, err := getProposal(ctx, env, req, fmt.Sprintf(t.DecideUsage, req.Typed))
		if err != nil {
			return failed(err)
		}
		if p.State == storage.StateWithdrawn {
			return failed(invalid(fmt.Sprintf(t.ErrWithdrawn, p.ID)))
		}
		if p.State == state && note == p.DecisionNote {
			return Text(fmt.Sprintf(t.AlreadyDecided, p.ID, t.States[state])), nil
		}
		if msg := checkLength(t, note, t.FieldDecisionNote, MaxAbstract, false); msg != "" {
			return failed(invalid(msg))
		}
		reply := &Reply{Cancel: []string{decisionKey(p)}}
		if p.Scheduled() && state != storage.StateAccepted {
			if reply, err = programmeChange(ctx, env, req, p, time.Time{}); err != nil {
				return nil, err
			}
			reply.Cancel = append(reply.Cancel, decisionKey(p))
			p.SlotStart = time.Time{}
		}
		p.State, p.DecisionNote, p.DecidedBy, p.DecidedAt = state, note, req.Sender, req.Now
		p.DecisionSeq++
		p.ConfirmedAt, p.UpdatedAt = time.Time{}, req.Now
		if err := env.Store.Proposals.Update(ctx, p); err != nil {
			return nil, err
		}
		at := env.Conference.Proposals.DecisionTime(env.Conference.Location)
		if env.Conference.Proposals.NotifyImmediately || !at.After(req.Now) {
			at = time.Time{}
		}
		reply.Parts = append([]Part{
			{Markdown: decidedLine(env, t, p, at)},
			{To: ToUser, User: p.Author, Key: decisionKey(p), At: at, Kind: storage.KindDecision, Proposal: p.ID, Markdown: decisionMessage(env, p)},
		}, reply.Parts...)
		return reply, nil
	}
}

// decidedLine tells the organiser what was decided and when the author hears.
func decidedLine(env *Env, t *i18n.Text, p *storage.Proposal, at time.Time) string {
	when := t.NotifiedNow
	if !at.IsZero() {
		when = fmt.Sprintf(t.NotifiedOn, t.DateTime(at.In(env.Conference.Location)))
	}
	return fmt.Sprintf(t.Decided, p.ID, esc(p.Title), t.States[p.State], when)
}

// decisionMessage is what the author is told, in the language they
// proposed in.
func decisionMessage(env *Env, p *storage.Proposal) string {
	t := i18n.Get(i18n.Lang(p.Lang))
	var msg string
	if p.State == storage.StateAccepted {
		confirm := confirmCmd.In(env, t.Lang)
		msg = fmt.Sprintf(t.DecisionAccepted, p.ID, esc(p.Title)) + "\n\n" + fmt.Sprintf(t.ConfirmHow, confirm, p.ID)
	} else {
		msg = fmt.Sprintf(t.DecisionRejected, p.ID, esc(p.Title))
	}
	if p.DecisionNote != "" {
		msg += "\n\n" + fmt.Sprintf(t.DecisionNote, esc(p.DecisionNote))
	}
	return msg
}
