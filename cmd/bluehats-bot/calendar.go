package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/storage"
)

// calendarCmd writes the event's .ics (with the programme once published)
// to stdout, the same file !calendrier sends.
func calendarCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("calendar", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "config.yaml", "configuration file")
	eventID := fs.String("event", "", "with several events: the event's id (default: the current one)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	cfg, events, code := loadConfig(*cfgPath, stderr)
	if code != exitOK {
		return code
	}
	spec, err := pickEvent(events, *eventID, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	ev := spec.Event
	ctx := context.Background()
	store, err := storage.Open(ctx, storage.Options{Type: cfg.Database.Type, URI: cfg.Database.URI}, zerolog.Nop())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitDatabase
	}
	defer store.Close()
	env := &commands.Env{Event: ev, EventID: spec.ID, Store: store, Clock: clock.Real{}, Names: commands.IDNames{}, Domain: id.UserID(cfg.Matrix.UserID).Homeserver()}
	data, err := commands.CalendarFile(ctx, env)
	if err != nil {
		fmt.Fprintf(stderr, "calendar: %v\n", err)
		return exitRuntime
	}
	_, _ = stdout.Write(data)
	return exitOK
}
