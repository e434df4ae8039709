package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/bot"
	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/internal/bottest"
	"github.com/bluehats/bluehats-bot/metrics"
	"github.com/bluehats/bluehats-bot/storage"
)

// A reminder arrives once in each room and by direct chat to a member who
// opted in; after a restart right after, it is not sent again.
func TestReminderOnceAcrossRestart(t *testing.T) {
	member := bottest.NewMember(t, hs, "member")
	other := bottest.NewMember(t, hs, "other")
	roomA := member.CreateRoom("BlueHats A")
	roomB := member.CreateRoom("BlueHats B")
	other.Join(roomA)
	cfg := bottest.Config(t, hs)
	cfg.Matrix.Rooms = []string{roomA.String(), roomB.String()}
	cfg.Reminders.Schedule = &[]config.Reminder{
		{At: "2023-11-19T09:00:00+01:00", Text: "Rappel un : **date limite demain**"},
		{At: "2023-11-19T09:00:40+01:00", Text: "Rappel deux"},
	}

	// Opt in before the reminder's time.
	b := bottest.Start(t, cfg, "2023-11-19T08:00:00+01:00")
	member.WaitJoined(roomA, b.UserID)
	dm := other.CreateDirect(b.UserID)
	other.WaitJoined(dm, b.UserID)
	assertContains(t, "opt in", other.Ask(b.UserID, dm, "!rappels oui").Body, "vous recevrez aussi les rappels en message privé")
	listing := other.Ask(b.UserID, dm, "!rappels").Body
	assertContains(t, "listing", listing, "dimanche 19 novembre 2023, 9h — Rappel", "Vous les recevez aussi en message privé")
	b.Stop()

	// Three seconds before it: it arrives once in each room and by DM.
	sentBefore := reminderMetric(t, "sent")
	b = bottest.Start(t, cfg, "2023-11-19T08:59:57+01:00")
	first := bottest.FromBotIn(b.UserID, roomA, "Rappel un")
	member.WaitFor("reminder in room A", first)
	member.WaitFor("reminder in room B", bottest.FromBotIn(b.UserID, roomB, "Rappel un"))
	other.WaitFor("reminder by DM", bottest.FromBotElsewhere(b.UserID, roomA, "Rappel un"))
	b.Stop() // well before the second reminder, 43 s after this start
	if got := reminderMetric(t, "sent") - sentBefore; got != 3 {
		t.Errorf("bluehats_reminders_total{result=\"sent\"} grew by %v, want 3 (two rooms, one member)", got)
	}

	// Restarted right after (within the catch-up window): the first is not
	// sent again. The second, due later, is the barrier: the first would be
	// queued and sent before it.
	b = bottest.Start(t, cfg, "2023-11-19T09:00:35+01:00")
	member.WaitFor("second reminder", bottest.FromBotIn(b.UserID, roomB, "Rappel deux"))
	other.WaitFor("second reminder by DM", bottest.FromBotElsewhere(b.UserID, roomA, "Rappel deux"))
	for _, room := range []struct {
		name  string
		count int
	}{
		{"room A", len(member.Events(bottest.FromBotIn(b.UserID, roomA, "Rappel un")))},
		{"room B", len(member.Events(bottest.FromBotIn(b.UserID, roomB, "Rappel un")))},
		{"DM", len(other.Events(bottest.FromBotElsewhere(b.UserID, roomA, "Rappel un")))},
	} {
		if room.count != 1 {
			t.Errorf("%s got the first reminder %d times, want 1", room.name, room.count)
		}
	}
	msg := member.Events(first)[0].Content.AsMessage()
	if msg.MsgType != event.MsgNotice || msg.FormattedBody == "" {
		t.Errorf("reminder is not a formatted notice: %+v", msg)
	}
}

// A message the homeserver stored while the bot never heard back (a crash,
// a lost response) is not sent again, even when the homeserver has
// forgotten the transaction ID: the bot finds its own event by the key in
// its content, in an encrypted room too.
func TestCrashBetweenSendAndRecord(t *testing.T) {
	for _, encrypted := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "encrypted"}[encrypted], func(t *testing.T) {
			var member *bottest.Member
			var room id.RoomID
			if encrypted {
				member = bottest.NewEncryptedMember(t, hs, "member")
				room = member.CreateEncryptedRoom("BlueHats chiffré")
			} else {
				member = bottest.NewMember(t, hs, "member")
				room = member.CreateRoom("BlueHats")
			}
			cfg := bottest.Config(t, hs)
			cfg.Matrix.Rooms = []string{room.String()}
			if encrypted {
				withEncryption(cfg)
			}
			b := bottest.Start(t, cfg, bottest.Rehearsal)
			member.WaitJoined(room, b.UserID)
			ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
			defer cancel()

			store := b.Bot.Store()
			queue := func(key, body string) {
				content := `{"msgtype":"m.notice","body":"` + body + `"}`
				// Queued far in the calendar's future so the scheduler leaves it
				// alone until the test says otherwise.
				it := &storage.OutboxItem{Key: key, Room: room, EventType: "m.room.message", Content: content, DueAt: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), CreatedAt: time.Now()}
				if _, err := store.Outbox.Enqueue(ctx, it); err != nil {
					t.Fatal(err)
				}
			}
			queue("test:crash", "envoyé une seule fois")
			if err := b.Bot.SendWithoutRecording(ctx, "test:crash"); err != nil {
				t.Fatal(err)
			}
			first := member.WaitFor("the first send", bottest.FromBotIn(b.UserID, room, "envoyé une seule fois"))
			if key, _ := first.Content.Raw[bot.ContentKey].(string); key != "test:crash" {
				t.Errorf("the message carries key %q, want test:crash", key)
			}
			// Now make it due, as it is after a restart, plus a barrier after it.
			if _, err := store.DB.Exec(ctx, "UPDATE outbox SET due_at=0 WHERE key='test:crash'"); err != nil {
				t.Fatal(err)
			}
			queue("test:barrier", "barrière")
			if _, err := store.DB.Exec(ctx, "UPDATE outbox SET due_at=1 WHERE key='test:barrier'"); err != nil {
				t.Fatal(err)
			}
			b.Bot.Poke()
			member.WaitFor("the barrier", bottest.FromBotIn(b.UserID, room, "barrière"))
			if n := len(member.Events(bottest.FromBotIn(b.UserID, room, "envoyé une seule fois"))); n != 1 {
				t.Errorf("message shown %d times, want 1", n)
			}
			it, err := store.Outbox.Get(ctx, "test:crash")
			if err != nil || it.SentAt.IsZero() || it.EventID != first.ID {
				t.Errorf("not recorded as the first send (%s): %+v %v", first.ID, it, err)
			}
		})
	}
}

// !annonce posts the event announcement to every room; the preview goes to
// the organiser only.
func TestAnnounce(t *testing.T) {
	orga := bottest.NewMember(t, hs, "orga")
	roomA := orga.CreateRoom("A")
	roomB := orga.CreateRoom("B")
	cfg := bottest.Config(t, hs)
	cfg.Matrix.Rooms = []string{roomA.String(), roomB.String()}
	cfg.Announcements.Pin = true
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	orga.WaitJoined(roomB, b.UserID)
	orga.Ask(b.UserID, roomA, "!annonce apercu")
	preview := orga.WaitFor("preview", bottest.FromBotElsewhere(b.UserID, roomA, "Aperçu de l'annonce")).Content.AsMessage()
	assertContains(t, "preview", preview.Body, "La DINUM à l'Open Source Experience", "proposez une intervention de 5 à 20 minutes avant le lundi 20 novembre 2023 à 23h59")
	if got := orga.Events(bottest.FromBotIn(b.UserID, roomB, "📣 **La DINUM")); len(got) != 0 {
		t.Error("the preview was posted")
	}
	// The bot may pin in room A only.
	orga.SetPowerLevel(roomA, b.UserID, 50)
	ctx, cancel := context.WithTimeout(context.Background(), bottest.Timeout)
	defer cancel()
	assertContains(t, "announce", orga.Ask(b.UserID, roomA, "!annonce").Body, "Annonce publiée")
	orga.WaitFor("announcement in A", bottest.FromBotIn(b.UserID, roomA, "Palais des Congrès, 2 Place de la Porte Maillot"))
	orga.WaitFor("announcement in B", bottest.FromBotIn(b.UserID, roomB, "Palais des Congrès, 2 Place de la Porte Maillot"))
	posted := orga.WaitFor("announcement in A", bottest.FromBotIn(b.UserID, roomA, "Palais des Congrès, 2 Place de la Porte Maillot"))
	pinnedIn := func(room id.RoomID) []id.EventID {
		var pinned event.PinnedEventsEventContent
		_ = orga.Client.StateEvent(ctx, room, event.StatePinnedEvents, "", &pinned)
		return pinned.Pinned
	}
	// Pinning follows the send; the free text below is the barrier.
	orga.Ask(b.UserID, roomA, "!annonce Venez **nombreux** !")
	text := orga.WaitFor("free text", bottest.FromBotIn(b.UserID, roomB, "Venez")).Content.AsMessage()
	assertContains(t, "free text html", text.FormattedBody, "<strong>nombreux</strong>")
	if got := pinnedIn(roomA); len(got) == 0 || got[0] != posted.ID {
		t.Errorf("announcement not pinned in room A: %v", got)
	}
	if got := pinnedIn(roomB); len(got) != 0 {
		t.Errorf("pinned in room B without the power to: %v", got)
	}
}

// A reloaded config's rooms take effect without a restart: the bot joins
// the new room and announces there, and no longer in the room taken out.
func TestReloadAppliesRooms(t *testing.T) {
	orga := bottest.NewMember(t, hs, "orga")
	roomA := orga.CreateRoom("A")
	roomC := orga.CreateRoom("C")
	cfg := bottest.Config(t, hs)
	cfg.Matrix.Rooms = []string{roomA.String()}
	b := bottest.Start(t, cfg, bottest.Rehearsal)
	orga.WaitJoined(roomA, b.UserID)

	next := *cfg
	next.Matrix.Rooms = []string{roomC.String()}
	events, problems := next.BuildEvents()
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if err := b.Bot.Reload(&next, events); err != nil {
		t.Fatal(err)
	}
	orga.WaitJoined(roomC, b.UserID)
	assertContains(t, "announce", orga.Ask(b.UserID, roomC, "!annonce Rendez-vous au stand").Body, "Annonce publiée")
	orga.WaitFor("announcement in C", bottest.FromBotIn(b.UserID, roomC, "Rendez-vous au stand"))
	// The outbox sends in order: once this answer is in, an announcement
	// to room A would be too.
	orga.Ask(b.UserID, roomA, "!contact")
	if got := orga.Events(bottest.FromBotIn(b.UserID, roomA, "Rendez-vous au stand")); len(got) != 0 {
		t.Error("announced in a room taken out of the config")
	}
}

// The purge runs daily: nothing before the retention period after the
// event's end, then the event's data, then again a day later (and not
// before) for what came in meanwhile.
func TestDailyPurge(t *testing.T) {
	cfg := bottest.Config(t, hs)
	cfg.Privacy.RetentionDays = 90
	events, problems := cfg.BuildEvents()
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	ctx := context.Background()
	store, err := storage.Open(ctx, storage.Options{Type: cfg.Database.Type, URI: cfg.Database.URI}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	b, err := bot.New(bot.Options{Config: cfg, Events: events, Store: store, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	due := time.Date(2024, 3, 6, 18, 0, 0, 0, paris) // 7 December 2023 18:00 + 90 days
	optIn := func(user id.UserID) {
		if err := store.Prefs.Put(ctx, storage.ReminderPref{User: user, Enabled: true, Lang: "fr"}, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	kept := func(user id.UserID) bool {
		var n int
		if err := store.DB.QueryRow(ctx, `SELECT COUNT(*) FROM reminder_pref WHERE user_id=$1`, user).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	if err := store.Proposals.Insert(ctx, &storage.Proposal{Author: "@a:x", Lang: "fr", Minutes: 10, Title: "T", Abstract: "A", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	optIn("@a:x")

	steps := []struct {
		name     string
		at       time.Time
		optIn    id.UserID // opts in before the run
		gone     id.UserID // purged by the run ("" for nothing)
		stays    id.UserID
		wantNext time.Time
	}{
		{"an hour before", due.Add(-time.Hour), "", "", "@a:x", due},
		{"at the due time", due, "", "@a:x", "", due.Add(24 * time.Hour)},
		{"an hour after: not yet again", due.Add(time.Hour), "@b:x", "", "@b:x", due.Add(24 * time.Hour)},
		{"a day after", due.Add(24 * time.Hour), "", "@b:x", "", due.Add(48 * time.Hour)},
	}
	for _, st := range steps {
		if st.optIn != "" {
			optIn(st.optIn)
		}
		next, err := b.PurgeIfDue(ctx, st.at)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if !next.Equal(st.wantNext) {
			t.Errorf("%s: next run %s, want %s", st.name, next, st.wantNext)
		}
		if st.gone != "" && kept(st.gone) {
			t.Errorf("%s: %s not purged", st.name, st.gone)
		}
		if st.stays != "" && !kept(st.stays) {
			t.Errorf("%s: %s purged too early", st.name, st.stays)
		}
	}
	if left, _ := store.Proposals.All(ctx, ""); len(left) != 0 {
		t.Errorf("proposals left after the retention: %d", len(left))
	}
}

// reminderMetric reads bluehats_reminders_total for a result.
func reminderMetric(t *testing.T, result string) float64 {
	t.Helper()
	families, err := metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "bluehats_reminders_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "result" && l.GetValue() == result {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}
