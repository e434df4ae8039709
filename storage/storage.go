// Package storage is the bot's database: opening it, its migrations
// (numbered .sql files in upgrades/), and one type per table with its
// queries. Every query takes parameters; nothing is built from user text.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/lib/pq" // the postgres driver
	"github.com/rs/zerolog"
	"go.mau.fi/util/dbutil"
	_ "go.mau.fi/util/dbutil/litestream" // registers the sqlite3-fk-wal driver
)

//go:embed upgrades/*.sql
var upgrades embed.FS

// UpgradeTable is the bot's own migrations; mautrix's state and crypto
// stores keep theirs in the same database under their own version tables.
var UpgradeTable = dbutil.BuildUpgradeTable().WithFSPath(upgrades, "upgrades").Finish()

// Owner is the name the database is claimed with, so that a database of
// another program is never migrated by mistake.
const Owner = "bluehats-bot"

// Options say which database to open.
type Options struct {
	Type         string // sqlite3 or postgres
	URI          string // a file path for sqlite3, a postgres:// URI for postgres
	MaxOpenConns int
	MaxIdleConns int
	// Exclusive takes the database's lock (see Store.Lock) before the
	// migrations, and holds it until Close: for the bot itself and the
	// commands that must not run beside it, so that a second process
	// neither migrates the schema under a running bot nor runs with it.
	Exclusive bool
	// Standby makes an Exclusive Open wait for the lock, trying every
	// LockPoll, instead of failing with ErrInUse: a second bot ready to
	// take over when the first dies. Waiting calls OnWait once.
	Standby bool
	OnWait  func()
}

// LockPoll is how often a standby tries to take the lock.
const LockPoll = time.Second

// Store is the bot's database and its tables.
type Store struct {
	DB          *dbutil.Database
	State       *BotState
	Handled     *HandledEvents
	Proposals   *Proposals
	Reviews     *Reviews
	Dialogs     *Dialogs
	DirectRooms *DirectRooms
	Outbox      *Outbox
	Fired       *FiredReminders
	Prefs       *ReminderPrefs
	Follows     *Follows

	lockPath string                   // SQLite: the file Lock takes; "" in memory
	held     func()                   // releases the lock taken by an Exclusive Open
	lockConn atomic.Pointer[sql.Conn] // PostgreSQL: the session holding the advisory lock
}

// Open opens the database and applies pending migrations.
func Open(ctx context.Context, opts Options, log zerolog.Logger) (*Store, error) {
	cfg := dbutil.Config{PoolConfig: dbutil.PoolConfig{
		Type:         opts.Type,
		URI:          opts.URI,
		MaxOpenConns: opts.MaxOpenConns,
		MaxIdleConns: opts.MaxIdleConns,
	}}
	switch opts.Type {
	case "sqlite3", "sqlite3-fk-wal", "":
		uri, err := sqliteURI(opts.URI)
		if err != nil {
			return nil, err
		}
		cfg.Type, cfg.URI = "sqlite3-fk-wal", uri
		if cfg.MaxOpenConns == 0 {
			// One writer at a time is all SQLite allows; more connections
			// only add "database is locked" retries.
			cfg.MaxOpenConns = 5
			cfg.MaxIdleConns = 2
		}
	case "postgres", "postgresql":
		if !strings.HasPrefix(opts.URI, "postgres://") && !strings.HasPrefix(opts.URI, "postgresql://") {
			return nil, errors.New("open database: a postgres URI starts with postgres://")
		}
		cfg.Type = "postgres"
		if cfg.MaxOpenConns == 1 {
			// The lock holds a connection of its own for the session.
			cfg.MaxOpenConns = 2
		}
	default:
		return nil, fmt.Errorf("open database: unsupported type %q", opts.Type)
	}
	db, err := dbutil.NewFromConfig(Owner, cfg, dbutil.ZeroLogger(log.With().Str("db", "main").Logger()))
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	s := New(db)
	if cfg.Type == "sqlite3-fk-wal" {
		s.lockPath = sqliteLockPath(cfg.URI)
	}
	if opts.Exclusive {
		release, err := s.Lock(ctx)
		for opts.Standby && errors.Is(err, ErrInUse) {
			if opts.OnWait != nil {
				opts.OnWait()
				opts.OnWait = nil
			}
			select {
			case <-ctx.Done():
				_ = db.Close()
				return nil, ctx.Err()
			case <-time.After(LockPoll):
			}
			release, err = s.Lock(ctx)
		}
		if err != nil {
			_ = db.Close()
			return nil, err
		}
		s.held = release
	}
	db.UpgradeTable = UpgradeTable
	if err := db.Upgrade(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	return s, nil
}

// New wraps an already migrated database.
func New(db *dbutil.Database) *Store {
	return &Store{
		DB:          db,
		State:       &BotState{db: db},
		Handled:     &HandledEvents{db: db},
		Proposals:   &Proposals{dbutil.MakeQueryHelperSimple(db, func() *Proposal { return &Proposal{} })},
		Reviews:     &Reviews{dbutil.MakeQueryHelperSimple(db, func() *Review { return &Review{} })},
		Dialogs:     &Dialogs{dbutil.MakeQueryHelperSimple(db, func() *Dialog { return &Dialog{} })},
		DirectRooms: &DirectRooms{db: db},
		Outbox:      &Outbox{dbutil.MakeQueryHelperSimple(db, func() *OutboxItem { return &OutboxItem{} })},
		Fired:       &FiredReminders{db: db},
		Prefs:       &ReminderPrefs{dbutil.MakeQueryHelperSimple(db, func() *ReminderPref { return &ReminderPref{} })},
		Follows:     &Follows{dbutil.MakeQueryHelperSimple(db, func() *Follow { return &Follow{} })},
	}
}

// Txn runs fn in one transaction: all of it is stored, or none.
func (s *Store) Txn(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.DB.DoTxn(ctx, nil, fn)
}

// Close closes the database.
func (s *Store) Close() error {
	if s.held != nil {
		s.held()
		s.held = nil
	}
	return s.DB.Close()
}

// sqliteURI turns a path into a URI with the options the bot relies on, and
// creates the file readable by its owner only: it holds an access token.
func sqliteURI(path string) (string, error) {
	if path == "" {
		return "", errors.New("open database: empty path")
	}
	if strings.HasPrefix(path, "file:") {
		if !strings.Contains(path, "_txlock") {
			path += sep(path) + "_txlock=immediate"
		}
		return path, nil
	}
	if path != ":memory:" {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return "", fmt.Errorf("open database: %w", err)
		}
		_ = f.Close()
	}
	// Immediate transactions take the write lock up front, so concurrent
	// writers wait on busy_timeout instead of failing on lock upgrade.
	return "file:" + path + "?_txlock=immediate", nil
}

func sep(uri string) string {
	if strings.Contains(uri, "?") {
		return "&"
	}
	return "?"
}
