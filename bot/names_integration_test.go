package bot_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bluehats/bluehats-bot/internal/bottest"
)

// Handlers run inside the bot's write transaction, so they must never wait
// on the homeserver. With its profile endpoint held, an organiser's list
// still names the author by display name, and another member's command is
// answered meanwhile; a profile request inside the transaction would block
// both until the test gives up.
func TestNoNetworkInsideTheTransaction(t *testing.T) {
	target, err := url.Parse(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var holding atomic.Bool
	var held atomic.Int32
	release := make(chan struct{})
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if holding.Load() && strings.Contains(r.URL.Path, "/profile/") {
			held.Add(1)
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	t.Cleanup(func() { close(release) }) // runs first: held requests end before the server closes

	alice := bottest.NewMember(t, hs, "alice")
	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	if err := alice.Client.SetDisplayName(ctx, "Alice Agente"); err != nil {
		t.Fatal(err)
	}
	orga := bottest.NewMember(t, hs, "orga")
	other := bottest.NewMember(t, hs, "other")
	room := alice.CreateRoom("BlueHats")
	orga.Join(room)
	other.Join(room)
	cfg := bottest.Config(t, hs)
	cfg.Matrix.HomeserverURL = front.URL
	cfg.Matrix.Rooms = []string{room.String()}
	cfg.Bot.Organisers = []string{orga.Client.UserID.String()}
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	alice.WaitJoined(room, b.UserID)
	assertContains(t, "proposal", alice.Ask(b.UserID, room, "!proposer 15 Libérer le code | Retour d'expérience").Body, "Proposition n°1")

	holding.Store(true)
	assertContains(t, "list in room", orga.Ask(b.UserID, room, "!propositions").Body, "message privé")
	assertContains(t, "another member meanwhile", other.Ask(b.UserID, room, "!salon").Body, "Palais des Congrès")
	list := orga.WaitFor("list by direct chat", bottest.FromBotElsewhere(b.UserID, room, "Propositions")).Content.AsMessage()
	assertContains(t, "list", list.Body, "« Libérer le code »", "Alice Agente")
	if n := held.Load(); n != 0 {
		t.Errorf("%d profile requests while answering; names come from the rooms' state", n)
	}
}
