package bot

import (
	"testing"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// A read that started before a power-levels change must not put the old
// levels back into the cache after the change forgot them.
func TestPowerCacheRefusesStaleLevels(t *testing.T) {
	c := newPowerCache()
	const room = id.RoomID("!r:example.org")
	old := &event.PowerLevelsEventContent{Users: map[id.UserID]int{"@a:x": 50}}
	_, gen := c.get(room)
	c.forget(room) // the change lands while the read is under way
	c.put(room, gen, old)
	if pl, _ := c.get(room); pl != nil {
		t.Fatal("stale levels cached after a change")
	}
	_, gen = c.get(room)
	c.put(room, gen, old)
	if pl, _ := c.get(room); pl != old {
		t.Error("fresh levels not cached")
	}
}
