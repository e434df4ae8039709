package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/id"
)

// Dialog is a proposal being written field by field in a direct chat; it
// is stored after each answer so that it survives a restart.
type Dialog struct {
	User      id.UserID
	Lang      string
	Step      string
	Draft     Draft
	UpdatedAt time.Time
}

// Draft holds the fields of a proposal given so far.
type Draft struct {
	Minutes        int    `json:"minutes,omitempty"`
	Title          string `json:"title,omitempty"`
	Abstract       string `json:"abstract,omitempty"`
	Administration string `json:"administration,omitempty"`
	Software       string `json:"software,omitempty"`
}

// Scan reads a dialog row.
func (d *Dialog) Scan(row dbutil.Scannable) (*Dialog, error) {
	var draft string
	var at int64
	if err := row.Scan(&d.User, &d.Lang, &d.Step, &draft, &at); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(draft), &d.Draft); err != nil {
		return nil, fmt.Errorf("read dialog draft: %w", err)
	}
	d.UpdatedAt = time.UnixMilli(at)
	return d, nil
}

// Dialogs is the dialog table.
type Dialogs struct {
	*dbutil.QueryHelper[*Dialog]
}

const (
	getDialogQuery = `SELECT user_id, lang, step, draft, updated_at FROM dialog WHERE user_id=$1`
	putDialogQuery = `INSERT INTO dialog (user_id, lang, step, draft, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id) DO UPDATE SET lang=excluded.lang, step=excluded.step, draft=excluded.draft, updated_at=excluded.updated_at`
	deleteDialogQuery = `DELETE FROM dialog WHERE user_id=$1`
)

// Get returns a user's dialog, or nil.
func (ds *Dialogs) Get(ctx context.Context, user id.UserID) (*Dialog, error) {
	d, err := ds.QueryOne(ctx, getDialogQuery, user)
	if err != nil {
		return nil, fmt.Errorf("get dialog: %w", err)
	}
	return d, nil
}

// Put stores a dialog.
func (ds *Dialogs) Put(ctx context.Context, d *Dialog) error {
	draft, err := json.Marshal(d.Draft)
	if err != nil {
		return fmt.Errorf("write dialog draft: %w", err)
	}
	if err := ds.Exec(ctx, putDialogQuery, d.User, d.Lang, d.Step, string(draft), d.UpdatedAt.UnixMilli()); err != nil {
		return fmt.Errorf("store dialog: %w", err)
	}
	return nil
}

// Delete ends a user's dialog.
func (ds *Dialogs) Delete(ctx context.Context, user id.UserID) error {
	if err := ds.Exec(ctx, deleteDialogQuery, user); err != nil {
		return fmt.Errorf("delete dialog: %w", err)
	}
	return nil
}
