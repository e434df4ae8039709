package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The production binary carries neither the test homeserver's driver
// (internal/...) nor the benchmarks: the demo that needs the first is built
// in only with -tags demo.
func TestProductionImportGraph(t *testing.T) {
	for _, tags := range []string{"goolm", "goolm,demo"} {
		out, err := exec.Command("go", "list", "-deps", "-tags", tags, ".").Output()
		if err != nil {
			t.Fatalf("go list -tags %s: %v", tags, err)
		}
		var internal []string
		for _, pkg := range strings.Fields(string(out)) {
			if strings.HasPrefix(pkg, "github.com/bluehats/bluehats-bot/internal/") || strings.HasPrefix(pkg, "github.com/bluehats/bluehats-bot/bench") {
				internal = append(internal, pkg)
			}
		}
		if want := tags != "goolm"; (len(internal) > 0) != want {
			t.Errorf("-tags %s: packages from internal/ or bench/: %v", tags, internal)
		}
	}
}
