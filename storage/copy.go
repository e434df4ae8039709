package storage

import (
	"context"
	"fmt"
	"strings"
)

// copyTables are the bot's tables in an order that satisfies foreign
// keys, with the columns to copy. mautrix's state store is not copied: it
// is rebuilt from the homeserver at the next start.
var copyTables = []struct {
	name    string
	columns []string
	where   string
}{
	// The sync token and filter are left behind so that the next start
	// syncs from scratch and refills the state store.
	{"bot_state", []string{"key", "value"}, "key NOT IN ('next_batch', 'filter_id')"},
	{"handled_event", []string{"event_id", "room_id", "sender", "handled_at"}, ""},
	{"proposal", []string{"id", "event_id", "author", "lang", "minutes", "title", "abstract", "administration", "speakers", "software", "state",
		"decision_note", "decided_by", "decided_at", "decision_seq", "confirmed_at", "slot_start", "created_at", "updated_at"}, ""},
	{"review", []string{"proposal_id", "reviewer", "score", "comment", "updated_at"}, ""},
	{"dialog", []string{"user_id", "lang", "step", "draft", "updated_at"}, ""},
	{"direct_room", []string{"user_id", "room_id"}, ""},
	{"outbox", []string{"key", "room_id", "user_id", "event_type", "content", "due_at", "created_at", "sent_at", "event_id", "attempts", "last_error"}, ""},
	{"reminder_fired", []string{"id", "decision", "fired_at"}, ""},
	{"reminder_pref", []string{"user_id", "enabled", "lang", "updated_at"}, ""},
}

// boolColumns are read as integers from SQLite and must be booleans for
// PostgreSQL.
var boolColumns = map[string]bool{"reminder_pref.enabled": true}

// Copy moves every row of the bot's tables from one database to another,
// empty one, in one transaction on the target, and checks the counts after.
// A source holding encryption keys is refused: they cannot be moved yet.
func Copy(ctx context.Context, from, to *Store) (map[string]int, error) {
	var accounts int
	if err := from.DB.QueryRow(ctx, `SELECT COUNT(*) FROM crypto_account`).Scan(&accounts); err == nil && accounts > 0 {
		return nil, fmt.Errorf("copy database: the source holds encryption keys, which cannot be moved yet")
	}
	var existing int
	if err := to.DB.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM proposal) + (SELECT COUNT(*) FROM bot_state)`).Scan(&existing); err != nil {
		return nil, fmt.Errorf("copy database: read target: %w", err)
	}
	if existing > 0 {
		return nil, fmt.Errorf("copy database: the target is not empty")
	}
	counts := map[string]int{}
	err := to.Txn(ctx, func(ctx context.Context) error {
		for _, t := range copyTables {
			n, err := copyTable(ctx, from, to, t.name, t.columns, t.where)
			if err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
			counts[t.name] = n
		}
		if to.DB.Dialect.String() == "postgres" {
			// Rows came with their numbers: move the sequence past them.
			if _, err := to.DB.Exec(ctx, `SELECT setval(pg_get_serial_sequence('proposal', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM proposal`); err != nil {
				return fmt.Errorf("reset proposal numbers: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, t := range copyTables {
		var n int
		if err := to.DB.QueryRow(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&n); err != nil {
			return nil, fmt.Errorf("check %s: %w", t.name, err)
		}
		if n != counts[t.name] {
			return nil, fmt.Errorf("check %s: %d rows copied but %d in the target", t.name, counts[t.name], n)
		}
	}
	return counts, nil
}

func copyTable(ctx context.Context, from, to *Store, table string, columns []string, where string) (int, error) {
	query := "SELECT " + strings.Join(columns, ", ") + " FROM " + table
	if where != "" {
		query += " WHERE " + where
	}
	rows, err := from.DB.Query(ctx, query)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	marks := make([]string, len(columns))
	for i := range marks {
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	insert := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES (" + strings.Join(marks, ", ") + ")"
	n := 0
	for rows.Next() {
		vals := make([]any, len(columns))
		ptrs := make([]any, len(columns))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, c := range columns {
			if v, ok := vals[i].(int64); ok && boolColumns[table+"."+c] {
				vals[i] = v != 0
			}
		}
		if _, err := to.DB.Exec(ctx, insert, vals...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
