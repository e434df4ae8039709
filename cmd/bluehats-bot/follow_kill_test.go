package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/internal/bottest"
	"github.com/bluehats/bluehats-bot/storage"
)

// The real binary is SIGKILLed while it sends the notice a follower gets
// before a talk: the homeserver has stored the message, the bot never
// heard back, and a proxy gives the resend a transaction ID of its own.
// After the restart the member has the notice once.
func TestFollowNoticeSurvivesKill(t *testing.T) {
	proxy := newChaosProxy(t, hs.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	_, room := observerRoom(t, ctx, hs)
	member, err := hs.RegisterClient(ctx, bottest.Unique("follower"), "pw-member", false)
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	bin := buildBinary(t, dir)
	cfg := bottest.Config(t, hs)
	// The config's one reminder is after the talk: nothing else is sent.
	writeChaosConfig(t, dir, room, cfg.Matrix.UserID, cfg.Matrix.Password.Reveal(), proxy.URL, "2023-12-07T17:00:00+01:00")
	talkAt := time.Date(2023, 12, 6, 15, 0, 0, 0, time.FixedZone("CET", 3600))
	publishWithFollower(t, ctx, filepath.Join(dir, "bot.db"), talkAt, member.UserID)

	// 14h49m58s: the notice is due at 14h50 (programme.follow_notice, 10m).
	now := "2023-12-06T14:49:58+01:00"
	p := startChaos(t, bin, dir, now)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("first run:\n%s", p.stderr.String())
		}
	})
	proxy.holdUntilOneIsHeld(t)
	p.kill(t)
	proxy.releaseHeld()
	p = startChaos(t, bin, dir, now)
	// Drained once the notice is queued and nothing is left to send.
	p.waitDrained(t, ctx, filepath.Join(dir, "bot.db"), `SELECT COUNT(*) FROM outbox`)
	if p.lines("Found an earlier send") == 0 {
		t.Error("the notice was not in doubt after the kill: the test proves nothing")
	}

	botID := id.UserID(cfg.Matrix.UserID)
	n := 0
	for _, r := range joinInvites(t, ctx, member) {
		for _, evt := range messagesIn(t, ctx, member, r) {
			if evt.Sender == botID && strings.Contains(evt.Content.AsMessage().Body, "Dans 10 minutes sur le stand") {
				n++
			}
		}
	}
	if n != 1 {
		t.Errorf("the follower got the notice %d times, want 1", n)
	}
}

// publishWithFollower stores what !proposer, !accepter, !planifier,
// !publier and !suivre would: one talk at at, published, followed by user.
func publishWithFollower(t *testing.T, ctx context.Context, path string, at time.Time, user id.UserID) {
	t.Helper()
	store, err := storage.Open(ctx, storage.Options{Type: "sqlite3", URI: path}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	created := at.Add(-30 * 24 * time.Hour)
	talk := &storage.Proposal{Author: user, Lang: "fr", Minutes: 15, Title: "Libérer le code", Abstract: "Retour d'expérience", CreatedAt: created}
	if err := store.Proposals.Insert(ctx, talk); err != nil {
		t.Fatal(err)
	}
	// Insert takes what a proposal says; the decision and the slot come after.
	talk.State, talk.DecidedAt, talk.SlotStart = storage.StateAccepted, created, at
	if err := store.Proposals.Update(ctx, talk); err != nil {
		t.Fatal(err)
	}
	if err := store.State.Set(ctx, storage.PublishedKey(""), strconv.FormatInt(created.UnixMilli(), 10)); err != nil {
		t.Fatal(err)
	}
	if err := store.Follows.Put(ctx, &storage.Follow{User: user, ProposalID: talk.ID, Lang: "fr", CreatedAt: created}); err != nil {
		t.Fatal(err)
	}
}
