package bot

import (
	"context"
	"database/sql"
	"errors"

	"maunium.net/go/mautrix/id"
)

// memberNames shows users by the display name of their membership in a
// room the bot shares with them, as the state store keeps it from sync.
// It never asks the homeserver: handlers run inside the bot's write
// transaction, and a profile request there would hold the database's
// write lock for a network round trip. Everyone a handler names (authors,
// reviewers, the sender) has written to the bot, so shares a room with it.
type memberNames struct{ bot *Bot }

// nameQuery prefers the name in a room the user is still in.
const nameQuery = `SELECT displayname FROM mx_user_profile WHERE user_id=$1 AND displayname<>''
	ORDER BY CASE WHEN membership='join' THEN 0 ELSE 1 END LIMIT 1`

// DisplayName returns a user's display name, or their ID when none is known.
func (n memberNames) DisplayName(ctx context.Context, user id.UserID) string {
	var name string
	err := n.bot.store.DB.QueryRow(ctx, nameQuery, user).Scan(&name)
	if err != nil {
		if !errors.Is(err, sql.ErrNoRows) {
			n.bot.log.Warn().Err(err).Stringer("user_id", user).Msg("Could not read a display name")
		}
		return user.String()
	}
	return name
}
