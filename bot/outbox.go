package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/storage"
)

// origin is the message a reply answers; the zero origin is none (a
// reminder, whose parts all name their destination and key).
type origin struct {
	ID     id.EventID // the message (or reaction) answered, for the replies' keys
	Room   id.RoomID
	Sender id.UserID
	// ReplyTo is the event replies point at: the message itself, or for a
	// reaction the message reacted to.
	ReplyTo id.EventID
}

// queue records a reply in the outbox, inside the caller's transaction:
// every part becomes an item per destination, sent later by the one
// sending loop. It returns the items, for sending those due at once.
func (b *Bot) queue(ctx context.Context, o origin, reply *commands.Reply) ([]*storage.OutboxItem, error) {
	items, err := b.outboxItems(o, reply)
	if err != nil {
		return nil, err
	}
	if _, err := b.store.Outbox.Enqueue(ctx, items...); err != nil {
		return nil, err
	}
	if err := b.store.Outbox.Cancel(ctx, reply.Cancel...); err != nil {
		return nil, err
	}
	return items, nil
}

// outboxItems turns a reply into messages to send exactly once. Parts
// without a key of their own are keyed by the message they answer.
func (b *Bot) outboxItems(o origin, reply *commands.Reply) ([]*storage.OutboxItem, error) {
	var items []*storage.OutboxItem
	now := time.Now()
	pin := b.s().cfg.Announcements.Pin
	for i, part := range reply.Parts {
		key := part.Key
		if key == "" {
			key = fmt.Sprintf("reply:%s:%d", o.ID, i)
		}
		kind := part.Kind
		if kind == "" {
			kind = storage.KindReply
		}
		if part.State != nil {
			data, err := json.Marshal(part.State.Content)
			if err != nil {
				return nil, fmt.Errorf("encode state: %w", err)
			}
			stateKey := part.State.Key
			items = append(items, &storage.OutboxItem{Key: key, Kind: kind, Room: o.Room, EventType: part.State.Type,
				Content: string(data), StateKey: &stateKey, CreatedAt: now})
			continue
		}
		content := renderPart(part)
		var file *storage.File
		if part.File != nil {
			file = &storage.File{Name: part.File.Name, MIME: part.File.MIME, Data: part.File.Data}
			content = fileContent(part.File)
		}
		if part.To == commands.Here {
			content.RelatesTo = (&event.RelatesTo{}).SetReplyTo(o.ReplyTo)
			if i == 0 {
				content.Mentions = &event.Mentions{UserIDs: []id.UserID{o.Sender}}
			}
		}
		data, err := json.Marshal(content)
		if err != nil {
			return nil, fmt.Errorf("encode message: %w", err)
		}
		item := func(key string, room id.RoomID, user id.UserID) *storage.OutboxItem {
			return &storage.OutboxItem{
				Key: key, Kind: kind, Room: room, User: user, EventType: event.EventMessage.Type, Content: string(data), File: file,
				Pin: pin && kind == storage.KindAnnouncement && user == "", Proposal: part.Proposal, DueAt: part.At, CreatedAt: now,
				ThreadOf: part.ThreadOf,
			}
		}
		rooms, user := b.targets(o, part)
		if user != "" {
			items = append(items, item(key, "", user))
		}
		for _, room := range rooms {
			it := item(key, room, "")
			if part.To == commands.ToRooms || part.To == commands.ToOrganiserRooms {
				it.Key = key + ":" + room.String()
				if it.ThreadOf != "" {
					it.ThreadOf += ":" + room.String()
				}
			}
			items = append(items, it)
		}
	}
	return items, nil
}

// targets resolves where a part goes: rooms, or a member by direct chat.
func (b *Bot) targets(o origin, part commands.Part) (rooms []id.RoomID, user id.UserID) {
	switch part.To {
	case commands.ToSender:
		return nil, o.Sender
	case commands.ToUser:
		return nil, part.User
	case commands.ToRooms:
		return b.configuredRooms(), ""
	case commands.ToOrganiserRooms:
		return b.organiserRoomList(), ""
	case commands.ToRoom:
		return []id.RoomID{part.Room}, ""
	default:
		return []id.RoomID{o.Room}, ""
	}
}

// answer records a reply to a message and that the message was answered,
// in one transaction, and sends it.
func (b *Bot) answer(ctx context.Context, o origin, reply *commands.Reply) error {
	var items []*storage.OutboxItem
	err := b.store.Txn(ctx, func(ctx context.Context) error {
		var err error
		if items, err = b.queue(ctx, o, reply); err != nil {
			return err
		}
		_, err = b.store.Handled.Mark(ctx, o.ID, o.Room, o.Sender, time.Now())
		return err
	})
	if err != nil {
		return err
	}
	b.sendNow(ctx, items)
	return nil
}

// sendNow sends at once the queued messages that are due now, the way the
// scheduler does (each destination in order, a failure waiting for its
// retry); the scheduler takes the rest, and any that failed here, when due.
func (b *Bot) sendNow(ctx context.Context, items []*storage.OutboxItem) {
	var now []*storage.OutboxItem
	for _, it := range items {
		if it.DueAt.IsZero() {
			now = append(now, it)
		}
	}
	if pass := b.sched.sendInOrder(ctx, now, map[string]bool{}); pass.sent < len(items) {
		b.sched.Poke()
	}
}
