package bot

import (
	"context"
	"sync"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// powerCache keeps the configured rooms' power levels in memory: every
// message asks whether its sender is an organiser, which read and decoded
// each room's power levels from the state store (a quarter of the bot's CPU
// under load, by the benchmark's profile). A power-levels event in a sync
// forgets the room's entry; the generation counter keeps a read that raced
// with that change from putting the old levels back.
type powerCache struct {
	mu  sync.Mutex
	m   map[id.RoomID]*event.PowerLevelsEventContent
	gen map[id.RoomID]uint64
}

func newPowerCache() *powerCache {
	return &powerCache{m: map[id.RoomID]*event.PowerLevelsEventContent{}, gen: map[id.RoomID]uint64{}}
}

// get returns the cached levels of a room, or nil and the generation to
// hand back to put.
func (c *powerCache) get(room id.RoomID) (*event.PowerLevelsEventContent, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[room], c.gen[room]
}

// put caches levels read at generation gen, unless they changed since.
func (c *powerCache) put(room id.RoomID, gen uint64, pl *event.PowerLevelsEventContent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen[room] == gen {
		c.m[room] = pl
	}
}

// forget drops a room's levels, after a change.
func (c *powerCache) forget(room id.RoomID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, room)
	c.gen[room]++
}

// onPowerLevels is the sync handler that keeps the cache true. It runs after
// the state store's handler has stored the new levels.
func (c *powerCache) onPowerLevels(_ context.Context, evt *event.Event) { c.forget(evt.RoomID) }

// powerLevels returns a room's power levels: from memory, else the state
// store, else the homeserver (the store has none before the first sync
// that shows the room's state).
func (b *Bot) powerLevels(ctx context.Context, room id.RoomID) (*event.PowerLevelsEventContent, error) {
	pl, gen := b.power.get(room)
	if pl != nil {
		return pl, nil
	}
	pl, err := b.states.GetPowerLevels(ctx, room)
	if err != nil {
		return nil, err
	}
	if pl == nil {
		// Not written to the state store: a sync may have stored newer
		// levels meanwhile, and the store must not go back to these.
		pl = &event.PowerLevelsEventContent{}
		if err := b.cli.StateEvent(ctx, room, event.StatePowerLevels, "", pl); err != nil {
			return nil, err
		}
	}
	b.power.put(room, gen, pl)
	return pl, nil
}

// maySetState tells whether the bot's power level lets it set a state
// event type in a room.
func (b *Bot) maySetState(ctx context.Context, room id.RoomID, evtType string) bool {
	pl, err := b.powerLevels(ctx, room)
	if err != nil {
		b.log.Warn().Err(err).Stringer("room_id", room).Msg("Could not read power levels")
		return false
	}
	return pl.GetUserLevel(b.cli.UserID) >= pl.GetEventLevel(event.Type{Type: evtType, Class: event.StateEventType})
}
