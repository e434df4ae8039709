package storage

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/id"
)

// FiredReminders is the reminder_fired table: reminders already handled.
type FiredReminders struct {
	db *dbutil.Database
}

const (
	firedIDsQuery  = `SELECT id FROM reminder_fired`
	markFiredQuery = `INSERT INTO reminder_fired (id, decision, fired_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`
)

// IDs returns the IDs of every handled reminder.
func (f *FiredReminders) IDs(ctx context.Context) (map[string]bool, error) {
	rows, err := f.db.Query(ctx, firedIDsQuery)
	ids, err := dbutil.NewRowIterWithError(rows, dbutil.ScanSingleColumn[string], err).AsList()
	if err != nil {
		return nil, fmt.Errorf("list fired reminders: %w", err)
	}
	out := make(map[string]bool, len(ids))
	for _, i := range ids {
		out[i] = true
	}
	return out, nil
}

// Mark records a reminder as handled; false when it already was.
func (f *FiredReminders) Mark(ctx context.Context, reminderID, decision string, at time.Time) (bool, error) {
	res, err := f.db.Exec(ctx, markFiredQuery, reminderID, decision, at.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("mark reminder fired: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ReminderPref is a member's choice about reminders by direct chat.
type ReminderPref struct {
	User    id.UserID
	Enabled bool
	Lang    string
}

// Scan reads a preference row.
func (p *ReminderPref) Scan(row dbutil.Scannable) (*ReminderPref, error) {
	if err := row.Scan(&p.User, &p.Enabled, &p.Lang); err != nil {
		return nil, err
	}
	return p, nil
}

// ReminderPrefs is the reminder_pref table.
type ReminderPrefs struct {
	*dbutil.QueryHelper[*ReminderPref]
}

const (
	putPrefQuery = `INSERT INTO reminder_pref (user_id, enabled, lang, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id) DO UPDATE SET enabled=excluded.enabled, lang=excluded.lang, updated_at=excluded.updated_at`
	getPrefQuery = `SELECT user_id, enabled, lang FROM reminder_pref WHERE user_id=$1`
	// Recipients of a reminder: those who opted in, plus, for speakers'
	// reminders, authors of live proposals who did not opt out.
	recipientsQuery = `SELECT user_id, enabled, lang FROM reminder_pref WHERE enabled
		UNION
		SELECT p.author, true, MIN(p.lang) FROM proposal p
			WHERE $1 AND p.conference_id = $2 AND p.state <> 'withdrawn'
			AND NOT EXISTS (SELECT 1 FROM reminder_pref r WHERE r.user_id = p.author)
			GROUP BY p.author
		ORDER BY 1`
)

// Put stores a member's choice.
func (r *ReminderPrefs) Put(ctx context.Context, p ReminderPref, at time.Time) error {
	if err := r.Exec(ctx, putPrefQuery, p.User, p.Enabled, p.Lang, at.UnixMilli()); err != nil {
		return fmt.Errorf("store reminder preference: %w", err)
	}
	return nil
}

// Get returns a member's choice, nil if they never made one.
func (r *ReminderPrefs) Get(ctx context.Context, user id.UserID) (*ReminderPref, error) {
	p, err := r.QueryOne(ctx, getPrefQuery, user)
	if err != nil {
		return nil, fmt.Errorf("get reminder preference: %w", err)
	}
	return p, nil
}

// Recipients returns who gets a reminder by direct chat, with their
// language: members who opted in, and with speakers set, the authors of
// the event's proposals who did not opt out.
func (r *ReminderPrefs) Recipients(ctx context.Context, speakers bool, conferenceID string) ([]*ReminderPref, error) {
	list, err := r.QueryMany(ctx, recipientsQuery, speakers, conferenceID)
	if err != nil {
		return nil, fmt.Errorf("list reminder recipients: %w", err)
	}
	return list, nil
}
