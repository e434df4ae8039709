package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/match"
	"github.com/bluehats/bluehats-bot/storage"
)

// Limits of proposal fields, in characters.
const (
	MaxTitle          = 200
	MaxAbstract       = 4000
	MaxAdministration = 200
	MaxSpeakers       = 300
	MaxSoftware       = 200
)

var (
	proposeCmd = &Spec{Name: "proposer", English: "propose", Args: AnyArgs, Help: Help{
		FR: "proposer une intervention, en une ligne ou pas à pas",
		EN: "propose a talk, in one line or step by step",
	}}
	myProposalsCmd = &Spec{Name: "mespropositions", English: "myproposals", Aliases: []string{"mes-propositions"}, Help: Help{
		FR: "vos propositions et leur état",
		EN: "your proposals and their state",
	}}
	editCmd = &Spec{Name: "modifier", English: "edit", Args: AnyArgs, Help: Help{
		FR: "modifier une de vos propositions avant la date limite",
		EN: "edit one of your proposals before the deadline",
	}}
	withdrawCmd = &Spec{Name: "retirer", English: "withdraw", Args: AnyArgs, Help: Help{
		FR: "retirer une de vos propositions",
		EN: "withdraw one of your proposals",
	}}
	confirmCmd = &Spec{Name: "confirmer", English: "confirm", Args: AnyArgs, Help: Help{
		FR: "confirmer votre venue une fois votre proposition acceptée",
		EN: "confirm you will come once accepted",
	}}
)

// proposalCommands are the speakers' commands.
func proposalCommands() []command {
	return []command{
		{proposeCmd, propose},
		{myProposalsCmd, myProposals},
		{editCmd, edit},
		{withdrawCmd, withdraw},
		{confirmCmd, confirm},
	}
}

// fieldError is a validation problem, already worded for the user.
type fieldError struct{ msg string }

func (e fieldError) Error() string { return e.msg }

func invalid(msg string) error { return fieldError{msg} }

// userMessage returns the wording of a validation error, or "" for other errors.
func userMessage(err error) string {
	var fe fieldError
	if errors.As(err, &fe) {
		return fe.msg
	}
	return ""
}

// splitFields splits "a | b | c" on unescaped bars; "\|" is a literal bar.
func splitFields(s string) []string {
	var fields []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '|':
			cur.WriteByte('|')
			i++
		case s[i] == '|':
			fields = append(fields, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(s[i])
		}
	}
	fields = append(fields, cur.String())
	for i := range fields {
		fields[i] = cleanText(fields[i])
	}
	return fields
}

// cleanText trims a field, counting invisible characters (zero-width
// spaces, direction marks) as blank so that a "title" made only of them is
// empty.
func cleanText(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) })
	return s
}

// parseMinutes reads "15", "15min", "15 min", "15'".
func parseMinutes(s string) (int, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	for _, suf := range []string{"minutes", "minute", "mins", "min", "mn", "'", "m"} {
		if strings.HasSuffix(s, suf) {
			s = strings.TrimSpace(strings.TrimSuffix(s, suf))
			break
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// parseOneLine reads "15 Titre | Résumé [| administration [| co-intervenants]]".
func parseOneLine(t *i18n.Text, args string) (storage.Draft, string, error) {
	fields := splitFields(args)
	if len(fields) > 4 {
		return storage.Draft{}, "", invalid(t.ErrTooManyFields)
	}
	head := fields[0]
	num, title, _ := strings.Cut(head, " ")
	// "15min Titre" and "15 min Titre" both read as 15 minutes.
	if rest, ok := strings.CutPrefix(strings.TrimSpace(title), "min"); ok && (rest == "" || rest[0] == ' ') {
		num, title = num+"min", rest
	}
	minutes, ok := parseMinutes(num)
	if !ok {
		return storage.Draft{}, "", invalid(t.ErrDurationMissing)
	}
	d := storage.Draft{Minutes: minutes, Title: cleanText(title)}
	if len(fields) < 2 {
		return d, "", invalid(t.ErrAbstractMissing)
	}
	d.Abstract = fields[1]
	if len(fields) > 2 {
		d.Administration = fields[2]
	}
	speakers := ""
	if len(fields) > 3 {
		speakers = fields[3]
	}
	return d, speakers, nil
}

// validateDraft checks a proposal's fields against the call for talks.
func validateDraft(env *Env, t *i18n.Text, d storage.Draft, speakers string) error {
	cft := env.Conference.Proposals
	if d.Minutes < cft.MinMinutes || d.Minutes > cft.MaxMinutes {
		return invalid(fmt.Sprintf(t.ErrDuration, cft.MinMinutes, cft.MaxMinutes, d.Minutes))
	}
	checks := []struct {
		val      string
		max      int
		name     string
		required bool
	}{
		{d.Title, MaxTitle, t.FieldTitle, true},
		{d.Abstract, MaxAbstract, t.FieldAbstract, true},
		{d.Administration, MaxAdministration, t.FieldAdministration, false},
		{speakers, MaxSpeakers, t.FieldSpeakers, false},
		{d.Software, MaxSoftware, t.FieldSoftware, false},
	}
	for _, c := range checks {
		if c.required && c.val == "" {
			return invalid(fmt.Sprintf(t.ErrFieldEmpty, c.name))
		}
		if n := utf8.RuneCountInString(c.val); n > c.max {
			return invalid(fmt.Sprintf(t.ErrFieldTooLong, c.name, c.max, n))
		}
	}
	return nil
}

// checkOpen says whether proposals are still accepted from this user.
func checkOpen(ctx context.Context, env *Env, req *Request) error {
	cft, t := env.Conference.Proposals, req.T
	if closed(req.Now, cft.Deadline) {
		return invalid(fmt.Sprintf(t.ErrDeadlinePassed, t.Deadline(cft.Deadline.In(env.Conference.Location)), contactOrDash(env, t)))
	}
	if cft.MaxPerPerson > 0 {
		n, err := env.Store.Proposals.CountActive(ctx, env.ConferenceID, req.Sender)
		if err != nil {
			return err
		}
		if n >= cft.MaxPerPerson {
			return invalid(fmt.Sprintf(t.ErrTooManyProposals, t.Count(n, t.Proposals), cft.MaxPerPerson, withdrawCmd.In(env, req.Lang)))
		}
	}
	return nil
}

func contactOrDash(env *Env, t *i18n.Text) string {
	if env.Conference.Contact == "" {
		return t.NoContact
	}
	return mailLink(env.Conference.Contact)
}

// word is an argument word in the request's language ("oui", "on").
func word(req *Request, fr, en string) string {
	if req.Lang == i18n.EN {
		return en
	}
	return fr
}

// closed tells whether a deadline has passed. A deadline holds for its
// whole last second: "23h59" is 23:59:59, and a message at 23:59:59.6 is on
// time.
func closed(now, deadline time.Time) bool {
	return !deadline.IsZero() && !now.Before(deadline.Truncate(time.Second).Add(time.Second))
}

// failed turns a validation error into the reply that explains it; other
// errors go up (and the transaction is rolled back).
func failed(err error) (*Reply, error) {
	if msg := userMessage(err); msg != "" {
		return Text("⚠️ " + msg), nil
	}
	return nil, err
}

func propose(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	if err := checkOpen(ctx, env, req); err != nil {
		return failed(err)
	}
	if req.Args == "" {
		return startDialog(ctx, env, req)
	}
	d, speakers, err := parseOneLine(req.T, req.Args)
	if err == nil {
		err = validateDraft(env, req.T, d, speakers)
	}
	if err != nil {
		if msg := userMessage(err); msg != "" {
			return Text("⚠️ " + msg + "\n\n" + fmt.Sprintf(req.T.ProposeUsage, req.Typed, req.Typed)), nil
		}
		return nil, err
	}
	return storeProposal(ctx, env, req, d, speakers)
}

// storeProposal inserts a validated proposal and says what was stored.
func storeProposal(ctx context.Context, env *Env, req *Request, d storage.Draft, speakers string) (*Reply, error) {
	p := &storage.Proposal{
		ConferenceID: env.ConferenceID, Author: req.Sender, Lang: string(req.Lang), Minutes: d.Minutes, Title: d.Title, Abstract: d.Abstract,
		Administration: d.Administration, Speakers: speakers, Software: d.Software, CreatedAt: req.Now,
	}
	if err := env.Store.Proposals.Insert(ctx, p); err != nil {
		return nil, err
	}
	t := req.T
	details := fmt.Sprintf(t.ProposalStored, p.ID) + "\n\n" + proposalSummary(t, p) + "\n\n" +
		fmt.Sprintf(t.ProposalNext, myProposalsCmd.In(env, req.Lang),
			editCmd.In(env, req.Lang), p.ID, withdrawCmd.In(env, req.Lang), p.ID)
	if req.Direct {
		return Text(details), nil
	}
	return &Reply{Parts: []Part{
		{Markdown: fmt.Sprintf(t.ProposalStoredBrief, p.ID, esc(p.Title))},
		{Markdown: details, To: ToSender},
	}}, nil
}

// proposalSummary shows the fields of a proposal, escaped.
func proposalSummary(t *i18n.Text, p *storage.Proposal) string {
	lines := []string{
		fmt.Sprintf("- **%s** : %d min", t.FieldDuration, p.Minutes),
		fmt.Sprintf("- **%s** : %s", t.FieldTitle, esc(p.Title)),
		fmt.Sprintf("- **%s** : %s", t.FieldAbstract, esc(p.Abstract)),
	}
	for _, f := range []struct{ name, val string }{
		{t.FieldAdministration, p.Administration},
		{t.FieldSpeakers, p.Speakers},
		{t.FieldSoftware, p.Software},
	} {
		if f.val != "" {
			lines = append(lines, fmt.Sprintf("- **%s** : %s", f.name, esc(f.val)))
		}
	}
	return localiseColons(strings.Join(lines, "\n"), t.Lang)
}

// decisionVisible tells whether the author may see the decision yet:
// decisions are held back until the announced response time.
func decisionVisible(env *Env, p *storage.Proposal, now time.Time) bool {
	if p.State != storage.StateAccepted && p.State != storage.StateRejected {
		return true
	}
	cft := env.Conference.Proposals
	return cft.NotifyImmediately || cft.ResponseDate.IsZero() || !now.Before(cft.DecisionTime(env.Conference.Location))
}

// stateLabel words a proposal's state for someone, hiding a decision not
// yet released from its author.
func stateLabel(env *Env, t *i18n.Text, p *storage.Proposal, now time.Time, organiser bool) string {
	if !organiser && !decisionVisible(env, p, now) {
		return t.States[storage.StateSubmitted]
	}
	label := t.States[p.DisplayState()]
	if p.Scheduled() {
		label += " — " + t.DateTime(p.SlotStart.In(env.Conference.Location))
	}
	if p.State == storage.StateAccepted {
		if p.ConfirmedAt.IsZero() {
			label += " · " + t.Unconfirmed
		} else {
			label += " · " + t.Confirmed
		}
	}
	return label
}

func myProposals(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	list, err := env.Store.Proposals.ByAuthor(ctx, req.Sender)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return Text(fmt.Sprintf(t.NoProposals, proposeCmd.In(env, req.Lang))), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n\n", t.MyProposalsTitle)
	for _, p := range list {
		fmt.Fprintf(&b, "- n°%d · %d min · « %s » — %s\n", p.ID, p.Minutes, esc(p.Title), stateLabel(env, t, p, req.Now, false))
	}
	return privately(req, strings.TrimRight(b.String(), "\n")), nil
}

// parseID reads a proposal number ("12", "n°12", "#12").
func parseID(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	for _, p := range []string{"n°", "no", "#"} {
		s = strings.TrimPrefix(s, p)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// loadOwned returns the proposal numbered by the first argument if the
// sender may change it: its author, or an organiser.
func loadOwned(ctx context.Context, env *Env, req *Request, usage string) (*storage.Proposal, string, error) {
	p, rest, err := getProposal(ctx, env, req, usage)
	// Someone else's proposal reads as missing: its existence is not theirs to know.
	if err == nil && p.Author != req.Sender && !req.Organiser {
		return nil, "", invalid(fmt.Sprintf(req.T.ErrNoSuchProposal, p.ID))
	}
	return p, rest, err
}

// editableFields maps the names of !modifier's fields (French, English,
// without accents) to the field.
var editableFields = map[string]string{
	"titre": "title", "title": "title",
	"resume": "abstract", "abstract": "abstract", "description": "abstract",
	"duree": "minutes", "duration": "minutes", "minutes": "minutes",
	"administration": "administration", "admin": "administration",
	"intervenants": "speakers", "co-intervenants": "speakers", "cointervenants": "speakers", "speakers": "speakers",
	"logiciel": "software", "software": "software",
}

func edit(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	usage := fmt.Sprintf(t.EditUsage, req.Typed)
	p, rest, err := loadOwned(ctx, env, req, usage)
	if err != nil {
		return failed(err)
	}
	if p.State == storage.StateWithdrawn {
		return failed(invalid(fmt.Sprintf(t.ErrWithdrawn, p.ID)))
	}
	if !req.Organiser && closed(req.Now, env.Conference.Proposals.Deadline) {
		return failed(invalid(fmt.Sprintf(t.ErrEditClosed, t.Deadline(env.Conference.Proposals.Deadline.In(env.Conference.Location)), contactOrDash(env, t))))
	}
	name, value, _ := strings.Cut(rest, " ")
	field, ok := editableFields[matchKey(name)]
	if !ok {
		return failed(invalid(usage))
	}
	value = cleanText(value)
	d := storage.Draft{Minutes: p.Minutes, Title: p.Title, Abstract: p.Abstract, Administration: p.Administration, Software: p.Software}
	speakers := p.Speakers
	switch field {
	case "title":
		d.Title = value
	case "abstract":
		d.Abstract = value
	case "administration":
		d.Administration = value
	case "speakers":
		speakers = value
	case "software":
		d.Software = value
	case "minutes":
		n, ok := parseMinutes(value)
		if !ok {
			return failed(invalid(t.ErrDurationMissing))
		}
		d.Minutes = n
	}
	if err := validateDraft(env, t, d, speakers); err != nil {
		return failed(err)
	}
	p.Minutes, p.Title, p.Abstract, p.Administration, p.Software, p.Speakers = d.Minutes, d.Title, d.Abstract, d.Administration, d.Software, speakers
	p.UpdatedAt = req.Now
	if err := env.Store.Proposals.Update(ctx, p); err != nil {
		return nil, err
	}
	return privately(req, fmt.Sprintf(t.ProposalUpdated, p.ID)+"\n\n"+proposalSummary(t, p)), nil
}

func withdraw(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	p, _, err := loadOwned(ctx, env, req, fmt.Sprintf(t.IDUsage, req.Typed))
	if err != nil {
		return failed(err)
	}
	if p.State == storage.StateWithdrawn {
		return failed(invalid(fmt.Sprintf(t.ErrWithdrawn, p.ID)))
	}
	if !req.Organiser && closed(req.Now, env.Conference.Proposals.Deadline) {
		return failed(invalid(fmt.Sprintf(t.ErrWithdrawClosed, contactOrDash(env, t))))
	}
	reply := &Reply{}
	if p.Scheduled() {
		reply, err = programmeChange(ctx, env, req, p, time.Time{})
		if err != nil {
			return nil, err
		}
	}
	p.State, p.SlotStart, p.UpdatedAt = storage.StateWithdrawn, time.Time{}, req.Now
	// A decision not yet told is moot now.
	reply.Cancel = append(reply.Cancel, decisionKey(p))
	if err := env.Store.Proposals.Update(ctx, p); err != nil {
		return nil, err
	}
	reply.Parts = append([]Part{{Markdown: fmt.Sprintf(t.ProposalWithdrawn, p.ID, esc(p.Title))}}, reply.Parts...)
	return reply, nil
}

func confirm(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	first, _, _ := strings.Cut(req.Args, " ")
	pid, ok := parseID(first)
	if !ok {
		return failed(invalid(fmt.Sprintf(t.IDUsage, req.Typed)))
	}
	p, err := env.Store.Proposals.Get(ctx, pid)
	if err != nil {
		return nil, err
	}
	if p == nil || p.Author != req.Sender {
		return failed(invalid(fmt.Sprintf(t.ErrNoSuchProposal, pid)))
	}
	if p.State != storage.StateAccepted || !decisionVisible(env, p, req.Now) {
		return failed(invalid(fmt.Sprintf(t.ErrNotAccepted, p.ID)))
	}
	if !p.ConfirmedAt.IsZero() {
		return Text(fmt.Sprintf(t.AlreadyConfirmed, p.ID)), nil
	}
	p.ConfirmedAt, p.UpdatedAt = req.Now, req.Now
	if err := env.Store.Proposals.Update(ctx, p); err != nil {
		return nil, err
	}
	return Text(fmt.Sprintf(t.ProposalConfirmed, p.ID, esc(p.Title))), nil
}

// matchKey folds a typed word for lookups: lower case, no accents.
func matchKey(s string) string { return strings.ReplaceAll(match.Normalize(s), " ", "-") }

// ProposeCommand is !proposer as typed in a language, for the web page.
func ProposeCommand(env *Env, l i18n.Lang) string { return proposeCmd.In(env, l) }
