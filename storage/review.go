package storage

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/id"
)

// Review is one organiser's private score of a proposal.
type Review struct {
	ProposalID int64
	Reviewer   id.UserID
	Score      int
	Comment    string
	UpdatedAt  time.Time
}

// Scan reads a review row.
func (r *Review) Scan(row dbutil.Scannable) (*Review, error) {
	var at int64
	if err := row.Scan(&r.ProposalID, &r.Reviewer, &r.Score, &r.Comment, &at); err != nil {
		return nil, err
	}
	r.UpdatedAt = time.UnixMilli(at)
	return r, nil
}

// Reviews is the review table.
type Reviews struct {
	*dbutil.QueryHelper[*Review]
}

const (
	upsertReviewQuery = `INSERT INTO review (proposal_id, reviewer, score, comment, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (proposal_id, reviewer) DO UPDATE SET score=excluded.score, comment=excluded.comment, updated_at=excluded.updated_at`
	reviewsOfQuery = `SELECT proposal_id, reviewer, score, comment, updated_at FROM review WHERE proposal_id=$1 ORDER BY updated_at, reviewer`
)

// Put stores an organiser's review, replacing their previous one.
func (rs *Reviews) Put(ctx context.Context, r *Review) error {
	if err := rs.Exec(ctx, upsertReviewQuery, r.ProposalID, r.Reviewer, r.Score, r.Comment, r.UpdatedAt.UnixMilli()); err != nil {
		return fmt.Errorf("store review: %w", err)
	}
	return nil
}

// By returns the reviews an organiser wrote.
func (rs *Reviews) By(ctx context.Context, reviewer id.UserID) ([]*Review, error) {
	return rs.many(ctx, `SELECT proposal_id, reviewer, score, comment, updated_at FROM review WHERE reviewer=$1 ORDER BY proposal_id`, reviewer)
}

// Of returns the reviews of a proposal.
func (rs *Reviews) Of(ctx context.Context, pid int64) ([]*Review, error) {
	return rs.many(ctx, reviewsOfQuery, pid)
}

func (rs *Reviews) many(ctx context.Context, query string, args ...any) ([]*Review, error) {
	list, err := rs.QueryMany(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list reviews: %w", err)
	}
	return list, nil
}
