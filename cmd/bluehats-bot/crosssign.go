package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/bluehats/bluehats-bot/bot"
	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/storage"
)

// crossSign gives the bot's account cross-signing keys and prints the
// recovery key on stdout, the only place it is ever shown; with the
// account's keys already there, it signs this device with the configured
// recovery key. Run it while the bot is stopped.
func crossSign(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cross-sign", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "config.yaml", "configuration file")
	reset := fs.Bool("reset", false, "replace the account's cross-signing keys (every verification of the bot is lost)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	cfg, events, code := loadConfig(*cfgPath, stderr)
	if code != exitOK {
		return code
	}
	log := newLogger(cfg.Logging.Level, stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	store, err := storage.Open(ctx, storage.Options{Type: cfg.Database.Type, URI: cfg.Database.URI, Exclusive: true}, log)
	if err != nil {
		fmt.Fprintf(stderr, "open database: %v\n", err)
		return exitDatabase
	}
	defer store.Close()
	b, err := bot.New(bot.Options{Config: cfg, Events: events, Store: store, Calendar: clock.Real{}, Log: log})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitRuntime
	}
	key, err := b.CrossSign(ctx, *reset)
	if key != "" {
		// Printed even when signing the device failed afterwards: the keys
		// are published, and this key recovers them.
		fmt.Fprintf(stdout, "Recovery key (keep it secret; put it in matrix.encryption.recovery_key or %s):\n%s\n", config.EnvRecoveryKey, key)
	}
	switch {
	case errors.Is(err, bot.ErrCrossSigningExists):
		fmt.Fprintf(stderr, "%v (-reset)\n", err)
		return exitConfig
	case err != nil:
		fmt.Fprintf(stderr, "cross-sign: %v\n", err)
		return exitRuntime
	case key == "":
		fmt.Fprintln(stdout, "The bot's device is cross-signed")
	}
	return exitOK
}
