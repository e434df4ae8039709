package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/sqlstatestore"

	"github.com/bluehats/bluehats-bot/storage"
)

// migrate applies the database migrations explicitly (the bot also does
// at start), so that an upgrade can be checked before the bot runs.
func migrate(args []string, stdout, stderr io.Writer) int {
	o, code := openOffline(flag.NewFlagSet("migrate", flag.ContinueOnError), args, stderr)
	if code != exitOK {
		return code
	}
	defer o.store.Close()
	if err := sqlstatestore.NewSQLStateStore(o.store.DB, nil, false).Upgrade(context.Background()); err != nil {
		fmt.Fprintf(stderr, "migrate state store: %v\n", err)
		return exitDatabase
	}
	if o.cfg.Matrix.Encryption.Enabled {
		if err := o.store.MigrateCrypto(context.Background()); err != nil {
			fmt.Fprintln(stderr, err)
			return exitDatabase
		}
	}
	fmt.Fprintf(stdout, "%s database migrated\n", o.cfg.Database.Type)
	return exitOK
}

// copyDB moves an installation to another database: -from and -to are
// sqlite3:PATH or postgres://… URIs.
func copyDB(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("copy-db", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "source: sqlite3:PATH or postgres://…")
	to := fs.String("to", "", "target, empty: sqlite3:PATH or postgres://…")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	src, err1 := dbOptions(*from)
	dst, err2 := dbOptions(*to)
	if err1 != nil || err2 != nil {
		fmt.Fprintln(stderr, "usage: bluehats-bot copy-db -from sqlite3:bluehats.db -to postgres://user:pass@127.0.0.1/bluehats?sslmode=disable")
		return exitUsage
	}
	ctx := context.Background()
	// Neither side may have a bot running on it: the copy would miss what
	// it writes meanwhile, or be written over.
	src.Exclusive, dst.Exclusive = true, true
	a, err := storage.Open(ctx, src, zerolog.Nop())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitDatabase
	}
	defer a.Close()
	b, err := storage.Open(ctx, dst, zerolog.Nop())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitDatabase
	}
	defer b.Close()
	counts, err := storage.Copy(ctx, a, b)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitDatabase
	}
	names := make([]string, 0, len(counts))
	for t := range counts {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, t := range names {
		fmt.Fprintf(stdout, "%-16s %d rows\n", t, counts[t])
	}
	fmt.Fprintln(stdout, "copied; counts checked. Point database: at the new database and start the bot.")
	return exitOK
}

func dbOptions(s string) (storage.Options, error) {
	switch {
	case strings.HasPrefix(s, "sqlite3:"):
		return storage.Options{Type: "sqlite3", URI: strings.TrimPrefix(s, "sqlite3:")}, nil
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		return storage.Options{Type: "postgres", URI: s}, nil
	}
	return storage.Options{}, fmt.Errorf("unknown database %q", s)
}
