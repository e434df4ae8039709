//go:build demo

// The demo drives a local Dendrite through internal/devserver, which the
// production binary does not carry: it is built in with -tags demo, as
// make demo does.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"gopkg.in/yaml.v3"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	bluehatsbot "github.com/bluehats/bluehats-bot"
	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/internal/devserver"
)

// Demo accounts live only on the local homeserver the demo starts.
const (
	demoBot          = "bluehats-bot"
	demoBotPassword  = "bluehats-demo-bot"
	demoUser         = "demo"
	demoUserPassword = "bluehats-demo"
	demoRoomAlias    = "bluehats-demo"
	demoDefaultNow   = "2023-11-13T10:00:00+01:00"
)

// demo starts a local Dendrite, registers the bot and a demo member, creates
// a room with both, and runs the bot with the example config.
func demo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", ".demo", "folder for the homeserver, the config and the database")
	now := fs.String("now", demoDefaultNow, "rehearsal clock start (RFC 3339); empty for the real time")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	fmt.Fprintln(stdout, "Starting a local Dendrite (the first time, this installs it: a few minutes)…")
	setupCtx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	srv, err := devserver.Start(setupCtx, filepath.Join(*dir, "homeserver"))
	if err != nil {
		fmt.Fprintf(stderr, "demo: start homeserver: %v\n", err)
		return exitRuntime
	}
	defer srv.Stop()

	cfgPath, room, member, err := prepareDemo(setupCtx, srv, *dir)
	if err != nil {
		fmt.Fprintf(stderr, "demo: %v\n", err)
		return exitRuntime
	}
	fmt.Fprintf(stdout, `
bluehats-bot demo
  homeserver:  %s  (server name %s)
  member:      %s  password %s
  room:        #%s:%s  (%s)
  config:      %s
Connect any Matrix client (e.g. Element with a custom homeserver) as the
member and type !aide, !salon, !lieu or a question such as "où a lieu le
salon ?". The calendar clock starts at %s. Ctrl-C stops everything.

`, srv.URL, srv.ServerName, srv.UserID(demoUser), demoUserPassword, demoRoomAlias, srv.ServerName, room, cfgPath, orReal(*now))

	go greet(ctx, member, room, stdout)
	return serveConfig(ctx, cfgPath, *now, false, stderr)
}

func orReal(now string) string {
	if now == "" {
		return "the real time"
	}
	return now
}

// prepareDemo registers the accounts, creates the room once, and writes the
// demo config from the example, keeping its comments.
func prepareDemo(ctx context.Context, srv *devserver.Server, dir string) (cfgPath string, room id.RoomID, member *mautrix.Client, err error) {
	if err = srv.Register(ctx, demoBot, demoBotPassword, false); err != nil {
		return "", "", nil, fmt.Errorf("register bot: %w", err)
	}
	if err = srv.Register(ctx, demoUser, demoUserPassword, false); err != nil {
		return "", "", nil, fmt.Errorf("register member: %w", err)
	}
	member, err = srv.Login(ctx, demoUser, demoUserPassword)
	if err != nil {
		return "", "", nil, fmt.Errorf("log in member: %w", err)
	}
	alias := id.NewRoomAlias(demoRoomAlias, srv.ServerName)
	if resp, rerr := member.ResolveAlias(ctx, alias); rerr == nil {
		room = resp.RoomID
	} else {
		created, cerr := member.CreateRoom(ctx, &mautrix.ReqCreateRoom{
			RoomAliasName: demoRoomAlias,
			Name:          "BlueHats · Open Source Experience (démo)",
			Topic:         "Démo de bluehats-bot : tapez !aide",
			Preset:        "public_chat",
		})
		if cerr != nil {
			return "", "", nil, fmt.Errorf("create room: %w", cerr)
		}
		room = created.RoomID
	}

	if err = os.WriteFile(filepath.Join(dir, "open-source-experience-2023.md"), bluehatsbot.ExamplePost, 0o644); err != nil {
		return "", "", nil, fmt.Errorf("write post: %w", err)
	}
	data, err := demoConfig(map[string]any{
		"matrix.homeserver_url": srv.URL,
		"matrix.user_id":        srv.UserID(demoBot).String(),
		"matrix.password":       demoBotPassword,
		"matrix.rooms":          []string{alias.String()},
		"bot.organisers":        []string{srv.UserID(demoUser).String()},
		"database.uri":          "bluehats.db",
		"event.source":          "open-source-experience-2023.md",
	})
	if err != nil {
		return "", "", nil, err
	}
	cfgPath = filepath.Join(dir, "config.yaml")
	if err = os.WriteFile(cfgPath, data, 0o600); err != nil {
		return "", "", nil, fmt.Errorf("write config: %w", err)
	}
	return cfgPath, room, member, nil
}

// demoConfig sets values in the embedded example config by dotted key.
func demoConfig(values map[string]any) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(bluehatsbot.ExampleConfig, &doc); err != nil {
		return nil, fmt.Errorf("read example config: %w", err)
	}
	for key, val := range values {
		node := lookup(&doc, key)
		if node == nil {
			return nil, fmt.Errorf("example config has no %s", key)
		}
		var repl yaml.Node
		if err := repl.Encode(val); err != nil {
			return nil, err
		}
		repl.HeadComment, repl.LineComment = node.HeadComment, node.LineComment
		*node = repl
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return nil, err
	}
	// The demo's config must itself be valid.
	if _, ps := config.Parse(out); len(ps.Errors()) > 0 {
		return nil, fmt.Errorf("demo config: %w", ps.Errors())
	}
	return out, nil
}

func lookup(doc *yaml.Node, key string) *yaml.Node {
	n := doc.Content[0]
	for _, part := range strings.Split(key, ".") {
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == part {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// greet has the demo member ask !salon once the bot is in the room, and
// prints the answer, so the demo shows the bot working even without a
// Matrix client at hand.
func greet(ctx context.Context, member *mautrix.Client, room id.RoomID, out io.Writer) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	botID := id.NewUserID(demoBot, member.UserID.Homeserver())
	var sent id.EventID
	syncer := member.Syncer.(*mautrix.DefaultSyncer)
	syncer.OnEventType(event.StateMember, func(ctx context.Context, evt *event.Event) {
		if sent != "" || evt.RoomID != room || evt.GetStateKey() != botID.String() || evt.Content.AsMember().Membership != event.MembershipJoin {
			return
		}
		resp, err := member.SendText(ctx, room, "!salon")
		if err == nil {
			sent = resp.EventID
			fmt.Fprintf(out, "%s: !salon\n", member.UserID)
		}
	})
	syncer.OnEventType(event.EventMessage, func(_ context.Context, evt *event.Event) {
		if sent == "" || evt.Sender != botID || evt.Content.AsMessage().RelatesTo.GetReplyTo() != sent {
			return
		}
		fmt.Fprintf(out, "%s:\n%s\n\n", botID, evt.Content.AsMessage().Body)
		cancel()
	})
	if err := member.SyncWithContext(ctx); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(out, "demo member sync: %v\n", err)
	}
}
