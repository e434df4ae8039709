package storage

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/id"
)

// Follow is a member following a talk.
type Follow struct {
	User       id.UserID
	ProposalID int64
	Lang       string
	CreatedAt  time.Time
}

// Scan reads a follow row.
func (f *Follow) Scan(row dbutil.Scannable) (*Follow, error) {
	var at int64
	if err := row.Scan(&f.User, &f.ProposalID, &f.Lang, &at); err != nil {
		return nil, err
	}
	f.CreatedAt = time.UnixMilli(at)
	return f, nil
}

// Follows is the follow table.
type Follows struct {
	*dbutil.QueryHelper[*Follow]
}

const (
	followColumns   = `user_id, proposal_id, lang, created_at`
	putFollowQuery  = `INSERT INTO follow (` + followColumns + `) VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, proposal_id) DO UPDATE SET lang=excluded.lang`
	followsOfQuery  = `SELECT ` + followColumns + ` FROM follow WHERE user_id=$1 ORDER BY proposal_id`
	followersQuery  = `SELECT ` + followColumns + ` FROM follow WHERE proposal_id=$1 ORDER BY user_id`
	deleteFollowSQL = `DELETE FROM follow WHERE user_id=$1 AND proposal_id=$2`
)

// Put records that a member follows a talk; following again only updates
// the language.
func (fs *Follows) Put(ctx context.Context, f *Follow) error {
	if err := fs.Exec(ctx, putFollowQuery, f.User, f.ProposalID, f.Lang, f.CreatedAt.UnixMilli()); err != nil {
		return fmt.Errorf("follow talk %d: %w", f.ProposalID, err)
	}
	return nil
}

// Delete stops a member following a talk; it reports whether they did.
func (fs *Follows) Delete(ctx context.Context, user id.UserID, pid int64) (bool, error) {
	res, err := fs.GetDB().Exec(ctx, deleteFollowSQL, user, pid)
	if err != nil {
		return false, fmt.Errorf("unfollow talk %d: %w", pid, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Of returns the talks a member follows.
func (fs *Follows) Of(ctx context.Context, user id.UserID) ([]*Follow, error) {
	list, err := fs.QueryMany(ctx, followsOfQuery, user)
	if err != nil {
		return nil, fmt.Errorf("list followed talks: %w", err)
	}
	return list, nil
}

// Followers returns who follows a talk.
func (fs *Follows) Followers(ctx context.Context, pid int64) ([]*Follow, error) {
	list, err := fs.QueryMany(ctx, followersQuery, pid)
	if err != nil {
		return nil, fmt.Errorf("list followers of talk %d: %w", pid, err)
	}
	return list, nil
}
