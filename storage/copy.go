package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/crypto/sql_store_upgrade"
)

// copyTables are the bot's tables in an order that satisfies foreign
// keys, with the rows to copy; their columns are read from the source.
// mautrix's state store is not copied: it is rebuilt from the homeserver at
// the next start.
var copyTables = []copySpec{
	// The sync token and filter are left behind so that the next start
	// syncs from scratch and refills the state store.
	{"bot_state", "key NOT IN ('next_batch', 'filter_id')"},
	{"handled_event", ""},
	{"proposal", ""},
	{"review", ""},
	{"dialog", ""},
	{"direct_room", ""},
	{"outbox", ""},
	{"reminder_fired", ""},
	{"reminder_pref", ""},
	{"follow", ""},
}

type copySpec struct {
	name  string
	where string
}

// cryptoTables are mautrix's encryption tables (its crypto store),
// parents first. Without them a copied bot would come back with its device
// but not the keys it published for it, and go silent in encrypted rooms.
var cryptoTables = []string{
	"crypto_account", "crypto_message_index", "crypto_tracked_user", "crypto_device",
	"crypto_olm_session", "crypto_olm_message_hash", "crypto_megolm_inbound_session",
	"crypto_megolm_outbound_session", "crypto_megolm_outbound_session_shared",
	"crypto_cross_signing_keys", "crypto_cross_signing_signatures", "crypto_secrets",
}

// Copy moves every row of the bot's tables, and of the encryption tables
// when the source has them, from one database to another, empty one, in
// one transaction on the target, and checks the counts after.
func Copy(ctx context.Context, from, to *Store) (map[string]int, error) {
	encrypted, err := hasCryptoStore(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("copy database: read source: %w", err)
	}
	tables := make([]copySpec, 0, len(copyTables)+len(cryptoTables))
	tables = append(tables, copyTables...)
	if encrypted {
		// Both at the newest schema, so that their columns agree.
		for _, s := range []*Store{from, to} {
			if err := cryptoDB(s).Upgrade(ctx); err != nil {
				return nil, fmt.Errorf("copy database: migrate encryption tables: %w", err)
			}
		}
		for _, t := range cryptoTables {
			tables = append(tables, copySpec{name: t})
		}
		var keys int
		if err := to.DB.QueryRow(ctx, `SELECT COUNT(*) FROM crypto_account`).Scan(&keys); err != nil || keys > 0 {
			return nil, errors.Join(errors.New("copy database: the target already holds encryption keys"), err)
		}
	}
	var existing int
	if err := to.DB.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM proposal) + (SELECT COUNT(*) FROM bot_state)`).Scan(&existing); err != nil {
		return nil, fmt.Errorf("copy database: read target: %w", err)
	}
	if existing > 0 {
		return nil, fmt.Errorf("copy database: the target is not empty")
	}
	counts := map[string]int{}
	err = to.Txn(ctx, func(ctx context.Context) error {
		for _, t := range tables {
			n, err := copyTable(ctx, from, to, t.name, t.where)
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
	for _, t := range tables {
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

func copyTable(ctx context.Context, from, to *Store, table string, where string) (int, error) {
	columns, _, err := columnsOf(ctx, from, table)
	if err != nil {
		return 0, err
	}
	// SQLite returns booleans as integers; PostgreSQL wants booleans.
	_, isBool, err := columnsOf(ctx, to, table)
	if err != nil {
		return 0, err
	}
	// Quoted: mautrix names a column "index".
	quoted := make([]string, len(columns))
	for i, c := range columns {
		quoted[i] = `"` + c + `"`
	}
	list := strings.Join(quoted, ", ")
	query := "SELECT " + list + " FROM " + table
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
	insert := "INSERT INTO " + table + " (" + list + ") VALUES (" + strings.Join(marks, ", ") + ")"
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
			if v, ok := vals[i].(int64); ok && isBool[c] {
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

// hasCryptoStore tells whether a database holds mautrix's encryption tables.
func hasCryptoStore(ctx context.Context, s *Store) (bool, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name='crypto_account'`
	if s.DB.Dialect == dbutil.Postgres {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema=current_schema() AND table_name='crypto_account'`
	}
	var n int
	err := s.DB.QueryRow(ctx, q).Scan(&n)
	return n > 0, err
}

// MigrateCrypto brings mautrix's encryption tables to the newest schema, as
// the bot does at start with encryption on.
func (s *Store) MigrateCrypto(ctx context.Context) error {
	if err := cryptoDB(s).Upgrade(ctx); err != nil {
		return fmt.Errorf("migrate encryption tables: %w", err)
	}
	return nil
}

// cryptoDB is the view of a database that mautrix's crypto store migrates.
func cryptoDB(s *Store) *dbutil.Database {
	return s.DB.Child(sql_store_upgrade.VersionTableName, sql_store_upgrade.Table, dbutil.NoopLogger)
}

// columnsOf lists a table's columns, read from the table itself, and
// which of them are booleans.
func columnsOf(ctx context.Context, s *Store, table string) (names []string, isBool map[string]bool, err error) {
	rows, err := s.DB.Query(ctx, `SELECT * FROM `+table+` LIMIT 0`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, nil, err
	}
	isBool = map[string]bool{}
	for _, t := range types {
		names = append(names, t.Name())
		switch strings.ToUpper(t.DatabaseTypeName()) {
		case "BOOL", "BOOLEAN":
			isBool[t.Name()] = true
		}
	}
	return names, isBool, nil
}
