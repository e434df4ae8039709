package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/internal/devserver"
)

// member is a simulated community member: a Matrix client whose own sync
// loop records every reply it sees, by the event replied to, with the
// instant it arrived. Latencies are thus measured as a member lives them:
// from pressing send to seeing the answer.
type member struct {
	cli *mautrix.Client

	mu      sync.Mutex
	replies map[id.EventID][]time.Time
	waiters map[id.EventID]chan struct{}

	stopSync context.CancelFunc
	synced   chan struct{} // closed after the first sync
	done     chan struct{}
}

// newMember registers an account, using the token of the registration.
func newMember(ctx context.Context, hs *devserver.Server, localpart string) (*member, error) {
	cli, err := hs.RegisterClient(ctx, localpart, "pw-"+localpart, false)
	if err != nil {
		return nil, err
	}
	return &member{cli: cli, replies: map[id.EventID][]time.Time{}, waiters: map[id.EventID]chan struct{}{}}, nil
}

// startSync runs the member's sync loop until stop or the end of ctx. It
// returns after the first sync, so that nothing sent afterwards can be
// missed.
func (m *member) startSync(ctx context.Context) error {
	syncer := m.cli.Syncer.(*mautrix.DefaultSyncer)
	syncer.FilterJSON = &mautrix.Filter{
		Room:     &mautrix.RoomFilter{Timeline: &mautrix.FilterPart{Limit: 100}},
		Presence: &mautrix.FilterPart{NotTypes: []event.Type{event.NewEventType("*")}},
	}
	syncer.OnEventType(event.EventMessage, m.onMessage)
	m.synced = make(chan struct{})
	var once sync.Once
	syncer.OnSync(func(context.Context, *mautrix.RespSync, string) bool {
		// Called before the events are dispatched: a reply in this very
		// response is recorded before anyone can wait for it anyway.
		once.Do(func() { close(m.synced) })
		return true
	})
	sctx, cancel := context.WithCancel(ctx)
	m.stopSync, m.done = cancel, make(chan struct{})
	go func() {
		defer close(m.done)
		for sctx.Err() == nil {
			if err := m.cli.SyncWithContext(sctx); err != nil && sctx.Err() == nil {
				// A failed long poll is retried after a pause; what it
				// missed shows as lost replies.
				select {
				case <-sctx.Done():
				case <-time.After(time.Second):
				}
			}
		}
	}()
	select {
	case <-m.synced:
		return nil
	case <-time.After(time.Minute):
		return fmt.Errorf("%s: no first sync within a minute", m.cli.UserID)
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (m *member) stop() {
	if m.stopSync != nil {
		m.stopSync()
		<-m.done
	}
}

func (m *member) onMessage(_ context.Context, evt *event.Event) {
	at := time.Now()
	to := evt.Content.AsMessage().RelatesTo.GetReplyTo()
	if to == "" {
		return
	}
	m.mu.Lock()
	m.replies[to] = append(m.replies[to], at)
	if ch, ok := m.waiters[to]; ok {
		close(ch)
		delete(m.waiters, to)
	}
	m.mu.Unlock()
}

// send posts a message and returns its event ID with the instant the send
// call started and how long the homeserver took to accept it.
func (m *member) send(ctx context.Context, room id.RoomID, content *event.MessageEventContent) (id.EventID, time.Time, time.Duration, error) {
	start := time.Now()
	resp, err := m.cli.SendMessageEvent(ctx, room, event.EventMessage, content)
	if err != nil {
		return "", start, 0, fmt.Errorf("%s: send %q: %w", m.cli.UserID, content.Body, err)
	}
	return resp.EventID, start, time.Since(start), nil
}

var errNoReply = errors.New("no reply")

// waitReply returns when the first reply to evt arrived, waiting at most
// timeout for it.
func (m *member) waitReply(ctx context.Context, evt id.EventID, timeout time.Duration) (time.Time, error) {
	m.mu.Lock()
	if r := m.replies[evt]; len(r) > 0 {
		m.mu.Unlock()
		return r[0], nil
	}
	ch, ok := m.waiters[evt]
	if !ok {
		ch = make(chan struct{})
		m.waiters[evt] = ch
	}
	m.mu.Unlock()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-ch:
		m.mu.Lock()
		defer m.mu.Unlock()
		return m.replies[evt][0], nil
	case <-t.C:
		return time.Time{}, fmt.Errorf("%s: %w to %s within %s", m.cli.UserID, errNoReply, evt, timeout)
	case <-ctx.Done():
		return time.Time{}, ctx.Err()
	}
}

// replyCount is how many replies to evt the member has seen.
func (m *member) replyCount(evt id.EventID) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.replies[evt])
}

// ask sends a text and waits for the first reply: the latency is from the
// send call to the reply's arrival.
func (m *member) ask(ctx context.Context, room id.RoomID, content *event.MessageEventContent, timeout time.Duration) (id.EventID, time.Duration, error) {
	evt, start, _, err := m.send(ctx, room, content)
	if err != nil {
		return "", 0, err
	}
	at, err := m.waitReply(ctx, evt, timeout)
	if err != nil {
		return evt, 0, err
	}
	return evt, at.Sub(start), nil
}

func text(body string) *event.MessageEventContent {
	return &event.MessageEventContent{MsgType: event.MsgText, Body: body}
}

// joinRoom joins a public room, waiting out Dendrite's join rate limit.
func (m *member) joinRoom(ctx context.Context, room id.RoomID) error {
	err := devserver.RetryRateLimited(ctx, func() error {
		_, err := m.cli.JoinRoomByID(ctx, room)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: join %s: %w", m.cli.UserID, room, err)
	}
	return nil
}
