package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/i18n"
)

// export writes every proposal as CSV or JSON to stdout, the same file
// organisers get with !export.
func export(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	format := fs.String("format", commands.FormatCSV, "csv or json")
	o, code := openOffline(fs, args, stderr)
	if code != exitOK {
		return code
	}
	defer o.store.Close()
	if *format != commands.FormatCSV && *format != commands.FormatJSON {
		fmt.Fprintf(stderr, "-format: must be csv or json, got %q\n", *format)
		return exitUsage
	}
	ev := o.event.Event
	if err := commands.Export(context.Background(), o.store, o.event.ID, commands.IDNames{}, ev.Location, *format, i18n.Lang(o.cfg.Bot.Language), stdout); err != nil {
		fmt.Fprintf(stderr, "export: %v\n", err)
		return exitRuntime
	}
	return exitOK
}
