package bot

import (
	"context"
	"sync"
	"time"

	"maunium.net/go/mautrix/id"
)

// nameTTL is how long a display name is trusted; people rename rarely, and
// a list of proposals would otherwise ask the homeserver once per line.
const nameTTL = 10 * time.Minute

// nameCache looks up display names on the homeserver, for showing authors
// and reviewers: the database keeps only Matrix IDs.
type nameCache struct {
	bot *Bot
	mu  sync.Mutex
	m   map[id.UserID]cachedName
}

type cachedName struct {
	name string
	at   time.Time
}

func newNameCache(b *Bot) *nameCache { return &nameCache{bot: b, m: map[id.UserID]cachedName{}} }

// DisplayName returns a user's display name, or their ID when they have none.
func (n *nameCache) DisplayName(ctx context.Context, user id.UserID) string {
	n.mu.Lock()
	c, ok := n.m[user]
	n.mu.Unlock()
	if ok && time.Since(c.at) < nameTTL {
		return c.name
	}
	name := user.String()
	if resp, err := n.bot.cli.GetDisplayName(ctx, user); err == nil && resp.DisplayName != "" {
		name = resp.DisplayName
	}
	n.mu.Lock()
	n.m[user] = cachedName{name: name, at: time.Now()}
	n.mu.Unlock()
	return name
}
