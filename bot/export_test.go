package bot

import (
	"context"
	"fmt"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"

	"github.com/bluehats/bluehats-bot/storage"
)

// Store exposes the bot's database to tests.
func (b *Bot) Store() *storage.Store { return b.store }

// SendWithoutRecording sends a queued message the way the scheduler does
// but does not record it, as if the bot crashed while the homeserver
// stored it; and under another transaction ID, as if the homeserver had
// forgotten the one the bot used (a restart, a cache lost).
func (b *Bot) SendWithoutRecording(ctx context.Context, key string) error {
	it, err := b.store.Outbox.Get(ctx, key)
	if err != nil || it == nil {
		return fmt.Errorf("no queued message %s: %v", key, err)
	}
	if err := b.store.Outbox.MarkTried(ctx, key, it.Room); err != nil {
		return err
	}
	content, err := b.itemContent(ctx, it.Room, it)
	if err != nil {
		return err
	}
	_, err = b.cli.SendMessageEvent(ctx, it.Room, event.NewEventType(it.EventType), content, mautrix.ReqSendEvent{TransactionID: "lost." + outboxTxnID(key)})
	return err
}

// Poke wakes the scheduler.
func (b *Bot) Poke() { b.sched.Poke() }

// PurgeIfDue runs the daily purge as the scheduler does, at a calendar time.
func (b *Bot) PurgeIfDue(ctx context.Context, now time.Time) (time.Time, error) {
	return b.purgeIfDue(ctx, now)
}

// QueueFollowNotices runs the follow-notice job once, as the scheduler
// does, without sending what it queues.
func (b *Bot) QueueFollowNotices(ctx context.Context, now time.Time) error {
	_, err := b.queueFollowNotices(ctx, now)
	return err
}
