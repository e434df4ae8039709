package storage

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/id"
)

// HandledEvents is the handled_event table: the messages already answered.
type HandledEvents struct {
	db *dbutil.Database
}

const (
	isHandledQuery   = `SELECT EXISTS(SELECT 1 FROM handled_event WHERE event_id=$1)`
	markHandledQuery = `INSERT INTO handled_event (event_id, room_id, sender, handled_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (event_id) DO NOTHING`
	pruneHandledQuery = `DELETE FROM handled_event WHERE handled_at < $1`
)

// Has tells whether a message was already answered.
func (h *HandledEvents) Has(ctx context.Context, evt id.EventID) (bool, error) {
	var ok bool
	if err := h.db.QueryRow(ctx, isHandledQuery, evt).Scan(&ok); err != nil {
		return false, fmt.Errorf("check handled event: %w", err)
	}
	return ok, nil
}

// Mark records a message as answered. It reports false when it already was,
// which lets two racing handlers agree on a single winner.
func (h *HandledEvents) Mark(ctx context.Context, evt id.EventID, room id.RoomID, sender id.UserID, at time.Time) (bool, error) {
	res, err := h.db.Exec(ctx, markHandledQuery, evt, room, sender, at.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("mark handled event: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("mark handled event: %w", err)
	}
	return n == 1, nil
}

// Prune forgets messages answered before a time; they are older than any
// message the bot would still answer.
func (h *HandledEvents) Prune(ctx context.Context, before time.Time) (int64, error) {
	res, err := h.db.Exec(ctx, pruneHandledQuery, before.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("prune handled events: %w", err)
	}
	return res.RowsAffected()
}
