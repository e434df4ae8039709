//go:build !demo

package main

import (
	"fmt"
	"io"
)

// demo explains how to run the demo, which this build leaves out.
func demo(_ []string, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "bluehats-bot: this binary is built without the demo; run `make demo` (go run -tags goolm,demo ./cmd/bluehats-bot demo)")
	return 2
}
