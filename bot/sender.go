package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto/attachment"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/format"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/metrics"
	"github.com/bluehats/bluehats-bot/storage"
)

// ContentKey is the field of the project's own that carries a queued
// message's outbox key in every event the bot sends (inside the encrypted
// content in encrypted rooms). Clients ignore it; the bot finds by it the
// messages a homeserver stored without the bot hearing back.
const ContentKey = "org.bluehats.key"

// sendItem is the one place that sends a message: a queued item, with its
// file uploaded first, recorded as sent with its event ID. It never sends
// twice: once a send has been attempted and not recorded (after a crash, a
// timeout, a 5xx), the item is in doubt, and before sending it again the
// bot looks for its own event carrying the item's key. Homeservers'
// transaction IDs cannot promise this: some keep them in memory only, and
// only once a send succeeded. A direct chat whose room the bot lost is
// opened anew once.
func (b *Bot) sendItem(ctx context.Context, it *storage.OutboxItem) (err error) {
	defer func() { countSent(it.Kind, err) }()
	if it.StateKey != nil {
		// Setting a state event twice leaves the same state: no doubt to
		// resolve.
		resp, err := b.cli.SendStateEvent(ctx, it.Room, event.NewEventType(it.EventType), *it.StateKey, json.RawMessage(it.Content))
		if err != nil {
			return fmt.Errorf("set %s in %s: %w", it.EventType, it.Room, err)
		}
		return b.recordSent(ctx, it, it.Room, resp.EventID)
	}
	if it.TriedRoom != "" {
		evtID, found, err := b.findSent(ctx, it.TriedRoom, it.Key)
		if err != nil {
			return fmt.Errorf("look for an earlier send: %w", err)
		}
		if found {
			return b.recordSent(ctx, it, it.TriedRoom, evtID)
		}
	}
	room := it.Room
	for attempt := 0; ; attempt++ {
		if it.User != "" {
			var err error
			if room, err = b.directRoom(ctx, it.User); err != nil {
				return err
			}
		}
		content, err := b.itemContent(ctx, room, it)
		if err != nil {
			return err
		}
		evtID, err := b.sendOnce(ctx, room, it, content)
		if err != nil && it.User != "" && attempt == 0 && errors.Is(err, mautrix.MForbidden) {
			// The member left the chat: forget it and open a new one.
			_ = b.store.DirectRooms.Delete(ctx, it.User)
			continue
		}
		if err != nil {
			return err
		}
		return b.recordSent(ctx, it, room, evtID)
	}
}

// sendOnce sends an item's content to a room, retrying as retry does. The
// item is marked in doubt first; a retry after an answer-less failure
// (network, timeout, 5xx) looks for the event before sending again.
func (b *Bot) sendOnce(ctx context.Context, room id.RoomID, it *storage.OutboxItem, content map[string]any) (id.EventID, error) {
	if it.TriedRoom != room {
		if err := b.store.Outbox.MarkTried(ctx, it.Key, room); err != nil {
			return "", err
		}
		it.TriedRoom = room
	}
	var evtID id.EventID
	var lastErr error
	err := retry(ctx, b.log, "send", func() error {
		if lastErr != nil && !refused(lastErr) {
			id, found, err := b.findSent(ctx, room, it.Key)
			if err != nil {
				return err
			}
			if found {
				evtID = id
				return nil
			}
		}
		resp, err := b.cli.SendMessageEvent(ctx, room, event.NewEventType(it.EventType), content, mautrix.ReqSendEvent{TransactionID: outboxTxnID(it.Key)})
		lastErr = err
		if err != nil {
			return err
		}
		evtID = resp.EventID
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("send to %s: %w", room, err)
	}
	return evtID, nil
}

// recordSent marks an item sent and pins it if it asks to be.
func (b *Bot) recordSent(ctx context.Context, it *storage.OutboxItem, room id.RoomID, evtID id.EventID) error {
	if err := b.store.Outbox.MarkSent(ctx, it.Key, evtID, time.Now()); err != nil {
		return err
	}
	it.TriedRoom = ""
	if it.Pin {
		b.pin(ctx, room, evtID)
	}
	return nil
}

// itemContent is what an item sends: its content, with its file uploaded
// for the room, and its key.
func (b *Bot) itemContent(ctx context.Context, room id.RoomID, it *storage.OutboxItem) (map[string]any, error) {
	raw := []byte(it.Content)
	if it.File != nil {
		file, err := b.uploadFile(ctx, room, it)
		if err != nil {
			return nil, err
		}
		if raw, err = json.Marshal(file); err != nil {
			return nil, fmt.Errorf("encode file message: %w", err)
		}
	}
	var content map[string]any
	if err := json.Unmarshal(raw, &content); err != nil {
		return nil, fmt.Errorf("decode queued message %s: %w", it.Key, err)
	}
	content[ContentKey] = it.Key
	if it.ThreadOf != "" {
		root, err := b.store.Outbox.Get(ctx, it.ThreadOf)
		if err != nil {
			return nil, err
		}
		if root == nil || root.EventID == "" {
			return nil, fmt.Errorf("%s waits for %s to be sent first", it.Key, it.ThreadOf)
		}
		content["m.relates_to"] = map[string]any{
			"rel_type": "m.thread", "event_id": root.EventID, "is_falling_back": true,
			"m.in_reply_to": map[string]any{"event_id": root.EventID},
		}
	}
	return content, nil
}

// reconcileDepth bounds how far back the bot looks for a message it may
// have sent: its own recent events in the room, newest first. A message in
// doubt is the last one the bot tried in its room, give or take the few
// sent meanwhile by other workers.
const reconcileDepth = 100

// findSent looks in a room for the bot's own event carrying an outbox key,
// decrypting its encrypted ones.
func (b *Bot) findSent(ctx context.Context, room id.RoomID, key string) (evtID id.EventID, found bool, err error) {
	defer func() {
		if err == nil {
			metrics.Reconciled.WithLabelValues(map[bool]string{true: "found", false: "absent"}[found]).Inc()
		}
	}()
	filter := &mautrix.FilterPart{Senders: []id.UserID{b.cli.UserID}, Types: []event.Type{event.EventMessage, event.EventEncrypted}}
	from := ""
	for seen := 0; seen < reconcileDepth; {
		var resp *mautrix.RespMessages
		err := retry(ctx, b.log, "look for an earlier send", func() error {
			var err error
			resp, err = b.cli.Messages(ctx, room, from, "", mautrix.DirectionBackward, filter, 50)
			return err
		})
		if err != nil {
			return "", false, err
		}
		for _, evt := range resp.Chunk {
			if evt.Sender != b.cli.UserID {
				continue
			}
			seen++
			if b.carriesKey(ctx, room, evt, key) {
				b.log.Info().Str("key", key).Stringer("event_id", evt.ID).Msg("Found an earlier send")
				return evt.ID, true, nil
			}
		}
		if resp.End == "" || len(resp.Chunk) == 0 {
			break
		}
		from = resp.End
	}
	return "", false, nil
}

// carriesKey tells whether one of the bot's events carries a key.
func (b *Bot) carriesKey(ctx context.Context, room id.RoomID, evt *event.Event, key string) bool {
	if evt.Type == event.EventEncrypted && b.crypto != nil {
		evt.RoomID = room
		if err := evt.Content.ParseRaw(evt.Type); err != nil {
			return false
		}
		dec, err := b.crypto.Decrypt(ctx, evt)
		if err != nil {
			b.log.Debug().Err(err).Stringer("event_id", evt.ID).Msg("Could not decrypt an own event")
			return false
		}
		evt = dec
	}
	v, _ := evt.Content.Raw[ContentKey].(string)
	return v == key
}

// refused tells whether the homeserver answered a send with a refusal
// (4xx, rate limits included): it did not store the message.
func refused(err error) bool {
	var httpErr mautrix.HTTPError
	if !errors.As(err, &httpErr) || httpErr.Response == nil {
		return false
	}
	return httpErr.Response.StatusCode >= 400 && httpErr.Response.StatusCode < 500
}

func countSent(kind storage.OutboxKind, err error) {
	result := "ok"
	if err != nil {
		result = "failed"
	}
	metrics.Sent.WithLabelValues(string(kind), result).Inc()
	if kind == storage.KindReminder {
		metrics.Reminders.WithLabelValues(map[string]string{"ok": "sent", "failed": "failed"}[result]).Inc()
	}
}

// outboxTxnID derives a queued message's transaction ID from its key.
func outboxTxnID(key string) string { return "bh.out." + shortHash(key) + shortHash(key+"#") }

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:6])
}

// renderPart turns a reply part into message content. Markdown is rendered
// with raw HTML disabled, so any user text that slipped in unescaped still
// cannot inject markup.
func renderPart(p commands.Part) *event.MessageEventContent {
	if p.Location != nil {
		return &event.MessageEventContent{
			MsgType:  event.MsgLocation,
			Body:     p.Location.Body,
			GeoURI:   p.Location.GeoURI,
			Mentions: &event.Mentions{},
		}
	}
	r := renderMarkdown(p.Markdown)
	return &event.MessageEventContent{
		MsgType: event.MsgNotice, Body: r.body, Format: r.format, FormattedBody: r.html, Mentions: &event.Mentions{},
	}
}

// fileContent is a file's message before its upload: the URL, or the
// encrypted file's keys, are added when it is sent.
func fileContent(f *commands.File) *event.MessageEventContent {
	return &event.MessageEventContent{
		MsgType: event.MsgFile, Body: f.Name, FileName: f.Name,
		Info: &event.FileInfo{MimeType: f.MIME, Size: len(f.Data)}, Mentions: &event.Mentions{},
	}
}

// uploadFile uploads a queued file for its room, encrypted first when the
// room is, and returns the message with the file's address. Uploading
// again after a crash costs storage on the homeserver, never a second
// message.
func (b *Bot) uploadFile(ctx context.Context, room id.RoomID, it *storage.OutboxItem) (*event.MessageEventContent, error) {
	var content event.MessageEventContent
	if err := json.Unmarshal([]byte(it.Content), &content); err != nil {
		return nil, fmt.Errorf("decode queued file message: %w", err)
	}
	data, mime := it.File.Data, it.File.MIME
	var ef *attachment.EncryptedFile
	if b.encryptedRoom(ctx, room) {
		ef = attachment.NewEncryptedFile()
		data = append([]byte(nil), data...)
		ef.EncryptInPlace(data)
		mime = "application/octet-stream"
	}
	upload, err := b.cli.UploadBytesWithName(ctx, data, mime, it.File.Name)
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", it.File.Name, err)
	}
	if ef != nil {
		content.File = &event.EncryptedFileInfo{EncryptedFile: *ef, URL: upload.ContentURI.CUString()}
	} else {
		content.URL = upload.ContentURI.CUString()
	}
	return &content, nil
}

// rendered is markdown turned into a message's plain and HTML bodies.
type rendered struct {
	body, html string
	format     event.Format
}

// renderCache keeps recent renderings: most replies (the event card, the
// venue, the help) are the same text many times, and rendering markdown to
// HTML and back to plain text costs far more than answering.
var renderCache = struct {
	sync.Mutex
	m map[string]rendered
}{m: map[string]rendered{}}

// renderCacheSize bounds the cache; it is emptied when full, which is
// simpler than an LRU and costs one render per entry per refill.
const renderCacheSize = 512

func renderMarkdown(md string) rendered {
	renderCache.Lock()
	r, ok := renderCache.m[md]
	renderCache.Unlock()
	if ok {
		return r
	}
	c := format.RenderMarkdown(md, true, false)
	r = rendered{body: c.Body, html: c.FormattedBody, format: c.Format}
	renderCache.Lock()
	if len(renderCache.m) >= renderCacheSize {
		clear(renderCache.m)
	}
	renderCache.m[md] = r
	renderCache.Unlock()
	return r
}

// directRoom returns the direct chat with a member, opening one if needed.
func (b *Bot) directRoom(ctx context.Context, user id.UserID) (id.RoomID, error) {
	b.dmMu.Lock()
	defer b.dmMu.Unlock()
	room, err := b.store.DirectRooms.Get(ctx, user)
	if err != nil || room != "" {
		return room, err
	}
	var resp *mautrix.RespCreateRoom
	err = retry(ctx, b.log, "create direct chat", func() error {
		var err error
		req := &mautrix.ReqCreateRoom{Preset: "trusted_private_chat", IsDirect: true, Invite: []id.UserID{user}}
		if b.crypto != nil && b.s().cfg.Matrix.Encryption.DirectChats {
			req.InitialState = []*event.Event{{
				Type:    event.StateEncryption,
				Content: event.Content{Parsed: &event.EncryptionEventContent{Algorithm: id.AlgorithmMegolmV1}},
			}}
		}
		resp, err = b.cli.CreateRoom(ctx, req)
		if errors.Is(err, mautrix.MForbidden) || errors.Is(err, mautrix.MNotFound) {
			return permanent(err)
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("open direct chat with %s: %w", user, err)
	}
	if err := b.store.DirectRooms.Put(ctx, user, resp.RoomID); err != nil {
		return "", err
	}
	b.log.Info().Stringer("user_id", user).Stringer("room_id", resp.RoomID).Msg("Opened a direct chat")
	return resp.RoomID, nil
}

// noteDirect remembers a direct chat a member opened with the bot, so that
// private answers go there rather than to a new room.
func (b *Bot) noteDirect(ctx context.Context, user id.UserID, room id.RoomID) {
	b.dmMu.Lock()
	defer b.dmMu.Unlock()
	if known, err := b.store.DirectRooms.Get(ctx, user); err == nil && known != room {
		if err := b.store.DirectRooms.Put(ctx, user, room); err != nil {
			b.log.Warn().Err(err).Msg("Could not record a direct chat")
		}
	}
}

// destinationError tells whether a failed send is about its destination
// (the room refuses, the member cannot be reached: a 4xx other than 429)
// rather than the homeserver as a whole.
func destinationError(err error) bool {
	var httpErr mautrix.HTTPError
	if !errors.As(err, &httpErr) || httpErr.Response == nil {
		return false
	}
	code := httpErr.Response.StatusCode
	return code >= 400 && code < 500 && code != http.StatusTooManyRequests
}

// pin adds an announcement to the room's pinned events, where the bot has
// the power to; elsewhere it only logs.
func (b *Bot) pin(ctx context.Context, room id.RoomID, evt id.EventID) {
	var pinned event.PinnedEventsEventContent
	if err := b.cli.StateEvent(ctx, room, event.StatePinnedEvents, "", &pinned); err != nil && !errors.Is(err, mautrix.MNotFound) {
		b.log.Warn().Err(err).Stringer("room_id", room).Msg("Could not read pinned events")
		return
	}
	pinned.Pinned = append(pinned.Pinned, evt)
	if _, err := b.cli.SendStateEvent(ctx, room, event.StatePinnedEvents, "", &pinned); err != nil {
		b.log.Warn().Err(err).Stringer("room_id", room).Msg("Could not pin the announcement")
	}
}
