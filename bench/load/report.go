package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// report collects the rows of the results table as scenarios finish.
type report struct {
	started, finished time.Time
	options           options
	machine           string
	revision          string // git describe of the tree the bots were built from
	dendritePID       int
	rows              []row
	notes             []string
	raw               []string // go test output, kept for the record
	profile           string   // go tool pprof -top of bluehats-bot in scenarios 1 and 2
}

type row struct {
	scenario, metric, bluehats, echo, ratio, target, met string
}

// add records a metric for both bots; a nil value is "—" (not applicable),
// and the ratio is bluehats / echo when both are numbers.
func (r *report) add(scenario, metric string, bluehats, echo any, target, met string) {
	ratio := ""
	if b, ok := number(bluehats); ok {
		if e, ok := number(echo); ok && e != 0 {
			ratio = fmt.Sprintf("%.2f", b/e)
		}
	}
	r.rows = append(r.rows, row{scenario, metric, format(bluehats), format(echo), ratio, target, met})
}

func (r *report) fail(scenario string, err error) {
	msg := strings.ReplaceAll(strings.SplitN(err.Error(), "\n", 2)[0], "|", "\\|")
	r.rows = append(r.rows, row{scenario: scenario, metric: "**failed**: " + msg, met: "**no**"})
}

func (r *report) note(s string) { r.notes = append(r.notes, s) }

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, !math.IsNaN(x)
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

func format(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case float64:
		switch a := math.Abs(x); {
		case math.IsNaN(x):
			return "—"
		case a >= 100:
			return fmt.Sprintf("%.0f", x)
		case a >= 10:
			return fmt.Sprintf("%.1f", x)
		default:
			return fmt.Sprintf("%.2f", x)
		}
	default:
		return fmt.Sprint(x)
	}
}

func (r *report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Results of %s\n\n", r.started.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "Machine: %s\n\n", r.machine)
	fmt.Fprintf(&b, "Tree: %s\n\n", r.revision)
	o := r.options
	fmt.Fprintf(&b, "Run: `go run -tags goolm ./bench/load -latency %d -members %d -commands %d -mix %s -fanout %d -fanout-workers %d -rooms %d -timeout %s`",
		o.latency, o.members, o.commands, o.mix, o.fanout, o.fanoutWorkers, o.rooms, o.timeout)
	if !r.finished.IsZero() {
		fmt.Fprintf(&b, ", %s in all", r.finished.Sub(r.started).Round(time.Second))
	}
	b.WriteString(".\n\n")
	b.WriteString("| scenario | metric | bluehats-bot | echo bot | ratio | target | met? |\n")
	b.WriteString("|---|---|---:|---:|---:|---|---|\n")
	for _, x := range r.rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", x.scenario, x.metric, x.bluehats, x.echo, x.ratio, x.target, x.met)
	}
	if len(r.notes) > 0 {
		b.WriteString("\n")
		for _, n := range r.notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	if r.profile != "" {
		b.WriteString("\n<details><summary>bluehats-bot's CPU profile in scenarios 5 (idle), 1 and 2 (go tool pprof -top)</summary>\n\n```\n")
		b.WriteString(strings.TrimRight(r.profile, "\n") + "\n")
		b.WriteString("```\n\n</details>\n")
	}
	if len(r.raw) > 0 {
		b.WriteString("\n<details><summary>go test -bench output</summary>\n\n```\n")
		for _, s := range r.raw {
			b.WriteString(strings.TrimRight(s, "\n") + "\n")
		}
		b.WriteString("```\n\n</details>\n")
	}
	return b.String()
}

// pprofTop summarises a CPU profile: the functions with the most time,
// their own and with what they call.
func pprofTop(ctx context.Context, bin, profile string) (string, error) {
	if _, err := os.Stat(profile); err != nil {
		return "", err
	}
	out, err := exec.CommandContext(ctx, "go", "tool", "pprof", "-top", "-nodecount=25", bin, profile).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go tool pprof: %w: %s", err, out)
	}
	return string(out), nil
}

// machineInfo names the CPU, cores, memory, Go and Dendrite of the run.
func machineInfo(root string) string {
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := "unknown memory"
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(data), "MemTotal: %d kB", &kb); err == nil {
			mem = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	kernel := "Linux"
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = "Linux " + strings.TrimSpace(string(data))
	}
	goVersion := runtime.Version()
	cmd := exec.Command("go", "env", "GOVERSION")
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil {
		goVersion = strings.TrimSpace(string(out))
	}
	return fmt.Sprintf("%s, %d cores, %s, %s, %s, Dendrite %s (SQLite)", cpu, runtime.NumCPU(), mem, kernel, goVersion, dendriteVersion())
}

// revision names the tree that was measured: the commit, "-dirty" when
// files differ from it.
func revision(root string) string {
	cmd := exec.Command("git", "describe", "--always", "--dirty", "--abbrev=10")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return "unknown (no git)"
	}
	return strings.TrimSpace(string(out))
}

// dendriteVersion asks the binary scripts/dendrite.sh installed.
func dendriteVersion() string {
	cache := os.Getenv("BLUEHATS_CACHE")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "unknown"
		}
		cache = filepath.Join(home, ".cache", "bluehats-bot")
	}
	out, err := exec.Command(filepath.Join(cache, "bin", "dendrite"), "-version").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}
