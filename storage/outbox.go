package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/id"
)

// OutboxKind says what a queued message is.
type OutboxKind string

// Kinds of queued messages.
const (
	KindReply        OutboxKind = "reply"
	KindAnnouncement OutboxKind = "announcement"
	KindReminder     OutboxKind = "reminder"
	KindDecision     OutboxKind = "decision" // confirmed by reacting ✅; Proposal says which
	KindNotice       OutboxKind = "notice"   // a change organisers or speakers are told of
	KindTalk         OutboxKind = "talk"     // a talk of the published programme: reacting ⭐ follows it
)

// OutboxItem is a message to send exactly once.
type OutboxItem struct {
	Key       string // deterministic: queuing the same message twice is a no-op
	Kind      OutboxKind
	Room      id.RoomID
	User      id.UserID // when set, sent by direct chat to this user
	EventType string
	Content   string    // JSON
	File      *File     // uploaded when sent; Content is then its m.file event without the URL
	Pin       bool      // pinned in its room once sent
	Proposal  int64     // the proposal a decision is about
	DueAt     time.Time // calendar time; zero means at once
	// TriedRoom is where a send was attempted and not recorded: the message
	// may be there already (see the bot's reconciliation).
	TriedRoom id.RoomID
	// StateKey makes the item a state event with this key (nil: a message).
	StateKey *string
	// ThreadOf is the key of the item this one replies to in a thread.
	ThreadOf  string
	CreatedAt time.Time
	SentAt    time.Time
	EventID   id.EventID
	Attempts  int
}

// File is a file to upload with a queued message.
type File struct {
	Name, MIME string
	Data       []byte
}

// MaxSendAttempts bounds how often a queued message is tried; past it, the
// message stays in the table with its last error, for an administrator.
const MaxSendAttempts = 8

// Outbox is the outbox table.
type Outbox struct {
	*dbutil.QueryHelper[*OutboxItem]
}

const (
	enqueueQuery = `INSERT INTO outbox (key, kind, room_id, user_id, event_type, content, file_name, file_mime, file_data, pin, proposal_id, due_at, created_at, state_key, thread_of)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT (key) DO NOTHING`
	cancelQuery   = `DELETE FROM outbox WHERE key=$1 AND sent_at IS NULL`
	outboxColumns = `key, kind, room_id, user_id, event_type, content, file_name, file_mime, file_data, pin, proposal_id, due_at, created_at, sent_at, event_id, attempts, tried_room, state_key, thread_of`
	dueQuery      = `SELECT ` + outboxColumns + ` FROM outbox WHERE sent_at IS NULL AND attempts < $3 AND due_at <= $1
		AND (due_at, created_at, key) > ($4, $5, $6) ORDER BY due_at, created_at, key LIMIT $2`
	getOutboxQuery  = `SELECT ` + outboxColumns + ` FROM outbox WHERE key=$1`
	nextDueQuery    = `SELECT MIN(due_at) FROM outbox WHERE sent_at IS NULL AND attempts < $1`
	markSentQuery   = `UPDATE outbox SET sent_at=$2, event_id=$3, attempts=attempts+1, last_error='', tried_room='' WHERE key=$1`
	markFailedQuery = `UPDATE outbox SET attempts=attempts+1, last_error=$2, tried_room=CASE WHEN $3 THEN '' ELSE tried_room END WHERE key=$1`
	markTriedQuery  = `UPDATE outbox SET tried_room=$2 WHERE key=$1`
	byEventQuery    = `SELECT ` + outboxColumns + ` FROM outbox WHERE event_id=$1`
)

// Enqueue stores items to send; an item whose key is already queued (sent
// or not) is left as it is. It reports how many were new.
func (o *Outbox) Enqueue(ctx context.Context, items ...*OutboxItem) (int, error) {
	n := 0
	for _, it := range items {
		kind := it.Kind
		if kind == "" {
			kind = KindReply
		}
		var f File
		if it.File != nil {
			f = *it.File
		}
		res, err := o.GetDB().Exec(ctx, enqueueQuery, it.Key, kind, it.Room, it.User, it.EventType, it.Content, f.Name, f.MIME, f.Data,
			it.Pin, it.Proposal, milliOrZero(it.DueAt), it.CreatedAt.UnixMilli(), it.StateKey, it.ThreadOf)
		if err != nil {
			return n, fmt.Errorf("queue message %s: %w", it.Key, err)
		}
		if c, _ := res.RowsAffected(); c > 0 {
			n++
		}
	}
	return n, nil
}

// Cancel drops queued messages that were not sent yet.
func (o *Outbox) Cancel(ctx context.Context, keys ...string) error {
	for _, k := range keys {
		if _, err := o.GetDB().Exec(ctx, cancelQuery, k); err != nil {
			return fmt.Errorf("cancel message %s: %w", k, err)
		}
	}
	return nil
}

func milliOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// Scan reads an outbox row.
func (it *OutboxItem) Scan(row dbutil.Scannable) (*OutboxItem, error) {
	var due, created int64
	var sent sql.NullInt64
	var evt sql.NullString
	var f File
	if err := row.Scan(&it.Key, &it.Kind, &it.Room, &it.User, &it.EventType, &it.Content, &f.Name, &f.MIME, &f.Data,
		&it.Pin, &it.Proposal, &due, &created, &sent, &evt, &it.Attempts, &it.TriedRoom, &it.StateKey, &it.ThreadOf); err != nil {
		return nil, err
	}
	if f.Name != "" {
		it.File = &f
	}
	if due != 0 {
		it.DueAt = time.UnixMilli(due)
	}
	it.CreatedAt, it.SentAt, it.EventID = time.UnixMilli(created), fromMilli(sent), id.EventID(evt.String)
	return it, nil
}

// Due returns unsent messages due at or before now, oldest first, except
// those that failed too often; after, when set, is the last message of the
// previous page. Pages follow the order itself rather than an offset, which
// would skip messages when earlier ones leave the queue meanwhile.
func (o *Outbox) Due(ctx context.Context, now time.Time, limit int, after *OutboxItem) ([]*OutboxItem, error) {
	afterDue, afterCreated, afterKey := int64(-1), int64(-1), ""
	if after != nil {
		afterDue, afterCreated, afterKey = milliOrZero(after.DueAt), after.CreatedAt.UnixMilli(), after.Key
	}
	list, err := o.QueryMany(ctx, dueQuery, now.UnixMilli(), limit, MaxSendAttempts, afterDue, afterCreated, afterKey)
	if err != nil {
		return nil, fmt.Errorf("list due messages: %w", err)
	}
	return list, nil
}

// Get returns a queued message, or nil.
func (o *Outbox) Get(ctx context.Context, key string) (*OutboxItem, error) {
	it, err := o.QueryOne(ctx, getOutboxQuery, key)
	if err != nil {
		return nil, fmt.Errorf("get message %s: %w", key, err)
	}
	return it, nil
}

// NextDue returns when the next unsent message is due; ok is false when
// nothing waits.
func (o *Outbox) NextDue(ctx context.Context) (at time.Time, ok bool, err error) {
	var due sql.NullInt64
	if err := o.GetDB().QueryRow(ctx, nextDueQuery, MaxSendAttempts).Scan(&due); err != nil {
		return time.Time{}, false, fmt.Errorf("next due message: %w", err)
	}
	if !due.Valid {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(due.Int64), true, nil
}

// MarkSent records that a message was sent, with its event ID.
func (o *Outbox) MarkSent(ctx context.Context, key string, evt id.EventID, at time.Time) error {
	if _, err := o.GetDB().Exec(ctx, markSentQuery, key, at.UnixMilli(), evt); err != nil {
		return fmt.Errorf("mark message %s sent: %w", key, err)
	}
	return nil
}

// MarkTried records that a send is about to be attempted in a room: until
// it is marked sent, the message may or may not be there.
func (o *Outbox) MarkTried(ctx context.Context, key string, room id.RoomID) error {
	if _, err := o.GetDB().Exec(ctx, markTriedQuery, key, room); err != nil {
		return fmt.Errorf("mark message %s tried: %w", key, err)
	}
	return nil
}

// MarkFailed counts a failed attempt; refused says the homeserver answered
// that it did not take the message, so it is no longer in doubt.
func (o *Outbox) MarkFailed(ctx context.Context, key string, cause error, refused bool) error {
	if _, err := o.GetDB().Exec(ctx, markFailedQuery, key, cause.Error(), refused); err != nil {
		return fmt.Errorf("mark message %s failed: %w", key, err)
	}
	return nil
}

// ByEvent returns the queued message sent as an event, or nil.
func (o *Outbox) ByEvent(ctx context.Context, evt id.EventID) (*OutboxItem, error) {
	it, err := o.QueryOne(ctx, byEventQuery, evt)
	if err != nil {
		return nil, fmt.Errorf("find message of event: %w", err)
	}
	return it, nil
}
