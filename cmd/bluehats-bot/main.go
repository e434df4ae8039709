// Command bluehats-bot runs the BlueHats event bot, checks its
// configuration, and runs a local demo.
//
//	bluehats-bot -config config.yaml              run the bot
//	bluehats-bot check-config -config FILE         list every problem of a config
//	bluehats-bot demo                              run a demo on a local homeserver
//	bluehats-bot export -config FILE -format csv   write the proposals to stdout
//	bluehats-bot calendar -config FILE             write the event's .ics to stdout
//	bluehats-bot ask -config FILE "question"       try a free question (and the FAQ)
//	bluehats-bot version                           print the version
//	bluehats-bot cross-sign -config FILE           set up cross-signing
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/util/exzerolog"
	_ "time/tzdata" // the event's zone must resolve on minimal systems

	"github.com/bluehats/bluehats-bot/bot"
	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/match"
	"github.com/bluehats/bluehats-bot/metrics"
	"github.com/bluehats/bluehats-bot/storage"
	"github.com/bluehats/bluehats-bot/web"
)

// Exit codes, distinct per start-up failure so that a supervisor can tell
// them apart.
const (
	exitOK       = 0
	exitConfig   = 1
	exitUsage    = 2
	exitDatabase = 3
	exitRuntime  = 4
)

// EnvNow sets the rehearsal clock, like -now.
const EnvNow = "BLUEHATS_NOW"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "check-config":
			return checkConfig(args[1:], stdout, stderr)
		case "demo":
			return demo(args[1:], stdout, stderr)
		case "export":
			return export(args[1:], stdout, stderr)
		case "calendar":
			return calendarCmd(args[1:], stdout, stderr)
		case "ask":
			return ask(args[1:], stdout, stderr)
		case "version":
			return version(stdout)
		case "migrate":
			return migrate(args[1:], stdout, stderr)
		case "copy-db":
			return copyDB(args[1:], stdout, stderr)
		case "cross-sign":
			return crossSign(args[1:], stdout, stderr)
		case "run":
			args = args[1:]
		case "help", "-h", "-help", "--help":
			usage(stdout)
			return exitOK
		}
	}
	return runBot(args, stderr)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  bluehats-bot [run] -config FILE [-now RFC3339] [-standby] [-cpuprofile FILE]   run the bot
  bluehats-bot check-config -config FILE          validate a config, print every problem
  bluehats-bot demo [-dir DIR] [-now RFC3339]     run a demo on a local Dendrite
  bluehats-bot export -config FILE -format csv|json   write every proposal to stdout
  bluehats-bot calendar -config FILE              write the event's .ics to stdout
  bluehats-bot ask [-config FILE] [-now T] "question"   what the bot understands and would reply
  bluehats-bot version                            print version, commit and Go version
  bluehats-bot migrate -config FILE               apply the database migrations
  bluehats-bot copy-db -from sqlite3:PATH -to postgres://…   move an installation
  bluehats-bot cross-sign -config FILE [-reset]   set up cross-signing, print the recovery key
`)
}

func runBot(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("bluehats-bot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "config.yaml", "configuration file")
	now := fs.String("now", os.Getenv(EnvNow), "start the calendar clock at this RFC 3339 instant (rehearsal); also "+EnvNow)
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile (pprof) to this file until the bot stops")
	standby := fs.Bool("standby", false, "wait for the database lock when another bot holds it, and take over when it dies (also ha.standby)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "-cpuprofile: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "-cpuprofile: %v\n", err)
			return exitUsage
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveConfig(ctx, *cfgPath, *now, *standby, stderr)
}

// reloadOnHangup reloads the config on SIGHUP; an invalid one is refused
// with a log line and the bot keeps the one it has.
func reloadOnHangup(ctx context.Context, b *bot.Bot, path string, log zerolog.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		}
		cfg, events, problems, err := readConfig(path)
		if err == nil && len(problems.Errors()) > 0 {
			err = problems.Errors()
		}
		if err != nil {
			log.Error().Str("config", path).Str("problems", err.Error()).Msg("Config reload refused; keeping the current config")
			continue
		}
		if err := b.Reload(cfg, events); err != nil {
			log.Error().Err(err).Msg("Config reload refused; keeping the current config")
		}
	}
}

// serveConfig loads a config, sets up logging and the calendar clock, and
// runs the bot until ctx ends.
func serveConfig(ctx context.Context, cfgPath, now string, standby bool, stderr io.Writer) int {
	cfg, events, code := loadConfig(cfgPath, stderr)
	if code != exitOK {
		return code
	}
	log := newLogger(cfg.Logging.Level, stderr)
	cal, err := calendarClock(now, log)
	if err != nil {
		fmt.Fprintf(stderr, "-now (or %s) %q: %v\n", EnvNow, now, err)
		return exitUsage
	}
	cfg.HA.Standby = cfg.HA.Standby || standby
	return serve(ctx, cfg, events, cal, log, cfgPath)
}

// serve opens the database and runs the bot until ctx ends.
func serve(ctx context.Context, cfg *config.Config, events []config.EventSpec, cal clock.Clock, log zerolog.Logger, cfgPath string) int {
	// The listener comes first, so that a standby answers /healthz while
	// it waits for the lock.
	running := &runningBot{standby: cfg.HA.Standby}
	if cfg.HTTP.Listen != "" {
		srv, err := web.Start(cfg.HTTP.Listen, running, running, cfg.HTTP.Public, log)
		if err != nil {
			log.Error().Err(err).Str("listen", cfg.HTTP.Listen).Msg("Could not start the HTTP listener")
			return exitRuntime
		}
		defer srv.Close()
	}
	store, err := storage.Open(ctx, storage.Options{
		Type: cfg.Database.Type, URI: cfg.Database.URI,
		MaxOpenConns: cfg.Database.MaxOpenConns, MaxIdleConns: cfg.Database.MaxIdleConns,
		Exclusive: true, Standby: cfg.HA.Standby,
		OnWait: func() {
			metrics.LockHeld.Set(0)
			log.Info().Msg("Standby: another bot holds the database; waiting to take over")
		},
	}, log)
	if err != nil {
		log.Error().Err(err).Msg("Could not open the database")
		return exitDatabase
	}
	defer store.Close()
	b, err := bot.New(bot.Options{Config: cfg, Events: events, Store: store, Calendar: cal, Log: log})
	if err != nil {
		log.Error().Err(err).Msg("Could not build the bot")
		return exitRuntime
	}
	running.bot.Store(b)
	log.Info().Str("user_id", cfg.Matrix.UserID).Str("homeserver", cfg.Matrix.HomeserverURL).Msg("Starting bluehats-bot")
	go reloadOnHangup(ctx, b, cfgPath, log)
	if err := b.Run(ctx); err != nil {
		log.Error().Err(err).Msg("Bot stopped on an error")
		return exitRuntime
	}
	log.Info().Msg("Stopped")
	return exitOK
}

// readConfig loads the config and builds the event, collecting the
// problems of both, so one run shows everything to fix.
func readConfig(path string) (*config.Config, []config.EventSpec, config.Problems, error) {
	cfg, problems, err := config.Load(path)
	if err != nil || cfg == nil {
		return nil, nil, problems, err
	}
	events, evProblems := cfg.BuildEvents()
	return cfg, events, append(problems, evProblems...), nil
}

// loadConfig reads the config for running, printing every problem.
func loadConfig(path string, stderr io.Writer) (*config.Config, []config.EventSpec, int) {
	return loadConfigWithout(path, stderr)
}

// loadConfigWithout reads the config for a command that needs only part of
// it, printing the problems of that part: those of keys under the ignored
// prefixes (say "matrix." for a command that does not connect) are not its
// concern.
func loadConfigWithout(path string, stderr io.Writer, ignored ...string) (*config.Config, []config.EventSpec, int) {
	cfg, events, problems, err := readConfig(path)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, nil, exitConfig
	}
	var relevant config.Problems
	for _, p := range problems {
		if !slices.ContainsFunc(ignored, func(prefix string) bool { return strings.HasPrefix(p.Key, prefix) }) {
			relevant = append(relevant, p)
			fmt.Fprintf(stderr, "%s: %s\n", path, p)
		}
	}
	if len(relevant.Errors()) > 0 || cfg == nil || len(events) == 0 {
		return nil, nil, exitConfig
	}
	return cfg, events, exitOK
}

func checkConfig(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check-config", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "config.yaml", "configuration file")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	cfg, events, all, err := readConfig(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	all = append(all, faqProblems(cfg, events)...)
	for _, p := range all {
		fmt.Fprintf(stdout, "%s: %s\n", *cfgPath, p)
	}
	if len(all.Errors()) > 0 {
		fmt.Fprintf(stdout, "%s: %d error(s), %d warning(s)\n", *cfgPath, len(all.Errors()), len(all.Warnings()))
		return exitConfig
	}
	fmt.Fprintf(stdout, "%s: OK (%d warning(s))\n", *cfgPath, len(all.Warnings()))
	return exitOK
}

// faqProblems warns about FAQ phrasings that the bot would answer with
// something else than their own entry.
func faqProblems(cfg *config.Config, events []config.EventSpec) config.Problems {
	var ps config.Problems
	seen := map[string]bool{} // top-level entries belong to every event
	for _, spec := range events {
		faq := make([][]string, len(spec.Event.FAQ))
		for i, e := range spec.Event.FAQ {
			faq[i] = e.Questions
		}
		for _, c := range match.Conflicts(faq) {
			key := fmt.Sprintf("%s.questions[%d]", spec.FAQKeys[c.Entry], c.Question)
			q := faq[c.Entry][c.Question]
			var msg string
			switch {
			case c.Got.Intent == match.FAQ:
				msg = fmt.Sprintf("%q is closer to the entry %s (%q) than to its own entry", q, spec.FAQKeys[c.Got.FAQ], faq[c.Got.FAQ][0])
			case c.Got.Intent.InScope():
				msg = fmt.Sprintf("%q is closer to the built-in answer %q than to its own entry", q, c.Got.Intent)
			case len(faq[c.Entry]) == 1:
				msg = fmt.Sprintf("%q is the entry's only phrasing: add a few more, so that other wordings find it", q)
			default:
				msg = fmt.Sprintf("%q is far from the entry's other phrasings: other wordings of it may not find the entry", q)
			}
			if !seen[key+msg] {
				seen[key+msg] = true
				ps = append(ps, config.Problem{Key: key, Line: cfg.Line(key), Message: msg, Warning: true})
			}
		}
	}
	return ps
}

// calendarClock returns the rehearsal clock when -now is set, and says so
// loudly: every countdown and reminder follows it.
func calendarClock(now string, log zerolog.Logger) (clock.Clock, error) {
	if now == "" {
		return clock.Real{}, nil
	}
	t, err := time.Parse(time.RFC3339, now)
	if err != nil {
		return nil, errors.New("must be RFC 3339, e.g. 2023-11-13T10:00:00+01:00")
	}
	log.Warn().Time("calendar_now", t).Msg("REHEARSAL CLOCK: the event calendar (deadlines, countdowns, reminders) starts at this instant, not at the real time")
	return clock.NewRehearsal(t), nil
}

// newLogger logs JSON when not on a terminal, pretty lines when on one.
func newLogger(level string, w io.Writer) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil {
		lvl = zerolog.InfoLevel
	}
	out := w
	if f, ok := w.(*os.File); ok && isTerminal(f) {
		out = zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly}
	}
	log := zerolog.New(out).Level(lvl).With().Timestamp().Logger()
	exzerolog.SetupDefaults(&log)
	return log
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// version prints what build info knows: module version, commit, Go.
func version(w io.Writer) int {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(w, "bluehats-bot (no build information)")
		return exitOK
	}
	commit, modified := "unknown", ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = " (modified)"
			}
		}
	}
	fmt.Fprintf(w, "bluehats-bot %s, commit %s%s, %s\n", info.Main.Version, commit, modified, info.GoVersion)
	return exitOK
}

// pickEvent returns the event named by id, or with no id the one current
// at now (the first not over yet, else the last).
func pickEvent(events []config.EventSpec, id string, now time.Time) (config.EventSpec, error) {
	if id != "" {
		for _, e := range events {
			if e.ID == id {
				return e, nil
			}
		}
		return config.EventSpec{}, fmt.Errorf("no event %q in the config", id)
	}
	for _, e := range events {
		if now.Before(e.Event.End) {
			return e, nil
		}
	}
	return events[len(events)-1], nil
}

// runningBot is what the HTTP listener serves: the bot once it runs, and
// until then, a standby (or a bot still starting).
type runningBot struct {
	standby bool
	bot     atomic.Pointer[bot.Bot]
}

func (r *runningBot) Check(ctx context.Context) error {
	if b := r.bot.Load(); b != nil {
		return b.Check(ctx)
	}
	if r.standby {
		return web.ErrStandby
	}
	return errors.New("starting")
}

func (r *runningBot) ProgrammeICS(ctx context.Context) ([]byte, error) {
	if b := r.bot.Load(); b != nil {
		return b.ProgrammeICS(ctx)
	}
	return nil, errors.New("not running yet")
}

func (r *runningBot) ProgrammePage(ctx context.Context, lang string) (*web.Page, error) {
	if b := r.bot.Load(); b != nil {
		return b.ProgrammePage(ctx, lang)
	}
	return nil, errors.New("not running yet")
}

func (r *runningBot) ProgrammeJSON(ctx context.Context) ([]byte, error) {
	if b := r.bot.Load(); b != nil {
		return b.ProgrammeJSON(ctx)
	}
	return nil, errors.New("not running yet")
}
