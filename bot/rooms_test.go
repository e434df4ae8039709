package bot

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/storage"
)

// Invitations: ignored with auto_join_invites off (not a single request),
// declined from servers outside matrix.allowed_servers, accepted otherwise.
func TestOnInvite(t *testing.T) {
	tests := []struct {
		name     string
		autoJoin bool
		allowed  []string
		inviter  id.UserID
		want     []string // requests to the homeserver, by path suffix
	}{
		{"auto_join_invites off", false, nil, "@alice:example.org", nil},
		{"accepted", true, nil, "@alice:example.org", []string{"/join"}},
		{"accepted from an allowed server", true, []string{"example.org"}, "@alice:example.org", []string{"/join"}},
		{"declined from another server", true, []string{"example.org"}, "@mallory:evil.example", []string{"/leave"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var requests []string
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				requests = append(requests, r.URL.Path)
				mu.Unlock()
				_, _ = w.Write([]byte(`{"room_id": "!r:example.org"}`))
			}))
			defer hs.Close()

			b := offlineBot(t, hs.URL, func(cfg *config.Config) {
				cfg.Matrix.AutoJoinInvites = &tc.autoJoin
				cfg.Matrix.AllowedServers = tc.allowed
			})
			var err error
			if b.cli, err = mautrix.NewClient(hs.URL, "@bot:example.org", "token"); err != nil {
				t.Fatal(err)
			}
			b.onInvite(context.Background(), &event.Event{RoomID: "!r:example.org", Sender: tc.inviter, Type: event.StateMember})
			mu.Lock()
			defer mu.Unlock()
			if len(requests) != len(tc.want) || !slices.EqualFunc(requests, tc.want, strings.HasSuffix) {
				t.Errorf("requests %v, want paths ending in %v", requests, tc.want)
			}
		})
	}
}

// offlineBot builds a bot that has not logged in, for tests of its parts.
func offlineBot(t *testing.T, homeserver string, adjust func(*config.Config)) *Bot {
	t.Helper()
	cfg, problems := config.Parse([]byte("matrix:\n  homeserver_url: " + homeserver + "\n  user_id: \"@bot:example.org\"\n  password: long-enough\n" +
		"event:\n  title: Salon\n  start: 2023-12-06 09:00\n  end: 2023-12-07 18:00\n"))
	if len(problems.Errors()) > 0 {
		t.Fatal(problems)
	}
	if adjust != nil {
		adjust(cfg)
	}
	events, eventProblems := cfg.BuildEvents()
	if len(eventProblems) > 0 {
		t.Fatal(eventProblems)
	}
	store, err := storage.Open(context.Background(), storage.Options{Type: "sqlite3", URI: filepath.Join(t.TempDir(), "bot.db")}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	b, err := New(Options{Config: cfg, Events: events, Store: store, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A room flooded by many members, each within their own limit, gets no
// more answers past three times a member's burst; other rooms still do.
func TestRoomLimit(t *testing.T) {
	b := offlineBot(t, "http://127.0.0.1:1", func(cfg *config.Config) {
		cfg.Bot.RateLimit = config.RateLimit{Burst: 2, PerMinute: 1}
	})
	allowed := 0
	for i := range 10 {
		o := origin{Room: "!busy:example.org", Sender: id.UserID(fmt.Sprintf("@m%d:example.org", i))}
		if b.withinLimits(context.Background(), o, zerolog.Nop()) {
			allowed++
		}
	}
	if allowed != 6 {
		t.Errorf("%d messages answered in the flooded room, want 6 (3 × burst)", allowed)
	}
	if !b.withinLimits(context.Background(), origin{Room: "!calm:example.org", Sender: "@m0:example.org"}, zerolog.Nop()) {
		t.Error("another room is limited too")
	}
}

// A reload drops the rooms taken out of the config at once, before any
// join of the new ones, and moves a room between matrix.rooms and
// bot.organiser_rooms.
func TestDropRemovedRooms(t *testing.T) {
	b := offlineBot(t, "http://127.0.0.1:1", nil)
	b.roomRefs = map[string]id.RoomID{"#a:x": "!a:x", "!a:x": "!a:x", "#b:x": "!b:x", "#orga:x": "!orga:x"}
	b.rooms = map[id.RoomID]bool{"!a:x": true, "!b:x": true}
	b.organiserRooms = map[id.RoomID]bool{"!orga:x": true}
	cfg := *b.s().cfg
	cfg.Matrix.Rooms = []string{"!a:x", "#orga:x"} // #a:x dropped, but the same room stays by ID
	cfg.Bot.OrganiserRooms = []string{"#b:x"}      // #b:x becomes an organiser room
	b.dropRemovedRooms(&cfg)
	if !slices.Equal(b.configuredRooms(), []id.RoomID{"!a:x", "!orga:x"}) {
		t.Errorf("configured rooms: %v", b.configuredRooms())
	}
	if !slices.Equal(b.organiserRoomList(), []id.RoomID{"!b:x"}) {
		t.Errorf("organiser rooms: %v", b.organiserRoomList())
	}
	if _, ok := b.roomRefs["#a:x"]; ok {
		t.Error("a dropped reference is still resolved")
	}
}

// A room listed in matrix.rooms and bot.organiser_rooms keeps both roles:
// announcements and reminders go there, and it is private to organisers.
func TestRoomWithBothRoles(t *testing.T) {
	b := offlineBot(t, "http://127.0.0.1:1", nil)
	b.roomRefs = map[string]id.RoomID{"#both:x": "!both:x", "#pub:x": "!pub:x"}
	cfg := *b.s().cfg
	cfg.Matrix.Rooms = []string{"#pub:x", "#both:x"}
	cfg.Bot.OrganiserRooms = []string{"#both:x"}
	b.dropRemovedRooms(&cfg)
	if !slices.Equal(b.configuredRooms(), []id.RoomID{"!both:x", "!pub:x"}) {
		t.Errorf("configured rooms: %v", b.configuredRooms())
	}
	if !slices.Equal(b.organiserRoomList(), []id.RoomID{"!both:x"}) {
		t.Errorf("organiser rooms: %v", b.organiserRoomList())
	}
}
