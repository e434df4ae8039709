package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/commands"
)

// calendarCmd writes the event's .ics (with the programme once published)
// to stdout, the same file !calendrier sends.
func calendarCmd(args []string, stdout, stderr io.Writer) int {
	o, code := openOffline(flag.NewFlagSet("calendar", flag.ContinueOnError), args, stderr)
	if code != exitOK {
		return code
	}
	defer o.store.Close()
	env := &commands.Env{Conference: o.event.Event, ConferenceID: o.event.ID, Store: o.store, Clock: clock.Real{},
		Names: commands.IDNames{}, Domain: id.UserID(o.cfg.Matrix.UserID).Homeserver()}
	data, err := commands.CalendarFile(context.Background(), env)
	if err != nil {
		fmt.Fprintf(stderr, "calendar: %v\n", err)
		return exitRuntime
	}
	_, _ = stdout.Write(data)
	return exitOK
}
