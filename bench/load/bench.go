package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/internal/devserver"
)

// rehearsal is the calendar instant of the load scenarios: proposals open.
const rehearsal = "2023-11-13T10:00:00+01:00"

// readyMessage is bluehats-bot's log line after its first sync.
const readyMessage = "Ready: first sync processed"

// startTimeout bounds a bot's start: a login, joins Dendrite rate-limits
// (5 per 500 ms) and a first sync.
const startTimeout = 2 * time.Minute

// bench is one run: the homeserver, the two bots, their rooms and members.
type bench struct {
	o          options
	root, work string
	rep        *report
	runID      string

	hs             *devserver.Server
	bhBin, echoBin string
	host           *mautrix.Client // creates the rooms, so that members are not room admins
	botID, echoID  id.UserID
	botPassword    string
	echoToken      string
	bhRooms        []id.RoomID
	echoRooms      []id.RoomID
	members        []*member
	bh, echo       *proc
	botDir, botDB  string
	botSettings    []setting
	sendRTT        []time.Duration // a member's /send round trips, scenario 1
	down           bool
}

func (b *bench) setup(ctx context.Context) error {
	var rnd [3]byte
	_, _ = rand.Read(rnd[:])
	b.runID = hex.EncodeToString(rnd[:])

	log.Print("starting Dendrite (installed first if missing: minutes)")
	hsDir := filepath.Join(b.work, "dendrite")
	sctx, cancel := context.WithTimeout(ctx, 20*time.Minute)
	hs, err := devserver.Start(sctx, hsDir)
	cancel()
	if err != nil {
		stopDendrite(hsDir)
		return err
	}
	b.hs = hs
	if !strings.HasPrefix(hs.URL, "http://127.0.0.1:") {
		return fmt.Errorf("homeserver at %s, not on 127.0.0.1", hs.URL)
	}
	if pid, err := b.dendritePID(); err == nil {
		b.rep.dendritePID = pid
	}

	log.Print("building bluehats-bot and the echo bot")
	if b.bhBin, b.echoBin, err = buildBinaries(ctx, b.root, b.work); err != nil {
		return err
	}

	log.Printf("registering the bots, a host and %d members", b.o.members)
	b.botPassword = "pw-bluehats-" + b.runID
	if err := hs.Register(ctx, "bluehats", b.botPassword, false); err != nil {
		return err
	}
	b.botID = hs.UserID("bluehats")
	echo, err := hs.RegisterClient(ctx, "echo", "pw-echo-"+b.runID, false)
	if err != nil {
		return err
	}
	b.echoID, b.echoToken = echo.UserID, echo.AccessToken
	if b.host, err = hs.RegisterClient(ctx, "host", "pw-host-"+b.runID, false); err != nil {
		return err
	}
	b.members = make([]*member, b.o.members)
	if err := parallel(ctx, b.o.members, 4, func(ctx context.Context, i int) error {
		var err error
		b.members[i], err = newMember(ctx, hs, fmt.Sprintf("member%02d", i))
		return err
	}); err != nil {
		return err
	}

	// Room 0 holds member 0 alone (latency), room 1 every member
	// (concurrency); member 0 is in all of them (one command each).
	log.Printf("creating %d rooms per bot", b.o.rooms)
	for i := range b.o.rooms {
		bh, err := b.createRoom(ctx, fmt.Sprintf("bluehats %d", i))
		if err != nil {
			return err
		}
		echo, err := b.createRoom(ctx, fmt.Sprintf("echo %d", i), b.echoID)
		if err != nil {
			return err
		}
		b.bhRooms, b.echoRooms = append(b.bhRooms, bh), append(b.echoRooms, echo)
		for j, m := range b.members {
			if i == 1 || j == 0 {
				if err := m.joinRoom(ctx, bh); err != nil {
					return err
				}
				if err := m.joinRoom(ctx, echo); err != nil {
					return err
				}
			}
		}
	}

	b.botDir = filepath.Join(b.work, "bluehats")
	if err := os.MkdirAll(b.botDir, 0o700); err != nil {
		return err
	}
	b.botDB = filepath.Join(b.botDir, "bluehats.db")
	rooms := make([]string, len(b.bhRooms))
	for i, r := range b.bhRooms {
		rooms[i] = r.String()
	}
	b.botSettings = []setting{
		set(hs.URL, "matrix", "homeserver_url"),
		set(b.botID.String(), "matrix", "user_id"),
		set(b.botPassword, "matrix", "password"),
		set(rooms, "matrix", "rooms"),
		set(b.botDB, "database", "uri"),
		// A load test is one member firing hundreds of commands; the
		// limits meant for people would answer most of them with a refusal.
		set(100000, "bot", "rate_limit", "burst"),
		set(1000000, "bot", "rate_limit", "per_minute"),
		set(1000000, "proposals", "max_per_person"),
	}
	log.Print("starting both bots")
	if _, _, err := b.startBluehats(ctx, "first", rehearsal, b.botSettings...); err != nil {
		return err
	}
	if _, err := b.startEcho(ctx, "first"); err != nil {
		return err
	}
	for i := range b.o.rooms {
		if err := b.checkJoined(ctx, b.bhRooms[i], b.botID); err != nil {
			return err
		}
		if err := b.checkJoined(ctx, b.echoRooms[i], b.echoID); err != nil {
			return err
		}
	}
	// One after another: parallel's context ends with it, and the sync
	// loops must outlive it.
	for _, m := range b.members {
		if err := m.startSync(ctx); err != nil {
			return err
		}
	}
	return nil
}

// teardown stops the members, the bots and Dendrite; calling it twice is
// harmless.
func (b *bench) teardown() {
	if b.down {
		return
	}
	b.down = true
	for _, m := range b.members {
		if m != nil {
			m.stop()
		}
	}
	for _, p := range []*proc{b.bh, b.echo} {
		if p != nil {
			if err := p.stop(); err != nil {
				log.Print(err)
			}
		}
	}
	if b.hs != nil {
		if err := b.hs.Stop(); err != nil {
			log.Printf("stop Dendrite: %v", err)
		}
	}
}

// stopDendrite stops a server whose start failed half-way, so that no
// process outlives the run.
func stopDendrite(dir string) {
	if script, err := devserver.FindScript(); err == nil {
		_ = exec.Command("bash", script, "stop", dir).Run()
	}
}

func (b *bench) dendritePID() (int, error) {
	data, err := os.ReadFile(filepath.Join(b.hs.Dir, "pid"))
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(data)))
}

func (b *bench) createRoom(ctx context.Context, name string, invite ...id.UserID) (id.RoomID, error) {
	var room id.RoomID
	err := devserver.RetryRateLimited(ctx, func() error {
		resp, err := b.host.CreateRoom(ctx, &mautrix.ReqCreateRoom{Name: name, Preset: "public_chat", Invite: invite})
		if err == nil {
			room = resp.RoomID
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("create room %s: %w", name, err)
	}
	return room, nil
}

func (b *bench) checkJoined(ctx context.Context, room id.RoomID, user id.UserID) error {
	resp, err := b.host.JoinedMembers(ctx, room)
	if err != nil {
		return fmt.Errorf("members of %s: %w", room, err)
	}
	if _, ok := resp.Joined[user]; !ok {
		return fmt.Errorf("%s has not joined %s", user, room)
	}
	return nil
}

// profilePath is where a run of bluehats-bot writes its CPU profile.
func (b *bench) profilePath(label string) string {
	return filepath.Join(b.work, "bluehats-"+label+".cpu.pprof")
}

// startBluehats writes the config and starts bluehats-bot with the
// calendar at now, and waits for its first sync. It returns since_start
// from the bot's log and the wall time from the process start.
func (b *bench) startBluehats(ctx context.Context, label, now string, settings ...setting) (sinceStart, wall time.Duration, err error) {
	cfg, err := writeBotConfig(b.root, b.botDir, settings...)
	if err != nil {
		return 0, 0, err
	}
	p, err := startProc("bluehats-bot", b.bhBin, filepath.Join(b.work, "bluehats-"+label+".log"), "-config", cfg, "-now", now,
		"-cpuprofile", b.profilePath(label))
	if err != nil {
		return 0, 0, err
	}
	b.bh = p
	var ready struct {
		SinceStart float64 `json:"since_start"`
	}
	l, err := p.waitLine(ctx, 0, startTimeout, "ready log line", func(s string) bool {
		var entry struct {
			Message string `json:"message"`
		}
		return json.Unmarshal([]byte(s), &entry) == nil && entry.Message == readyMessage
	})
	if err != nil {
		return 0, 0, err
	}
	if err := json.Unmarshal([]byte(l.text), &ready); err != nil {
		return 0, 0, fmt.Errorf("bluehats-bot ready line %q: %w", l.text, err)
	}
	return time.Duration(ready.SinceStart * float64(time.Millisecond)), l.at.Sub(p.started), nil
}

// startEcho starts the echo bot and returns the time from the process
// start to its "ready".
func (b *bench) startEcho(ctx context.Context, label string) (time.Duration, error) {
	p, err := startProc("echobot", b.echoBin, filepath.Join(b.work, "echobot-"+label+".log"),
		"-homeserver", b.hs.URL, "-user", b.echoID.String(), "-token", b.echoToken)
	if err != nil {
		return 0, err
	}
	b.echo = p
	l, err := p.waitLine(ctx, 0, startTimeout, `"ready"`, func(s string) bool { return s == "ready" })
	if err != nil {
		return 0, err
	}
	return l.at.Sub(p.started), nil
}

// parallel runs fn for 0..n-1 on at most workers goroutines, and stops
// handing out work at the first error.
func parallel(ctx context.Context, n, workers int, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for i := range jobs {
				if err := fn(ctx, i); err != nil {
					cancel(err)
				}
			}
		})
	}
	for i := range n {
		select {
		case jobs <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(jobs)
	wg.Wait()
	return context.Cause(ctx)
}
