package bot

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/i18n"
)

// benchRouter is the router of the example config, without a database.
func benchRouter(b *testing.B) *commands.Router {
	data, err := os.ReadFile("../config.yaml.example")
	if err != nil {
		b.Fatal(err)
	}
	cfg, ps := config.Parse([]byte(strings.Replace(string(data), `password: ""`, `password: "x-password"`, 1)))
	if len(ps.Errors()) > 0 {
		b.Fatal(ps)
	}
	cfg.Path = "../config.yaml.example"
	ev, eps := cfg.BuildEvent()
	if len(eps) > 0 {
		b.Fatal(eps)
	}
	now := time.Date(2023, 11, 13, 10, 0, 0, 0, ev.Location)
	return commands.NewRouter(&commands.Env{Conference: ev, Clock: clock.NewFake(now), Prefix: "!", DefaultLang: i18n.FR, Names: commands.IDNames{}})
}

// BenchmarkInfoCommand is the hot path of an info command: parse,
// dispatch, handle and render to the message content that is sent.
func BenchmarkInfoCommand(b *testing.B) {
	for _, cmd := range []string{"!salon", "!lieu", "!dates", "!aide"} {
		b.Run(cmd, func(b *testing.B) {
			r := benchRouter(b)
			in := commands.Input{Sender: "@u:x", Room: "!r:x", Body: cmd}
			b.ReportAllocs()
			for b.Loop() {
				handleAndRender(b, r, in)
			}
		})
	}
}

// BenchmarkQuestion is a free question, matched and answered and rendered.
func BenchmarkQuestion(b *testing.B) {
	r := benchRouter(b)
	in := commands.Input{Sender: "@u:x", Room: "!r:x", Body: "où a lieu le salon ?", Question: true}
	b.ReportAllocs()
	for b.Loop() {
		handleAndRender(b, r, in)
	}
}

// handleAndRender is the bot's work on one message, short of sending.
func handleAndRender(b *testing.B, r *commands.Router, in commands.Input) {
	reply, _, err := r.Handle(context.Background(), in)
	if err != nil || reply == nil {
		b.Fatal(err)
	}
	for _, p := range reply.Parts {
		_ = renderPart(p)
	}
}
