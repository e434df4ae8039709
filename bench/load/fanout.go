package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"strings"
	"sync/atomic"
	"time"

	_ "go.mau.fi/util/dbutil/litestream" // registers the sqlite3-fk-wal driver the bot uses
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/internal/devserver"
)

// The reminder of scenario 3: the bot restarts three seconds before it.
const (
	fanoutNow = "2023-11-19T08:59:57+01:00"
	fanoutAt  = "2023-11-19T09:00:00+01:00"
)

// fanoutMember is a member opted in to reminders, with its direct chat.
type fanoutMember struct {
	cli  *mautrix.Client
	room id.RoomID
}

// fanout has N members open a direct chat with bluehats-bot and say
// "!rappels oui", restarts the bot just before a reminder, waits until its
// outbox has sent it to every room and member, and checks each member's
// direct chat for exactly one copy.
func (b *bench) fanout(ctx context.Context) error {
	n := b.o.fanout
	if n == 0 {
		b.rep.add("3. Reminder fan-out", "skipped (-fanout 0)", nil, nil, "", "")
		return nil
	}
	log.Printf("%d members open a direct chat and opt in (%d at a time; the bot's joins are rate-limited)", n, b.o.fanoutWorkers)
	all := make([]fanoutMember, n)
	failed := make([]error, n)
	var done atomic.Int64
	start := time.Now()
	// A member the bot fails to serve is a result, not the end of the run.
	err := parallel(ctx, n, b.o.fanoutWorkers, func(ctx context.Context, i int) error {
		all[i], failed[i] = b.optIn(ctx, i)
		logEvery(int(done.Add(1))-1, n, 100, "opted in")
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	setup := time.Since(start)
	var fans []fanoutMember
	var errs []string
	for i, f := range all {
		if failed[i] != nil {
			errs = append(errs, failed[i].Error())
			continue
		}
		fans = append(fans, f)
	}
	if len(errs) > 0 {
		b.rep.note(fmt.Sprintf("Scenario 3: %d members could not opt in; the first error: %s", len(errs), errs[0]))
		log.Printf("%d members could not opt in; the first error: %s", len(errs), errs[0])
	}
	scen := "3. Reminder fan-out"
	b.rep.add(scen, fmt.Sprintf("members whose opt-in (direct chat joined by the bot, !rappels oui answered) failed, of %d", n),
		len(errs), nil, "0", verdict(len(errs) == 0))
	n = len(fans)

	text := "Rappel du banc d'essai " + b.runID
	schedule := []map[string]string{{"at": fanoutAt, "text": text}}
	if err := b.bh.stop(); err != nil {
		return err
	}
	since, _, err := b.startBluehats(ctx, "fanout", fanoutNow, append(b.botSettings, set(schedule, "reminders", "schedule"))...)
	if err != nil {
		return err
	}
	b.rep.note(fmt.Sprintf("Scenario 3, restart with %d direct chats: ", n) + coldStartBreakdown(b.bh, since))
	want := n + b.o.rooms
	var cpu0 cpuShare
	first, last, total, err := b.waitOutbox(ctx, time.Duration(want)*200*time.Millisecond+2*time.Minute,
		func() { cpu0 = b.cpuNow(b.bh) })
	if err != nil {
		return err
	}
	fanCPU := b.cpuNow(b.bh).since(cpu0)

	log.Printf("checking every direct chat for the reminder")
	var once, missing, extra atomic.Int64
	err = parallel(ctx, len(fans), 16, func(ctx context.Context, i int) error {
		c, err := countFromBot(ctx, fans[i], b.botID, text)
		switch {
		case err != nil:
			return err
		case c == 1:
			once.Add(1)
		case c == 0:
			missing.Add(1)
		default:
			extra.Add(1)
		}
		return nil
	})
	if err != nil {
		return err
	}
	span := last.Sub(first)

	// The yardstick: the same messages sent by a bare client on the bot's
	// account, one by one as the outbox does. First while the bot still
	// runs, its sync loop receiving each message as it does its own, then
	// with the bot stopped, one by one and 8 at a time: the homeserver
	// alone.
	targets := append([]id.RoomID{}, b.bhRooms...)
	for _, f := range fans {
		targets = append(targets, f.room)
	}
	withBot, withBotCPU, err := b.bareSends(ctx, targets, 1)
	if err != nil {
		return err
	}
	if err := b.bh.stop(); err != nil {
		return err
	}
	seq, seqCPU, err := b.bareSends(ctx, targets, 1)
	if err != nil {
		return err
	}
	par, _, err := b.bareSends(ctx, targets, 8)
	if err != nil {
		return err
	}
	b.rep.add(scen, fmt.Sprintf("members who got the reminder exactly once (of %d opted in)", n), once.Load(), nil,
		fmt.Sprintf("%d", n), verdict(once.Load() == int64(n)))
	b.rep.add(scen, "members who got it twice or more / not at all", fmt.Sprintf("%d / %d", extra.Load(), missing.Load()), nil, "0 / 0",
		verdict(extra.Load() == 0 && missing.Load() == 0))
	b.rep.add(scen, fmt.Sprintf("messages sent from the outbox (%d members + %d rooms)", n, b.o.rooms), total, nil,
		fmt.Sprintf("%d", want), verdict(total == want))
	// total sends make total-1 intervals between the first and last sent_at.
	perSend := span / time.Duration(max(total-1, 1))
	seqPer := seq / time.Duration(len(targets))
	b.rep.add(scen, "fan-out time, first → last sent_at (ms); echo column: a bare client on the bot's account sending the same messages one by one",
		ms(span), ms(seq), "", "")
	b.rep.add(scen, "sends per second", float64(total-1)/span.Seconds(), float64(len(targets))/seq.Seconds(), "", "")
	b.rep.add(scen, "time per send (ms)", ms(perSend), ms(seqPer), "", "")
	perMsg := func(d time.Duration, count int) float64 { return ms(d) / float64(count) }
	b.rep.note(fmt.Sprintf("Scenario 3, the %d messages: bluehats-bot's outbox took %.1f ms per send, with per send %.1f ms of Dendrite CPU and %.1f ms of the bot's. "+
		"A bare client sending them one by one took %.1f ms per send while bluehats-bot ran (Dendrite %.1f ms CPU per send, the idle bot's sync loop %.1f ms), "+
		"%.1f ms with the bot stopped (Dendrite %.1f ms CPU per send), and %.1f ms 8 at a time (%.0f sends/s).",
		len(targets), ms(perSend), perMsg(fanCPU.homeserver, total), perMsg(fanCPU.bot, total),
		perMsg(withBot, len(targets)), perMsg(withBotCPU.homeserver, len(targets)), perMsg(withBotCPU.bot, len(targets)),
		ms(seqPer), perMsg(seqCPU.homeserver, len(targets)), perMsg(par, len(targets)), float64(len(targets))/par.Seconds()))
	b.rep.add("5. Cost", fmt.Sprintf("cold start with %d direct chats + %d rooms: since_start (ms)", n, b.o.rooms), ms(since), nil,
		fmt.Sprintf("< %d ms", targetColdStart.Milliseconds()), verdict(since < targetColdStart))
	b.rep.note(fmt.Sprintf("Scenario 3: opting in %d members, %d at a time, took %s.",
		n, b.o.fanoutWorkers, setup.Round(time.Second)))
	return nil
}

// optIn registers member i, opens a direct chat with the bot, waits for the
// bot to join it and says "!rappels oui", waiting for the answer.
func (b *bench) optIn(ctx context.Context, i int) (fanoutMember, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	local := fmt.Sprintf("fan%05d", i)
	cli, err := b.hs.RegisterClient(ctx, local, "pw-"+local, false)
	if err != nil {
		return fanoutMember{}, err
	}
	var room id.RoomID
	err = devserver.RetryRateLimited(ctx, func() error {
		resp, err := cli.CreateRoom(ctx, &mautrix.ReqCreateRoom{Preset: "trusted_private_chat", IsDirect: true, Invite: []id.UserID{b.botID}})
		if err == nil {
			room = resp.RoomID
		}
		return err
	})
	if err != nil {
		return fanoutMember{}, fmt.Errorf("%s: direct chat: %w", local, err)
	}
	w := newRoomWatch(cli, room)
	err = w.until(ctx, func(evt *event.Event) bool {
		return evt.Type == event.StateMember && evt.GetStateKey() == b.botID.String() &&
			evt.Content.AsMember().Membership == event.MembershipJoin
	})
	if err != nil {
		return fanoutMember{}, fmt.Errorf("%s: waiting for the bot to join: %w", local, err)
	}
	resp, err := cli.SendMessageEvent(ctx, room, event.EventMessage, text("!rappels oui"))
	if err != nil {
		return fanoutMember{}, fmt.Errorf("%s: send: %w", local, err)
	}
	err = w.until(ctx, func(evt *event.Event) bool {
		return evt.Sender == b.botID && evt.Type == event.EventMessage && evt.Content.AsMessage().RelatesTo.GetReplyTo() == resp.EventID
	})
	if err != nil {
		return fanoutMember{}, fmt.Errorf("%s: waiting for the answer to !rappels oui: %w", local, err)
	}
	return fanoutMember{cli: cli, room: room}, nil
}

// roomWatch long-polls /sync for one room only: a member that needs to see
// a couple of events, without a sync loop of its own for the whole run.
type roomWatch struct {
	cli    *mautrix.Client
	room   id.RoomID
	since  string
	filter string
}

func newRoomWatch(cli *mautrix.Client, room id.RoomID) *roomWatch {
	filter, _ := json.Marshal(&mautrix.Filter{
		Room:        &mautrix.RoomFilter{Rooms: []id.RoomID{room}, Timeline: &mautrix.FilterPart{Limit: 50}},
		Presence:    &mautrix.FilterPart{NotTypes: []event.Type{event.NewEventType("*")}},
		AccountData: &mautrix.FilterPart{NotTypes: []event.Type{event.NewEventType("*")}},
	})
	// Dendrite takes an inline filter in place of a filter ID.
	return &roomWatch{cli: cli, room: room, filter: string(filter)}
}

// until returns once an event of the room satisfies pred; ctx bounds it.
func (w *roomWatch) until(ctx context.Context, pred func(*event.Event) bool) error {
	for {
		resp, err := w.cli.FullSyncRequest(ctx, mautrix.ReqSync{Timeout: 30000, Since: w.since, FilterID: w.filter})
		if err != nil {
			return err
		}
		w.since = resp.NextBatch
		room, ok := resp.Rooms.Join[w.room]
		if !ok {
			continue
		}
		for _, evt := range append(room.State.Events, room.Timeline.Events...) {
			if evt.Content.ParseRaw(evt.Type) == nil && pred(evt) {
				return nil
			}
		}
	}
}

// waitOutbox waits until the reminder has been queued and every copy sent,
// reading the bot's database read-only, and returns the first and last
// send instants and how many were sent. queued is called when the reminder
// shows in the outbox, to start measuring the fan-out there.
func (b *bench) waitOutbox(ctx context.Context, timeout time.Duration, queued func()) (first, last time.Time, total int, err error) {
	db, err := sql.Open("sqlite3-fk-wal", "file:"+b.botDB+"?mode=ro")
	if err != nil {
		return first, last, 0, fmt.Errorf("open the bot's database: %w", err)
	}
	defer db.Close()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	// The bot signals nothing a reader can wait on: polling its database
	// is the only way to see the outbox drain.
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		var unsent int
		var min, max sql.NullInt64
		err := db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN sent_at IS NULL THEN 1 ELSE 0 END), 0), MIN(sent_at), MAX(sent_at)
			FROM outbox WHERE key LIKE 'reminder:%'`).Scan(&total, &unsent, &min, &max)
		if err != nil && !strings.Contains(err.Error(), "locked") {
			return first, last, 0, fmt.Errorf("read the outbox: %w", err)
		}
		if err == nil && total > 0 && queued != nil {
			queued()
			queued = nil
		}
		// The reminder is queued in one transaction: once rows show, their
		// number is final.
		if err == nil && total > 0 && unsent == 0 {
			return time.UnixMilli(min.Int64), time.UnixMilli(max.Int64), total, nil
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			return first, last, total, fmt.Errorf("outbox not drained within %s: %d queued, %d unsent", timeout, total, unsent)
		case <-ctx.Done():
			return first, last, total, ctx.Err()
		}
	}
}

// countFromBot counts the bot's messages holding text in a member's direct
// chat, read with the member's own client.
func countFromBot(ctx context.Context, f fanoutMember, bot id.UserID, text string) (int, error) {
	resp, err := f.cli.Messages(ctx, f.room, "", "", mautrix.DirectionBackward, &mautrix.FilterPart{Types: []event.Type{event.EventMessage}}, 100)
	if err != nil {
		return 0, fmt.Errorf("%s: messages: %w", f.cli.UserID, err)
	}
	n := 0
	for _, evt := range resp.Chunk {
		if evt.Sender != bot || evt.Content.ParseRaw(evt.Type) != nil {
			continue
		}
		if strings.Contains(evt.Content.AsMessage().Body, text) {
			n++
		}
	}
	return n, nil
}

// bareSends posts a notice in each room as the bot's account, from a
// client of its own with workers sends in flight, and returns the time the
// lot took and the CPU used meanwhile.
func (b *bench) bareSends(ctx context.Context, rooms []id.RoomID, workers int) (time.Duration, cpuShare, error) {
	cli, err := b.hs.Login(ctx, "bluehats", b.botPassword)
	if err != nil {
		return 0, cpuShare{}, err
	}
	content := &event.MessageEventContent{MsgType: event.MsgNotice, Body: "Mesure : envoi nu"}
	cpu0 := b.cpuNow(b.bh)
	start := time.Now()
	err = parallel(ctx, len(rooms), workers, func(ctx context.Context, i int) error {
		_, err := cli.SendMessageEvent(ctx, rooms[i], event.EventMessage, content)
		return err
	})
	return time.Since(start), b.cpuNow(b.bh).since(cpu0), err
}
