package devserver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

var srv *Server

func TestMain(m *testing.M) {
	// These tests restart their server: never the one other packages share.
	os.Unsetenv(TestDirEnv)
	// Installing Dendrite on a fresh machine (go install) can take minutes.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	s, stop, err := ForTests(ctx)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "devserver:", err)
		os.Exit(1)
	}
	srv = s
	code := m.Run()
	stop()
	os.Exit(code)
}

func TestRoundTripAndRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	const pw = "correct horse battery"
	for _, u := range []string{"DevAlice", "devbob"} {
		if err := srv.Register(ctx, u, pw, false); err != nil {
			t.Fatal(err)
		}
		// Idempotent.
		if err := srv.Register(ctx, u, pw, false); err != nil {
			t.Fatalf("second registration: %v", err)
		}
	}
	alice, err := srv.Login(ctx, "devalice", pw)
	if err != nil {
		t.Fatal(err)
	}
	bob, err := srv.Login(ctx, "devbob", pw)
	if err != nil {
		t.Fatal(err)
	}
	if alice.UserID != srv.UserID("DevAlice") || bob.UserID != srv.UserID("devbob") {
		t.Fatalf("user IDs %s, %s; want %s, %s", alice.UserID, bob.UserID, srv.UserID("DevAlice"), srv.UserID("devbob"))
	}

	room, err := alice.CreateRoom(ctx, &mautrix.ReqCreateRoom{Preset: "private_chat", Name: "devserver test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := retryRateLimited(ctx, func() error {
		_, err := alice.InviteUser(ctx, room.RoomID, &mautrix.ReqInviteUser{UserID: bob.UserID})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := retryRateLimited(ctx, func() error {
		_, err := bob.JoinRoomByID(ctx, room.RoomID)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	// Bob's sync position before the message.
	first, err := bob.SyncRequest(ctx, 0, "", "", false, "")
	if err != nil {
		t.Fatal(err)
	}
	since := first.NextBatch

	body := fmt.Sprintf("hello bob %d", time.Now().UnixNano())
	sent, err := alice.SendText(ctx, room.RoomID, body)
	if err != nil {
		t.Fatal(err)
	}
	since = waitForMessage(ctx, t, bob, room.RoomID, since, sent.EventID, body)

	oldURL := srv.URL
	start := time.Now()
	if err := srv.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("restart (stop + start) took %s", time.Since(start))
	if srv.URL != oldURL {
		t.Fatalf("URL changed from %s to %s", oldURL, srv.URL)
	}
	resp, err := http.Get(srv.URL + "/_matrix/client/versions")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /versions after restart: %s", resp.Status)
	}

	// Tokens, rooms and sync positions survive the restart.
	body2 := "after restart " + body
	sent2, err := alice.SendText(ctx, room.RoomID, body2)
	if err != nil {
		t.Fatal(err)
	}
	waitForMessage(ctx, t, bob, room.RoomID, since, sent2.EventID, body2)
}

// waitForMessage long-polls /sync from since until the event shows up in the room's
// timeline (bounded by 30 s) and returns the next since token.
func waitForMessage(ctx context.Context, t *testing.T, cli *mautrix.Client, room id.RoomID, since string, evtID id.EventID, body string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		resp, err := cli.SyncRequest(ctx, 5000, since, "", false, "")
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
				t.Fatalf("event %s not received by %s: %v", evtID, cli.UserID, err)
			}
			t.Fatalf("sync: %v", err)
		}
		since = resp.NextBatch
		joined, ok := resp.Rooms.Join[room]
		if !ok {
			continue
		}
		for _, evt := range joined.Timeline.Events {
			if evt.ID != evtID {
				continue
			}
			if evt.Type != event.EventMessage || evt.Content.Raw["body"] != body {
				t.Fatalf("got %s %v, want m.room.message with body %q", evt.Type.Type, evt.Content.Raw, body)
			}
			return since
		}
	}
}

// Login is limited to 5 requests per 500 ms per remote address: a burst must still
// succeed thanks to the retry_after_ms loop.
func TestLoginBurst(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const pw = "burst password"
	if err := srv.Register(ctx, "devburst", pw, false); err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		if _, err := srv.Login(ctx, "devburst", pw); err != nil {
			t.Fatalf("login %d: %v", i, err)
		}
	}
}
