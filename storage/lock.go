package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"go.mau.fi/util/dbutil"
)

// ErrInUse is returned by Lock when another process holds the database.
var ErrInUse = errors.New("another bluehats-bot process is using this database; stop it first")

// ErrLockLost says the database lock went away while the bot held it.
var ErrLockLost = errors.New("the database lock was lost")

// Lock makes this process the only one running the bot on the database
// until release is called: two bots on one database would answer every
// message twice and share one encryption device, and a command such as
// cross-sign must not run beside the bot. On SQLite it is an flock on a
// file beside the database (not the database itself: closing any handle
// on it would drop SQLite's own POSIX locks of this process); the kernel
// releases it if the process dies. On PostgreSQL it is a session advisory
// lock for the schema.
func (s *Store) Lock(ctx context.Context) (release func(), err error) {
	if s.held != nil {
		return func() {}, nil // taken by an Exclusive Open, released by Close
	}
	if s.DB.Dialect == dbutil.Postgres {
		return s.lockPostgres(ctx)
	}
	if s.lockPath == "" {
		return func() {}, nil // in memory: nobody else can open it
	}
	f, err := os.OpenFile(s.lockPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock database: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrInUse
		}
		return nil, fmt.Errorf("lock database: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}

const advisoryKey = `hashtext('bluehats-bot:' || current_schema())`

func (s *Store) lockPostgres(ctx context.Context) (func(), error) {
	// Advisory locks belong to a session: hold one connection for it.
	conn, err := s.DB.RawDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock database: %w", err)
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(`+advisoryKey+`)`).Scan(&ok); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("lock database: %w", err)
	}
	if !ok {
		_ = conn.Close()
		return nil, ErrInUse
	}
	s.lockConn.Store(conn)
	return func() {
		s.lockConn.Store(nil)
		unlockPostgres(conn)
	}, nil
}

// CheckLock tells whether the lock taken by Lock is still held. A
// PostgreSQL advisory lock lives as long as its session: a database
// restart, a network cut or pg_terminate_backend ends it silently, and a
// second bot could then take it. A SQLite lock is the process's own and
// cannot be lost.
func (s *Store) CheckLock(ctx context.Context) error {
	conn := s.lockConn.Load()
	if conn == nil {
		return nil
	}
	var held bool
	err := conn.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM pg_locks WHERE locktype='advisory' AND pid=pg_backend_pid() AND granted)`).Scan(&held)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrLockLost, err)
	}
	if !held {
		return ErrLockLost
	}
	return nil
}

func unlockPostgres(conn *sql.Conn) {
	_, _ = conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(`+advisoryKey+`)`)
	_ = conn.Close()
}

// sqliteLockPath is the file Lock takes for a SQLite database given by its
// URI, beside the database and named from its real path, so that two
// spellings of one path (relative, through a link) share one lock.
func sqliteLockPath(uri string) string {
	path := strings.TrimPrefix(uri, "file:")
	path, _, _ = strings.Cut(path, "?")
	if path == "" || path == ":memory:" || strings.Contains(uri, "mode=memory") {
		return ""
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	return path + ".lock"
}
