package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/rs/zerolog"

	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/storage"
)

// export writes every proposal as CSV or JSON to stdout, the same file
// organisers get with !export.
func export(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "config.yaml", "configuration file")
	eventID := fs.String("event", "", "with several events: the event's id (default: the current one)")
	format := fs.String("format", commands.FormatCSV, "csv or json")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *format != commands.FormatCSV && *format != commands.FormatJSON {
		fmt.Fprintf(stderr, "-format: must be csv or json, got %q\n", *format)
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
	if err := commands.Export(ctx, store, spec.ID, commands.IDNames{}, ev.Location, *format, i18n.Lang(cfg.Bot.Language), stdout); err != nil {
		fmt.Fprintf(stderr, "export: %v\n", err)
		return exitRuntime
	}
	return exitOK
}
