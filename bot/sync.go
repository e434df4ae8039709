package bot

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/storage"
)

// timelineLimit is asked of the homeserver per room and sync; Dendrite
// sends only 10 events without a filter. Larger gaps are fetched with
// /messages.
const timelineLimit = 100

// maxGapPages bounds how far back a gap is fetched after a limited timeline.
const maxGapPages = 5

// processTimeout bounds one batch of commands, and lets commands in flight
// finish when the bot is asked to stop.
const processTimeout = 10 * time.Second

// syncer wraps mautrix's DefaultSyncer so that the sync token is stored only
// after the commands it covers have been answered: mautrix saves it before
// processing, which would skip commands after a crash.
type syncer struct {
	*mautrix.DefaultSyncer
	bot *Bot

	// Filled while DefaultSyncer dispatches one response; the sync loop is
	// single-threaded, so no lock is needed.
	messages []*event.Event
	invites  []*event.Event

	failures     int
	lastSyncTime time.Time
	collecting   atomic.Bool         // inside ProcessResponse
	redacted     map[id.EventID]bool // messages taken back in the batch
	msgMu        sync.Mutex          // late decryptions append from other goroutines
}

func newSyncer(b *Bot) *syncer {
	s := &syncer{DefaultSyncer: mautrix.NewDefaultSyncer(), bot: b}
	s.FilterJSON = &mautrix.Filter{
		Room: &mautrix.RoomFilter{
			Timeline: &mautrix.FilterPart{Limit: timelineLimit},
		},
		Presence: &mautrix.FilterPart{NotTypes: []event.Type{event.NewEventType("*")}},
	}
	s.OnEvent(b.cli.StateStoreSyncHandler)
	s.OnEventType(event.StatePowerLevels, b.power.onPowerLevels)
	collect := func(_ context.Context, evt *event.Event) {
		s.msgMu.Lock()
		if s.collecting.Load() {
			s.messages = append(s.messages, evt)
			s.msgMu.Unlock()
			return
		}
		s.msgMu.Unlock()
		// Decrypted late, once the keys came: no batch is open any more.
		b.answerLate(evt)
	}
	s.OnEventType(event.EventMessage, collect)
	s.OnEventType(event.EventReaction, collect)
	// A message taken back in the same batch (while the bot was down, the
	// homeserver may hand over both) is not answered.
	s.OnEventType(event.EventRedaction, func(_ context.Context, evt *event.Event) {
		target := evt.Redacts
		if c, ok := evt.Content.Parsed.(*event.RedactionEventContent); ok && c.Redacts != "" {
			target = c.Redacts
		}
		s.msgMu.Lock()
		s.redacted[target] = true
		s.msgMu.Unlock()
	})
	s.OnEventType(event.StateMember, func(_ context.Context, evt *event.Event) {
		// The invite also shows up in the joined room's timeline later;
		// only the invite section's copy is an invitation to act on.
		if evt.Mautrix.EventSource&event.SourceInvite == 0 || evt.GetStateKey() != b.cli.UserID.String() {
			return
		}
		if evt.Content.AsMember().Membership == event.MembershipInvite {
			s.invites = append(s.invites, evt)
		}
	})
	return s
}

// ProcessResponse dispatches the response, answers its messages (and those
// of any gap), then stores the sync token.
func (s *syncer) ProcessResponse(ctx context.Context, resp *mautrix.RespSync, since string) error {
	s.msgMu.Lock()
	s.messages, s.invites = nil, s.invites[:0]
	s.redacted = map[id.EventID]bool{}
	s.collecting.Store(true)
	s.msgMu.Unlock()
	err := s.DefaultSyncer.ProcessResponse(ctx, resp, since)
	s.msgMu.Lock()
	s.collecting.Store(false)
	msgs := s.messages
	s.msgMu.Unlock()
	if err != nil {
		return err
	}
	// Let commands in flight finish even if the bot is being stopped.
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), processTimeout)
	defer cancel()
	// Invitations are accepted by their own worker: Dendrite allows ten
	// joins a second, and a burst of them must not hold the batch's answers.
	for _, invite := range s.invites {
		s.bot.invites <- invite
	}
	if since != "" {
		msgs = append(s.fillGaps(pctx, resp), msgs...)
	}
	msgs = slices.DeleteFunc(msgs, func(evt *event.Event) bool { return s.redacted[evt.ID] })
	s.bot.processBatch(pctx, msgs)

	if err := s.bot.store.State.Set(pctx, storage.KeyNextBatch, resp.NextBatch); err != nil {
		return err
	}
	s.failures = 0
	s.lastSyncTime = time.Now()
	s.bot.health.ok(s.lastSyncTime)
	s.bot.markReady()
	return nil
}

// OnFailedSync backs off exponentially (with jitter, capped) and never gives
// up on a transient error; a revoked token ends the loop so Run can log in
// again.
func (s *syncer) OnFailedSync(_ *mautrix.RespSync, err error) (time.Duration, error) {
	if err == nil {
		return 0, nil
	}
	if isUnknownToken(err) {
		return 0, err
	}
	wait := backoff(s.failures)
	s.failures++
	s.bot.health.failed(err)
	s.bot.log.Warn().Err(err).Int("failures", s.failures).Dur("retry_in", wait).Msg("Sync failed")
	return wait, nil
}

// fillGaps fetches the messages a limited timeline left out, back to the
// last sync (or the answer cutoff), without stopping at the first event
// already seen: /messages and /sync order events differently.
func (s *syncer) fillGaps(ctx context.Context, resp *mautrix.RespSync) []*event.Event {
	var out []*event.Event
	floor := s.bot.cutoff
	if !s.lastSyncTime.IsZero() && s.lastSyncTime.Add(-time.Minute).After(floor) {
		floor = s.lastSyncTime.Add(-time.Minute)
	}
	for roomID, room := range resp.Rooms.Join {
		if !room.Timeline.Limited || room.Timeline.PrevBatch == "" || s.joinedIn(room.Timeline.Events) {
			continue
		}
		gap := s.fetchGap(ctx, roomID, room.Timeline.PrevBatch, floor)
		s.bot.log.Info().Stringer("room_id", roomID).Int("events", len(gap)).Msg("Fetched the gap of a limited timeline")
		out = append(out, gap...)
	}
	return out
}

// joinedIn tells whether the bot's own join is in a timeline: the room is
// new, and nothing before the join is for the bot.
func (s *syncer) joinedIn(events []*event.Event) bool {
	self := s.bot.cli.UserID.String()
	for _, evt := range events {
		if evt.Type == event.StateMember && evt.GetStateKey() == self && evt.Content.AsMember().Membership == event.MembershipJoin {
			return true
		}
	}
	return false
}

func (s *syncer) fetchGap(ctx context.Context, roomID id.RoomID, from string, floor time.Time) []*event.Event {
	var gap []*event.Event
	filter := &mautrix.FilterPart{Types: []event.Type{event.EventMessage, event.EventReaction}}
	for page := 0; page < maxGapPages && from != ""; page++ {
		resp, err := s.bot.cli.Messages(ctx, roomID, from, "", mautrix.DirectionBackward, filter, timelineLimit)
		if err != nil {
			s.bot.log.Warn().Err(err).Stringer("room_id", roomID).Msg("Could not fetch a timeline gap")
			break
		}
		older := false
		for _, evt := range resp.Chunk {
			evt.RoomID = roomID
			evt.Mautrix.EventSource = event.SourceJoin | event.SourceTimeline
			if time.UnixMilli(evt.Timestamp).Before(floor) {
				older = true
				continue
			}
			gap = append(gap, evt)
		}
		if older || len(resp.Chunk) == 0 || resp.End == "" {
			break
		}
		from = resp.End
	}
	// /messages pages backwards; answer in the order people wrote.
	for i, j := 0, len(gap)-1; i < j; i, j = i+1, j-1 {
		gap[i], gap[j] = gap[j], gap[i]
	}
	return gap
}

// syncStore keeps the sync token in the database, but only after the batch
// it covers has been answered (see syncer.ProcessResponse). The filter is
// made anew each start, so a changed filter never goes stale.
type syncStore struct {
	state  *storage.BotState
	mu     sync.Mutex
	filter string
}

func (s *syncStore) SaveFilterID(_ context.Context, _ id.UserID, filterID string) error {
	s.mu.Lock()
	s.filter = filterID
	s.mu.Unlock()
	return nil
}

func (s *syncStore) LoadFilterID(_ context.Context, _ id.UserID) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.filter, nil
}

// SaveNextBatch is called by mautrix before processing; the token is stored
// by ProcessResponse afterwards instead.
func (s *syncStore) SaveNextBatch(context.Context, id.UserID, string) error { return nil }

func (s *syncStore) LoadNextBatch(ctx context.Context, _ id.UserID) (string, error) {
	return s.state.Get(ctx, storage.KeyNextBatch)
}
