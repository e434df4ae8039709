package bot

import (
	"context"
	"errors"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"
)

// joinConfiguredRooms joins matrix.rooms. A room that cannot be joined is
// logged and skipped: the bot still serves the others.
func (b *Bot) joinConfiguredRooms(ctx context.Context) {
	for _, r := range b.cfg.Matrix.Rooms {
		var resp *mautrix.RespJoinRoom
		err := retry(ctx, b.log, "join", func() error {
			var err error
			resp, err = b.cli.JoinRoom(ctx, r, nil)
			if errors.Is(err, mautrix.MForbidden) || errors.Is(err, mautrix.MNotFound) {
				return permanent(err)
			}
			return err
		})
		if err != nil {
			b.log.Error().Err(err).Str("room", r).Msg("Could not join a configured room")
			continue
		}
		b.roomsMu.Lock()
		b.rooms[resp.RoomID] = true
		b.roomsMu.Unlock()
		b.log.Info().Str("room", r).Stringer("room_id", resp.RoomID).Msg("Joined configured room")
	}
}

// onInvite accepts an invitation when auto_join_invites is on.
func (b *Bot) onInvite(ctx context.Context, room id.RoomID) {
	log := b.log.With().Stringer("room_id", room).Logger()
	if !*b.cfg.Matrix.AutoJoinInvites {
		log.Info().Msg("Invited, but auto_join_invites is off")
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
	configured := b.rooms[room]
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
