package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/id"
)

// Proposal states.
const (
	StateSubmitted = "submitted"
	StateAccepted  = "accepted"
	StateRejected  = "rejected"
	StateWithdrawn = "withdrawn"
	// StateScheduled is not stored: it filters accepted talks with a slot.
	StateScheduled = "scheduled"
)

// Proposal is a talk proposed for the event.
type Proposal struct {
	ID             int64
	ConferenceID   string // the event it is for; "" for a single-event config
	Author         id.UserID
	Lang           string
	Minutes        int
	Title          string
	Abstract       string
	Administration string
	Speakers       string
	Software       string
	State          string
	DecisionNote   string
	DecidedBy      id.UserID
	DecidedAt      time.Time // zero when undecided
	DecisionSeq    int
	ConfirmedAt    time.Time // zero until the speaker confirms
	SlotStart      time.Time // zero until scheduled
	CreatedAt      time.Time
	UpdatedAt      time.Time

	// Filled by listing queries only.
	ReviewCount int
	ScoreSum    int
}

// Scheduled tells whether the talk has a slot in the programme.
func (p *Proposal) Scheduled() bool { return p.State == StateAccepted && !p.SlotStart.IsZero() }

// DisplayState is the state to show: scheduled talks apart from accepted.
func (p *Proposal) DisplayState() string {
	if p.Scheduled() {
		return StateScheduled
	}
	return p.State
}

// AverageScore returns the mean review score, 0 without reviews.
func (p *Proposal) AverageScore() float64 {
	if p.ReviewCount == 0 {
		return 0
	}
	return float64(p.ScoreSum) / float64(p.ReviewCount)
}

// Proposals is the proposal table.
type Proposals struct {
	*dbutil.QueryHelper[*Proposal]
}

const proposalColumns = `id, conference_id, author, lang, minutes, title, abstract, administration, speakers, software,
	state, decision_note, decided_by, decided_at, decision_seq, confirmed_at, slot_start, created_at, updated_at`

const (
	insertProposalQuery = `INSERT INTO proposal (author, lang, minutes, title, abstract, administration, speakers, software,
		state, created_at, updated_at, conference_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id`
	getProposalQuery    = `SELECT ` + proposalColumns + `, 0, 0 FROM proposal WHERE id=$1`
	updateProposalQuery = `UPDATE proposal SET minutes=$2, title=$3, abstract=$4, administration=$5, speakers=$6, software=$7,
		state=$8, decision_note=$9, decided_by=$10, decided_at=$11, decision_seq=$12, confirmed_at=$13, slot_start=$14, updated_at=$15
		WHERE id=$1`
	byAuthorQuery            = `SELECT ` + proposalColumns + `, 0, 0 FROM proposal WHERE author=$1 ORDER BY id`
	countActiveByAuthorQuery = `SELECT COUNT(*) FROM proposal WHERE author=$1 AND conference_id=$2 AND state<>'withdrawn'`
	listQueryBase            = `SELECT ` + proposalColumns + `,
		(SELECT COUNT(*) FROM review r WHERE r.proposal_id=proposal.id),
		(SELECT COALESCE(SUM(score), 0) FROM review r WHERE r.proposal_id=proposal.id)
		FROM proposal`
	scheduledQuery = `SELECT ` + proposalColumns + `, 0, 0 FROM proposal WHERE conference_id=$1 AND state='accepted' AND slot_start IS NOT NULL ORDER BY slot_start, id`
)

// stateFilter returns the WHERE clause and arguments for an event and a
// state filter.
func stateFilter(conferenceID, state string) (string, []any) {
	switch state {
	case "":
		return " WHERE conference_id=$1", []any{conferenceID}
	case StateScheduled:
		return " WHERE conference_id=$1 AND state='accepted' AND slot_start IS NOT NULL", []any{conferenceID}
	case StateAccepted:
		return " WHERE conference_id=$1 AND state='accepted' AND slot_start IS NULL", []any{conferenceID}
	default:
		return " WHERE conference_id=$1 AND state=$2", []any{conferenceID, state}
	}
}

// Scan reads a proposal row: its columns, then its review count and sum.
func (p *Proposal) Scan(row dbutil.Scannable) (*Proposal, error) {
	var decidedAt, confirmedAt, slot sql.NullInt64
	var created, updated int64
	err := row.Scan(&p.ID, &p.ConferenceID, &p.Author, &p.Lang, &p.Minutes, &p.Title, &p.Abstract, &p.Administration, &p.Speakers, &p.Software,
		&p.State, &p.DecisionNote, &p.DecidedBy, &decidedAt, &p.DecisionSeq, &confirmedAt, &slot, &created, &updated,
		&p.ReviewCount, &p.ScoreSum)
	if err != nil {
		return nil, err
	}
	p.DecidedAt, p.ConfirmedAt, p.SlotStart = fromMilli(decidedAt), fromMilli(confirmedAt), fromMilli(slot)
	p.CreatedAt, p.UpdatedAt = time.UnixMilli(created), time.UnixMilli(updated)
	return p, nil
}

func fromMilli(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64)
}

func toMilli(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

// Insert stores a new proposal and sets its ID.
func (ps *Proposals) Insert(ctx context.Context, p *Proposal) error {
	if p.State == "" {
		p.State = StateSubmitted
	}
	err := ps.GetDB().QueryRow(ctx, insertProposalQuery, p.Author, p.Lang, p.Minutes, p.Title, p.Abstract, p.Administration,
		p.Speakers, p.Software, p.State, p.CreatedAt.UnixMilli(), p.ConferenceID).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("insert proposal: %w", err)
	}
	p.UpdatedAt = p.CreatedAt
	return nil
}

// Get returns a proposal, or nil when there is none with that number.
func (ps *Proposals) Get(ctx context.Context, pid int64) (*Proposal, error) {
	p, err := ps.QueryOne(ctx, getProposalQuery, pid)
	if err != nil {
		return nil, fmt.Errorf("get proposal %d: %w", pid, err)
	}
	return p, nil
}

// Update writes every mutable field of a proposal.
func (ps *Proposals) Update(ctx context.Context, p *Proposal) error {
	err := ps.Exec(ctx, updateProposalQuery, p.ID, p.Minutes, p.Title, p.Abstract, p.Administration, p.Speakers, p.Software,
		p.State, p.DecisionNote, p.DecidedBy, toMilli(p.DecidedAt), p.DecisionSeq, toMilli(p.ConfirmedAt), toMilli(p.SlotStart),
		p.UpdatedAt.UnixMilli())
	if err != nil {
		return fmt.Errorf("update proposal %d: %w", p.ID, err)
	}
	return nil
}

// ByAuthor returns an author's proposals, oldest first.
func (ps *Proposals) ByAuthor(ctx context.Context, author id.UserID) ([]*Proposal, error) {
	return ps.many(ctx, byAuthorQuery, author)
}

// CountActive counts an author's proposals for an event that are not withdrawn.
func (ps *Proposals) CountActive(ctx context.Context, conferenceID string, author id.UserID) (int, error) {
	var n int
	if err := ps.GetDB().QueryRow(ctx, countActiveByAuthorQuery, author, conferenceID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count proposals: %w", err)
	}
	return n, nil
}

// List returns one page of an event's proposals in a state ("" for all),
// with their review counts, and the total number in that state.
func (ps *Proposals) List(ctx context.Context, conferenceID, state string, limit, offset int) ([]*Proposal, int, error) {
	where, args := stateFilter(conferenceID, state)
	var total int
	if err := ps.GetDB().QueryRow(ctx, `SELECT COUNT(*) FROM proposal`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count proposals: %w", err)
	}
	n := len(args)
	query := fmt.Sprintf("%s%s ORDER BY id LIMIT $%d OFFSET $%d", listQueryBase, where, n+1, n+2)
	list, err := ps.many(ctx, query, append(args, limit, offset)...)
	return list, total, err
}

// All returns every proposal of an event with its review counts, for exports.
func (ps *Proposals) All(ctx context.Context, conferenceID string) ([]*Proposal, error) {
	return ps.many(ctx, listQueryBase+" WHERE conference_id=$1 ORDER BY id", conferenceID)
}

// Scheduled returns the talks of an event's programme, in time order.
func (ps *Proposals) Scheduled(ctx context.Context, conferenceID string) ([]*Proposal, error) {
	return ps.many(ctx, scheduledQuery, conferenceID)
}

func (ps *Proposals) many(ctx context.Context, query string, args ...any) ([]*Proposal, error) {
	list, err := ps.QueryMany(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list proposals: %w", err)
	}
	return list, nil
}

// CountByState counts proposals by displayed state (scheduled apart from
// accepted).
func (ps *Proposals) CountByState(ctx context.Context) (map[string]int, error) {
	rows, err := ps.GetDB().Query(ctx, `SELECT CASE WHEN state='accepted' AND slot_start IS NOT NULL THEN 'scheduled' ELSE state END, COUNT(*)
		FROM proposal GROUP BY 1`)
	if err != nil {
		return nil, fmt.Errorf("count proposals: %w", err)
	}
	defer rows.Close()
	out := map[string]int{StateSubmitted: 0, StateAccepted: 0, StateRejected: 0, StateWithdrawn: 0, StateScheduled: 0}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("count proposals: %w", err)
		}
		out[state] = n
	}
	return out, rows.Err()
}
