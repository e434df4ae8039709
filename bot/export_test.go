package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"maunium.net/go/mautrix/event"

	"github.com/bluehats/bluehats-bot/storage"
)

// Store exposes the bot's database to tests.
func (b *Bot) Store() *storage.Store { return b.store }

// SendWithoutRecording sends a queued message the way the scheduler does
// but does not record it, as if the bot crashed right after the send.
func (b *Bot) SendWithoutRecording(ctx context.Context, key string) error {
	it, err := b.store.Outbox.Get(ctx, key)
	if err != nil || it == nil {
		return fmt.Errorf("no queued message %s: %v", key, err)
	}
	_, err = b.send(ctx, it.Room, event.NewEventType(it.EventType), json.RawMessage(it.Content), outboxTxnID(it.Key))
	return err
}

// Poke wakes the scheduler.
func (b *Bot) Poke() { b.sched.Poke() }

// PurgeIfDue runs the daily purge as the scheduler does, at a calendar time.
func (b *Bot) PurgeIfDue(ctx context.Context, now time.Time) (time.Time, error) {
	return b.purgeIfDue(ctx, now)
}
