package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/rs/zerolog"

	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/storage"
)

// offline is what the subcommands that work on the database without
// Matrix share: the config, the event chosen, and the open database.
type offline struct {
	cfg   *config.Config
	event config.EventSpec
	store *storage.Store
}

// openOffline parses the subcommand's flags (with -config and -event
// added), loads the config, picks the event and opens the database. The
// caller closes the store when the exit code is exitOK.
func openOffline(fs *flag.FlagSet, args []string, stderr io.Writer) (*offline, int) {
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "config.yaml", "configuration file")
	eventID := fs.String("event", "", "with several events: the event's id (default: the current one)")
	if err := fs.Parse(args); err != nil {
		return nil, exitUsage
	}
	// These commands read the database and the config, never Matrix.
	cfg, events, code := loadConfigWithout(*cfgPath, stderr, "matrix.")
	if code != exitOK {
		return nil, code
	}
	spec, err := pickEvent(events, *eventID, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, exitUsage
	}
	store, err := storage.Open(context.Background(), storage.Options{Type: cfg.Database.Type, URI: cfg.Database.URI}, zerolog.Nop())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, exitDatabase
	}
	return &offline{cfg: cfg, event: spec, store: store}, exitOK
}
