// Command load benchmarks bluehats-bot against the physical limit of one
// machine: a bare echo bot (bench/echobot) on the same local Dendrite, side
// by side in the same run, with simulated members as mautrix clients.
//
//	go run -tags goolm ./bench/load [-out BENCHMARKS.results.md] [-fanout 1000] …
//
// It starts its own Dendrite (scripts/dendrite.sh, installed if missing),
// builds both bots and runs each as its own process so that memory and CPU
// are read per process from /proc, runs the scenarios of BENCHMARKS.md, and
// prints one Markdown table. Every wait is bounded; all traffic stays on
// 127.0.0.1; the run stops on its own (at the latest after -max).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

type options struct {
	latency       int
	members       int
	commands      int
	fanout        int
	fanoutWorkers int
	rooms         int
	timeout       time.Duration
	max           time.Duration
	mix           string
	out           string
	keep          bool
	goBench       bool
}

func main() {
	var o options
	flag.IntVar(&o.latency, "latency", 200, "scenario 1: commands sent one after another")
	flag.IntVar(&o.members, "members", 20, "scenario 2: members asking at once")
	flag.IntVar(&o.commands, "commands", 25, "scenario 2: commands per member")
	flag.StringVar(&o.mix, "mix", "mixed", "scenario 2: mixed (info commands, questions, proposals) or single (only commands answered by one message)")
	flag.IntVar(&o.fanout, "fanout", 1000, "scenario 3: members opted in to reminders (0 skips it)")
	flag.IntVar(&o.fanoutWorkers, "fanout-workers", 8, "scenario 3: members opting in at once")
	flag.IntVar(&o.rooms, "rooms", 10, "rooms each bot is in (scenario 5)")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Second, "how long a member waits for a reply before counting it lost")
	flag.DurationVar(&o.max, "max", time.Hour, "the whole run stops after this")
	flag.StringVar(&o.out, "out", "", "also write the results (Markdown) to this file")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory (logs, databases) after the run")
	flag.BoolVar(&o.goBench, "gobench", true, "run the go test benchmarks (scenarios 4 and 6)")
	flag.Parse()
	if o.mix != "mixed" && o.mix != "single" {
		fmt.Fprintln(os.Stderr, "load: -mix is mixed or single")
		os.Exit(2)
	}
	if o.latency < 1 || o.members < 1 || o.commands < 1 || o.rooms < 2 || o.fanout < 0 || o.fanoutWorkers < 1 {
		fmt.Fprintln(os.Stderr, "load: -latency, -members, -commands, -fanout-workers must be ≥ 1, -rooms ≥ 2, -fanout ≥ 0")
		os.Exit(2)
	}
	log.SetFlags(log.Ltime)
	log.SetPrefix("load: ")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.max)
	defer cancel()

	rep, err := run(ctx, o)
	out := rep.markdown()
	fmt.Print(out)
	if o.out != "" {
		if werr := os.WriteFile(o.out, []byte(out), 0o644); werr != nil {
			err = errors.Join(err, werr)
		}
	}
	if err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

// run sets up, runs every scenario and tears down. A failed scenario is
// reported in the table and the next one still runs; a failed setup ends
// the run.
func run(ctx context.Context, o options) (*report, error) {
	rep := &report{started: time.Now(), options: o}
	root, err := repoRoot()
	if err != nil {
		return rep, err
	}
	// Read last: on a fresh machine Dendrite is installed during the run.
	defer func() { rep.machine = machineInfo(root) }()
	rep.revision = revision(root)
	work, err := os.MkdirTemp("", "bluehats-bench-")
	if err != nil {
		return rep, err
	}
	if o.keep {
		log.Printf("work directory: %s", work)
	} else {
		defer os.RemoveAll(work)
	}

	b := &bench{o: o, root: root, work: work, rep: rep}
	defer b.teardown()
	if err := b.setup(ctx); err != nil {
		return rep, fmt.Errorf("setup: %w", err)
	}
	var errs []error
	for _, s := range []struct {
		name string
		fn   func(context.Context) error
	}{
		{"5. Cost (idle)", b.idle},
		{"1. Latency", b.latency},
		{"2. Concurrency", b.concurrency},
		{"5. Cost (cold start)", b.coldStart},
		{"3. Reminder fan-out", b.fanout},
	} {
		if ctx.Err() != nil {
			errs = append(errs, fmt.Errorf("%s: not run: %w", s.name, ctx.Err()))
			break
		}
		log.Printf("== %s", s.name)
		if err := s.fn(ctx); err != nil {
			log.Printf("%s failed: %v", s.name, err)
			rep.fail(s.name, err)
			errs = append(errs, fmt.Errorf("%s: %w", s.name, err))
		}
	}
	// The micro-benchmarks run once the homeserver and bots are down, so
	// they have the machine to themselves.
	b.teardown()
	// Where the bot's CPU went in scenarios 5 (idle), 1 and 2: the first
	// run of the bot, stopped by the cold-start scenario.
	if top, err := pprofTop(ctx, b.bhBin, b.profilePath("first")); err != nil {
		log.Printf("CPU profile: %v", err)
	} else {
		rep.profile = top
	}
	if o.goBench && ctx.Err() == nil {
		log.Print("== 4. Scale of data, 6. Micro (go test -bench)")
		if err := goBenchmarks(ctx, root, rep); err != nil {
			errs = append(errs, err)
		}
	}
	rep.finished = time.Now()
	return rep, errors.Join(errs...)
}

// repoRoot finds the module root from the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(data), "module github.com/bluehats/bluehats-bot") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run from inside the bluehats-bot module")
		}
		dir = parent
	}
}
