package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// benchResult is one line of go test -bench output: its metrics by unit.
type benchResult struct {
	name    string
	metrics map[string]float64
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.+)$`)

// parseBench reads the result lines of go test -bench.
func parseBench(out string) map[string]benchResult {
	res := map[string]benchResult{}
	for _, l := range strings.Split(out, "\n") {
		m := benchLine.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil {
			continue
		}
		r := benchResult{name: m[1], metrics: map[string]float64{}}
		f := strings.Fields(m[2])
		for i := 0; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				r.metrics[f[i+1]] = v
			}
		}
		res[r.name] = r
	}
	return res
}

// goBenchmarks runs the data-scale and micro benchmarks of the packages
// (scenarios 4 and 6) and adds their rows.
func goBenchmarks(ctx context.Context, root string, rep *report) error {
	var errs []error
	run := func(pkg, pattern string) map[string]benchResult {
		ctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
		defer cancel()
		args := []string{"test", "-tags", "goolm", "-run", "^$", "-bench", pattern, "-benchmem", pkg}
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		rep.raw = append(rep.raw, "$ go "+strings.Join(args, " "), string(out))
		if err != nil {
			errs = append(errs, fmt.Errorf("go %s: %w", strings.Join(args, " "), err))
		}
		return parseBench(string(out))
	}
	// get returns a metric, NaN (shown as —) when the benchmark did not run.
	get := func(res map[string]benchResult, name, unit string) float64 {
		if r, ok := res[name]; ok {
			if v, ok := r.metrics[unit]; ok {
				return v
			}
		}
		return math.NaN()
	}

	data := run("./commands", "ListProposals10k|ExportCSV10k")
	list := get(data, "BenchmarkListProposals10k", "ns/op") / 1e6
	export := get(data, "BenchmarkExportCSV10k", "ns/op") / 1e6
	rep.add("4. Scale of data", "!propositions, one page among 10,000 proposals (ms/op)", list, nil, "< 50 ms", verdictNaN(list, list < 50))
	rep.add("4. Scale of data", "CSV export of 10,000 proposals (ms/op)", export, nil, "< 1000 ms", verdictNaN(export, export < 1000))
	rep.add("4. Scale of data", "database with 10,000 proposals (db-MiB)", get(data, "BenchmarkExportCSV10k", "db-MiB"), nil, "", "")

	micro := run("./bot", "InfoCommand|Question")
	for _, cmd := range []string{"!salon", "!lieu", "!dates", "!aide"} {
		us := get(micro, "BenchmarkInfoCommand/"+cmd, "ns/op") / 1e3
		rep.add("6. Micro", fmt.Sprintf("info command %s: parse, handle, render (µs/op)", cmd), us, nil, "≤ 20 µs", verdictNaN(us, us <= 20))
	}
	q := get(micro, "BenchmarkQuestion", "ns/op") / 1e3
	rep.add("6. Micro", "question « où a lieu le salon ? »: match, answer, render (µs/op)", q, nil, "≤ 50 µs", verdictNaN(q, q <= 50))

	match := run("./match", "Match")
	m := get(match, "BenchmarkMatch", "ns/op") / 1e3
	rep.add("6. Micro", "question matching alone, 5 questions (µs/op)", m, nil, "≤ 50 µs", verdictNaN(m, m <= 50))
	return errors.Join(errs...)
}

func verdictNaN(v float64, ok bool) string {
	if math.IsNaN(v) {
		return "**not run**"
	}
	return verdict(ok)
}
