package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// Targets of the issue: latency ratios to the echo bot of at most 1.1 at
// the median and 1.3 at p99, and 1.3 at p99 under concurrent load.
const (
	targetP50Ratio  = 1.1
	targetP99Ratio  = 1.3
	targetIdleMiB   = 40
	targetPeakMiB   = 100
	targetColdStart = time.Second
)

// idle has each bot answer one command in each of its rooms, then reads
// its resident memory: what the bot costs while the community is quiet.
func (b *bench) idle(ctx context.Context) error {
	m := b.members[0]
	for i := range b.o.rooms {
		if _, _, err := m.ask(ctx, b.bhRooms[i], text("!salon"), b.o.timeout); err != nil {
			return err
		}
		if _, _, err := m.ask(ctx, b.echoRooms[i], text("bonjour"), b.o.timeout); err != nil {
			return err
		}
	}
	bh, _, err := memory(b.bh.pid())
	if err != nil {
		return err
	}
	echo, _, err := memory(b.echo.pid())
	if err != nil {
		return err
	}
	b.rep.add("5. Cost", fmt.Sprintf("resident memory idle in %d rooms, after one command in each (VmRSS, MiB)", b.o.rooms),
		mib(bh), mib(echo), fmt.Sprintf("< %d MiB", targetIdleMiB), verdict(mib(bh) < targetIdleMiB))
	return nil
}

// roundTrip sends a text and waits for its reply, returning the time from
// the send to the reply; the send's own round trip is kept too.
func (b *bench) roundTrip(ctx context.Context, m *member, room id.RoomID, body string) (time.Duration, error) {
	evt, sent, rtt, err := m.send(ctx, room, text(body))
	if err != nil {
		return 0, err
	}
	at, err := m.waitReply(ctx, evt, b.o.timeout)
	if err != nil {
		return 0, err
	}
	b.sendRTT = append(b.sendRTT, rtt)
	return at.Sub(sent), nil
}

// latency sends commands one after another from one member, each after
// the previous reply, alternating between the bots so that both meet the
// same homeserver at the same moments.
func (b *bench) latency(ctx context.Context) error {
	m := b.members[0]
	bhCPU0, err := cpuTime(b.bh.pid())
	if err != nil {
		return err
	}
	echoCPU0, err := cpuTime(b.echo.pid())
	if err != nil {
		return err
	}
	cpu0 := b.cpuNow(nil)
	var bhLat, echoLat []time.Duration
	start := time.Now()
	for i := range b.o.latency {
		lat, err := b.roundTrip(ctx, m, b.bhRooms[0], "!salon")
		if err != nil {
			return err
		}
		bhLat = append(bhLat, lat)
		if lat, err = b.roundTrip(ctx, m, b.echoRooms[0], fmt.Sprintf("message %d", i)); err != nil {
			return err
		}
		echoLat = append(echoLat, lat)
	}
	took := time.Since(start)
	bhCPU, err := cpuTime(b.bh.pid())
	if err != nil {
		return err
	}
	echoCPU, err := cpuTime(b.echo.pid())
	if err != nil {
		return err
	}
	cpu := b.cpuNow(nil).since(cpu0)

	n := float64(b.o.latency)
	bh50, e50 := ms(percentile(bhLat, 50)), ms(percentile(echoLat, 50))
	bh99, e99 := ms(percentile(bhLat, 99)), ms(percentile(echoLat, 99))
	what := fmt.Sprintf("%d × !salon vs %d × text, one member, one at a time", b.o.latency, b.o.latency)
	b.rep.add("1. Latency", "p50 send → reply (ms), "+what, bh50, e50, ratioTarget(targetP50Ratio), verdict(bh50/e50 <= targetP50Ratio))
	b.rep.add("1. Latency", "p99 send → reply (ms)", bh99, e99, ratioTarget(targetP99Ratio), verdict(bh99/e99 <= targetP99Ratio))
	b.rep.add("1. Latency", "mean send → reply (ms)", ms(mean(bhLat)), ms(mean(echoLat)), "", "")
	bhPer1k := (bhCPU - bhCPU0).Seconds() / n * 1000
	echoPer1k := (echoCPU - echoCPU0).Seconds() / n * 1000
	b.rep.add("5. Cost", "CPU seconds per 1,000 commands (utime+stime over scenario 1)", bhPer1k, echoPer1k, "", "")
	b.rep.note(fmt.Sprintf("Scenario 1 took %s for %d round trips (both bots); a member's /send call alone took p50 %.1f ms, p99 %.1f ms. "+
		"Dendrite used %.1f CPU s in that time, %.1f s per 1,000 round trips.",
		took.Round(time.Millisecond), 2*b.o.latency, ms(percentile(b.sendRTT, 50)), ms(percentile(b.sendRTT, 99)),
		cpu.homeserver.Seconds(), cpu.homeserver.Seconds()/(2*n)*1000))
	return nil
}

// loadResult is one bot's share of scenario 2.
type loadResult struct {
	lats       []time.Duration
	sent, lost int
	replies    int // replies seen in the room
	duplicates int // replies beyond those expected for the command
	short      int // fewer replies than expected, but at least one
	took       time.Duration
	peak       int64
	cpu        cpuShare
}

// concurrency has every member send its commands at once (each waiting
// for its reply before the next, as people do), first to bluehats-bot,
// then the same texts to the echo bot.
func (b *bench) concurrency(ctx context.Context) error {
	bh, err := b.load(ctx, b.bh, b.bhRooms[1], b.botID, true)
	if err != nil {
		return err
	}
	echo, err := b.load(ctx, b.echo, b.echoRooms[1], b.echoID, false)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("%d members × %d commands at once (%s mix), one room", b.o.members, b.o.commands, b.o.mix)
	b.rep.add("2. Concurrency", "lost replies (none within "+b.o.timeout.String()+"), "+what, bh.lost, echo.lost, "0", verdict(bh.lost == 0))
	b.rep.add("2. Concurrency", "duplicate replies", bh.duplicates, echo.duplicates, "0", verdict(bh.duplicates == 0))
	b.rep.add("2. Concurrency", "p50 send → reply (ms)", ms(percentile(bh.lats, 50)), ms(percentile(echo.lats, 50)), "", "")
	b.rep.add("2. Concurrency", "p99 send → reply (ms)", ms(percentile(bh.lats, 99)), ms(percentile(echo.lats, 99)), ratioTarget(targetP99Ratio),
		verdict(ms(percentile(bh.lats, 99))/ms(percentile(echo.lats, 99)) <= targetP99Ratio))
	b.rep.add("2. Concurrency", "commands answered per second", float64(bh.sent)/bh.took.Seconds(), float64(echo.sent)/echo.took.Seconds(), "", "")
	b.rep.add("5. Cost", "peak resident memory during scenario 2 (VmHWM, MiB)", mib(bh.peak), mib(echo.peak),
		fmt.Sprintf("< %d MiB", targetPeakMiB), verdict(mib(bh.peak) < targetPeakMiB))
	b.rep.note(fmt.Sprintf("Scenario 2 (%s mix): for %d commands, bluehats-bot posted %d replies in the room, the echo bot %d.",
		b.o.mix, bh.sent, bh.replies, echo.replies))
	b.rep.note(fmt.Sprintf("Scenario 2, CPU used while bluehats-bot was under load: %s; while the echo bot was: %s. "+
		"The machine has %d cores.", bh.cpu.String(bh.took), echo.cpu.String(echo.took), runtime.NumCPU()))
	if bh.short > 0 || echo.short > 0 {
		b.rep.note(fmt.Sprintf("Scenario 2: commands answered only in part (fewer replies than parts): bluehats-bot %d, echo bot %d.", bh.short, echo.short))
	}
	return nil
}

// load runs scenario 2 against one bot.
func (b *bench) load(ctx context.Context, p *proc, room id.RoomID, botID id.UserID, bluehats bool) (loadResult, error) {
	var res loadResult
	if err := resetPeak(p.pid()); err != nil {
		return res, err
	}
	cpu0 := b.cpuNow(p)
	type asked struct {
		m    *member
		evt  id.EventID
		want int
	}
	var (
		mu       sync.Mutex
		all      []asked
		firstErr error
		wg       sync.WaitGroup
	)
	start := time.Now()
	for i, m := range b.members {
		wg.Go(func() {
			for j := range b.o.commands {
				content, want := mixed(botID, i, j, bluehats, b.o.mix == "single")
				evt, lat, err := m.ask(ctx, room, content, b.o.timeout)
				mu.Lock()
				switch {
				case err == nil:
					res.lats = append(res.lats, lat)
				case errors.Is(err, errNoReply):
					res.lost++
				default:
					if firstErr == nil {
						firstErr = err
					}
				}
				if evt != "" {
					all = append(all, asked{m, evt, want})
				}
				mu.Unlock()
				if err != nil && !errors.Is(err, errNoReply) {
					return
				}
			}
		})
	}
	wg.Wait()
	res.took, res.sent = time.Since(start), len(all)
	res.cpu = b.cpuNow(p).since(cpu0)
	if firstErr != nil {
		return res, firstErr
	}
	// Both bots answer a room in order, and syncs deliver in order: once
	// every member has seen the reply to a last message, any duplicate of
	// an earlier reply would have been seen too.
	barrier, _, err := b.members[0].ask(ctx, room, text("!dates"), b.o.timeout)
	if err != nil {
		return res, fmt.Errorf("barrier: %w", err)
	}
	for _, m := range b.members {
		if _, err := m.waitReply(ctx, barrier, b.o.timeout); err != nil {
			return res, fmt.Errorf("barrier: %w", err)
		}
	}
	for _, a := range all {
		n := a.m.replyCount(a.evt)
		res.replies += n
		switch {
		case n > a.want:
			res.duplicates += n - a.want
		case n > 0 && n < a.want:
			res.short++
		}
	}
	_, res.peak, err = memory(p.pid())
	return res, err
}

// mixed is command j of member i: info commands, questions to the bot
// (mentioning it) and one-line proposals. want is how many replies in the
// room the command gets: !lieu and the venue question add a map; a
// proposal in a public room gets a brief reply there and its details by
// direct chat, not counted. The echo bot answers everything once. With
// single, the mix keeps only commands answered by one message.
func mixed(bot id.UserID, i, j int, bluehats, single bool) (*event.MessageEventContent, int) {
	mention := func(q string) *event.MessageEventContent {
		return &event.MessageEventContent{MsgType: event.MsgText, Body: bot.Localpart() + ": " + q,
			Mentions: &event.Mentions{UserIDs: []id.UserID{bot}}}
	}
	var content *event.MessageEventContent
	want := 1
	kind := (i + j) % 7
	if single {
		// The control: only commands answered by one message in the room.
		kind = []int{0, 2, 3, 5}[(i+j)%4]
	}
	switch kind {
	case 0:
		content = text("!salon")
	case 1:
		content, want = text("!lieu"), 2
	case 2:
		content = text("!dates")
	case 3:
		content = text("!horaires")
	case 4:
		content, want = mention("où a lieu le salon ?"), 2
	case 5:
		content = mention("à quelle heure ça ouvre ?")
	default:
		content = text(fmt.Sprintf("!proposer 15 Titre %d-%d | Résumé de la proposition %d de la personne %d", i, j, j, i))
	}
	if !bluehats {
		want = 1
	}
	return content, want
}

// coldStart restarts both bots in their rooms and times their first sync.
func (b *bench) coldStart(ctx context.Context) error {
	if err := b.bh.stop(); err != nil {
		return err
	}
	if err := b.echo.stop(); err != nil {
		return err
	}
	since, wall, err := b.startBluehats(ctx, "restart", rehearsal, b.botSettings...)
	if err != nil {
		return err
	}
	echoWall, err := b.startEcho(ctx, "restart")
	if err != nil {
		return err
	}
	b.rep.add("5. Cost", fmt.Sprintf("cold start after a restart, %d rooms: since_start of %q (ms)", b.o.rooms, readyMessage),
		ms(since), nil, fmt.Sprintf("< %d ms", targetColdStart.Milliseconds()), verdict(since < targetColdStart))
	b.rep.add("5. Cost", "cold start: process start → first sync processed, wall (ms)", ms(wall), ms(echoWall), "", "")
	b.rep.note(fmt.Sprintf("Cold start in %d rooms: %s", b.o.rooms, coldStartBreakdown(b.bh, since)))
	return nil
}

func percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	// Nearest rank: the smallest value with at least p % at or below it.
	k := (p*len(s) + 99) / 100
	return s[max(k-1, 0)]
}

func mean(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	return sum / time.Duration(len(d))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func mib(bytes int64) float64    { return float64(bytes) / (1 << 20) }

func ratioTarget(r float64) string { return fmt.Sprintf("ratio ≤ %.1f", r) }

func verdict(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// logEvery logs progress of a long loop now and then.
func logEvery(i, n, every int, what string) {
	if (i+1)%every == 0 || i+1 == n {
		log.Printf("%s: %d/%d", what, i+1, n)
	}
}

// cpuShare is the CPU time of everyone on the machine during a scenario:
// the homeserver, the bot under load and the simulated members (this
// process), to tell what bounds it.
type cpuShare struct {
	homeserver, bot, members time.Duration
}

// cpuNow reads the three counters; bot may be nil. A counter that cannot be
// read stays zero: it only feeds the notes.
func (b *bench) cpuNow(bot *proc) cpuShare {
	var c cpuShare
	c.homeserver, _ = cpuTime(b.rep.dendritePID)
	c.members, _ = cpuTime(os.Getpid())
	if bot != nil {
		c.bot, _ = cpuTime(bot.pid())
	}
	return c
}

func (c cpuShare) since(old cpuShare) cpuShare {
	return cpuShare{c.homeserver - old.homeserver, c.bot - old.bot, c.members - old.members}
}

// String says how many cores each used over a wall time.
func (c cpuShare) String(wall time.Duration) string {
	cores := func(d time.Duration) string {
		return fmt.Sprintf("%.1f CPU s (%.2f cores)", d.Seconds(), d.Seconds()/wall.Seconds())
	}
	return fmt.Sprintf("over %s, Dendrite %s, the bot %s, the members %s",
		wall.Round(100*time.Millisecond), cores(c.homeserver), cores(c.bot), cores(c.members))
}

// coldStartBreakdown splits bluehats-bot's since_start, from its log: the
// time until it had joined its configured rooms (it joins them at every
// start, before syncing), and the first sync after that.
func coldStartBreakdown(p *proc, since time.Duration) string {
	var lastJoin, ready time.Time
	joins := 0
	p.mu.Lock()
	for _, l := range p.lines {
		var entry struct {
			Message string    `json:"message"`
			Time    time.Time `json:"time"`
		}
		if json.Unmarshal([]byte(l.text), &entry) != nil {
			continue
		}
		switch entry.Message {
		case "Joined configured room":
			lastJoin, joins = entry.Time, joins+1
		case readyMessage:
			ready = entry.Time
		}
	}
	p.mu.Unlock()
	if ready.IsZero() {
		return fmt.Sprintf("since_start %.0f ms.", ms(since))
	}
	if lastJoin.IsZero() {
		return fmt.Sprintf("since_start %.0f ms; no configured room had to be joined again, so it is all the first sync.", ms(since))
	}
	sync := ready.Sub(lastJoin)
	return fmt.Sprintf("of since_start %.0f ms, %.0f ms passed until the last of %d configured rooms was joined again "+
		"(every start joins them all; Dendrite allows 5 joins per 500 ms), and %.0f ms from there to the first sync processed.",
		ms(since), ms(since-sync), joins, ms(sync))
}
