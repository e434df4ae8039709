package bot

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/config"
)

// joinConfiguredRooms joins matrix.rooms and bot.organiser_rooms and makes
// them, and only them, the rooms the bot announces in and trusts for
// organiser rights; it runs at start and again after a config reload. A
// room that cannot be joined is logged and skipped: the bot still serves
// the others (on a reload it keeps a room it knew under the same name).
// Rooms already joined are not joined again: Dendrite rate-limits joins,
// and ten of them would hold every restart back by a second. A room taken
// out of the config is not left: the bot stops posting there, and its
// members keep their history with it.
func (b *Bot) joinConfiguredRooms(ctx context.Context) {
	cfg := b.s().cfg
	joined := map[id.RoomID]bool{}
	if resp, err := b.cli.JoinedRooms(ctx); err == nil {
		for _, r := range resp.JoinedRooms {
			joined[r] = true
		}
	} else {
		b.log.Warn().Err(err).Msg("Could not list joined rooms; joining every configured room")
	}
	b.roomsMu.RLock()
	known := maps.Clone(b.roomRefs)
	b.roomsMu.RUnlock()
	refs := map[string]id.RoomID{}
	for _, ref := range append(slices.Clone(cfg.Matrix.Rooms), cfg.Bot.OrganiserRooms...) {
		if _, done := refs[ref]; done {
			continue // listed in both: one join, both roles
		}
		room, err := b.resolveRoom(ctx, ref)
		if err == nil && !joined[room] {
			room, err = b.join(ctx, ref)
			if err == nil {
				joined[room] = true
				b.log.Info().Str("room", ref).Stringer("room_id", room).Msg("Joined configured room")
			}
		}
		if err != nil {
			prev, ok := known[ref]
			b.log.Error().Err(err).Str("room", ref).Bool("kept", ok).Msg("Could not join a configured room")
			if !ok {
				continue
			}
			room = prev
		}
		refs[ref] = room
	}
	b.roomsMu.Lock()
	defer b.roomsMu.Unlock()
	// Reloaded while joining: the current config decides which of these
	// rooms count, and as what; a newer join is on its way.
	b.rooms, b.organiserRooms = classifyRooms(refs, b.s().cfg)
	b.roomRefs = refs
}

// dropRemovedRooms forgets the rooms a new config no longer names, and
// moves those that changed between matrix.rooms and bot.organiser_rooms.
func (b *Bot) dropRemovedRooms(cfg *config.Config) {
	b.roomsMu.Lock()
	defer b.roomsMu.Unlock()
	b.rooms, b.organiserRooms = classifyRooms(b.roomRefs, cfg)
}

// classifyRooms sorts resolved rooms by what cfg makes of them, and drops
// from refs those it no longer names. A room listed in both matrix.rooms
// and bot.organiser_rooms has both roles: it gets the announcements and
// reminders, and organiser commands show proposal details there.
func classifyRooms(refs map[string]id.RoomID, cfg *config.Config) (rooms, organiserRooms map[id.RoomID]bool) {
	organiser := map[string]bool{}
	for _, r := range cfg.Bot.OrganiserRooms {
		organiser[r] = true
	}
	kept := map[string]bool{}
	for _, r := range cfg.Matrix.Rooms {
		kept[r] = true
	}
	rooms, organiserRooms = map[id.RoomID]bool{}, map[id.RoomID]bool{}
	for ref, room := range refs {
		if organiser[ref] {
			organiserRooms[room] = true
		}
		if kept[ref] {
			rooms[room] = true
		}
		if !organiser[ref] && !kept[ref] {
			delete(refs, ref)
		}
	}
	return rooms, organiserRooms
}

// rejoinOnReload applies the rooms of a reloaded config, one reload at a
// time, until ctx ends.
func (b *Bot) rejoinOnReload(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.roomsChanged:
			b.joinConfiguredRooms(ctx)
			b.log.Info().Int("rooms", len(b.configuredRooms())).Msg("Rooms of the reloaded config applied")
		}
	}
}

// resolveRoom turns a room ID or alias into a room ID.
func (b *Bot) resolveRoom(ctx context.Context, ref string) (id.RoomID, error) {
	if !strings.HasPrefix(ref, "#") {
		return id.RoomID(ref), nil
	}
	var room id.RoomID
	err := retry(ctx, b.log, "resolve alias", func() error {
		resp, err := b.cli.ResolveAlias(ctx, id.RoomAlias(ref))
		if errors.Is(err, mautrix.MNotFound) {
			return permanent(err)
		}
		if err == nil {
			room = resp.RoomID
		}
		return err
	})
	return room, err
}

// join joins a room by ID or alias, honouring rate limits.
func (b *Bot) join(ctx context.Context, ref string) (id.RoomID, error) {
	var room id.RoomID
	err := retry(ctx, b.log, "join", func() error {
		resp, err := b.cli.JoinRoom(ctx, ref, nil)
		if errors.Is(err, mautrix.MForbidden) || errors.Is(err, mautrix.MNotFound) {
			return permanent(err)
		}
		if err == nil {
			room = resp.RoomID
		}
		return err
	})
	return room, err
}

// acceptInvites accepts invitations one after another, with retries that
// honour the homeserver's rate limit, until ctx ends.
func (b *Bot) acceptInvites(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case invite := <-b.invites:
			b.onInvite(ctx, invite)
		}
	}
}

// onInvite accepts an invitation when auto_join_invites is on, and
// declines those from servers outside matrix.allowed_servers.
func (b *Bot) onInvite(ctx context.Context, invite *event.Event) {
	room := invite.RoomID
	log := b.log.With().Stringer("room_id", room).Stringer("inviter", invite.Sender).Logger()
	if !*b.s().cfg.Matrix.AutoJoinInvites {
		log.Info().Msg("Invited, but auto_join_invites is off")
		return
	}
	if allowed := b.s().cfg.Matrix.AllowedServers; len(allowed) > 0 && !slices.Contains(allowed, invite.Sender.Homeserver()) {
		log.Warn().Msg("Declining an invitation from a server not in matrix.allowed_servers")
		if _, err := b.cli.LeaveRoom(ctx, room); err != nil {
			log.Warn().Err(err).Msg("Could not decline the invitation")
		}
		return
	}
	err := retry(ctx, log, "join", func() error {
		_, err := b.cli.JoinRoomByID(ctx, room)
		if errors.Is(err, mautrix.MForbidden) || errors.Is(err, mautrix.MNotFound) {
			return permanent(err)
		}
		return err
	})
	if err != nil {
		log.Error().Err(err).Msg("Could not accept invite")
		return
	}
	log.Info().Msg("Accepted invite")
}

// isDirect tells whether a room is a one-to-one chat with the bot: not one
// of the configured rooms (a community room may have just two members), and
// two members at most by the state store. Invites' is_direct flag is not
// trusted alone: clients set it inconsistently.
func (b *Bot) isDirect(ctx context.Context, room id.RoomID) bool {
	b.roomsMu.RLock()
	configured := b.rooms[room] || b.organiserRooms[room]
	b.roomsMu.RUnlock()
	if configured {
		return false
	}
	members, err := b.states.GetRoomJoinedOrInvitedMembers(ctx, room)
	if err != nil {
		b.log.Warn().Err(err).Stringer("room_id", room).Msg("Could not read room members")
		return false
	}
	return len(members) <= 2
}

func isUnknownToken(err error) bool { return errors.Is(err, mautrix.MUnknownToken) }

// configuredRooms returns the rooms announcements go to.
func (b *Bot) configuredRooms() []id.RoomID {
	b.roomsMu.RLock()
	defer b.roomsMu.RUnlock()
	return slices.Sorted(maps.Keys(b.rooms))
}

// organiserRoomList returns the rooms of bot.organiser_rooms.
func (b *Bot) organiserRoomList() []id.RoomID {
	b.roomsMu.RLock()
	defer b.roomsMu.RUnlock()
	return slices.Sorted(maps.Keys(b.organiserRooms))
}

// isOrganiserRoom tells whether proposal details may be shown in a room.
func (b *Bot) isOrganiserRoom(room id.RoomID) bool {
	b.roomsMu.RLock()
	defer b.roomsMu.RUnlock()
	return b.organiserRooms[room]
}

// isOrganiser tells whether a user may run organiser commands: listed in
// bot.organisers, or with enough power in one of the bot's rooms, as the
// homeserver's state says (never the sender's own claim).
func (b *Bot) isOrganiser(ctx context.Context, user id.UserID) bool {
	if b.s().organisers[user] {
		return true
	}
	b.roomsMu.RLock()
	rooms := make([]id.RoomID, 0, len(b.rooms)+len(b.organiserRooms))
	for r := range b.rooms {
		rooms = append(rooms, r)
	}
	for r := range b.organiserRooms {
		rooms = append(rooms, r)
	}
	b.roomsMu.RUnlock()
	for _, room := range rooms {
		pl, err := b.powerLevels(ctx, room)
		if err != nil {
			b.log.Warn().Err(err).Stringer("room_id", room).Msg("Could not read power levels")
			continue
		}
		if pl.GetUserLevel(user) >= *b.s().cfg.Bot.OrganiserPowerLevel {
			return true
		}
	}
	return false
}
