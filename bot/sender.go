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

// sendItem is the one place that sends a message: a queued item, with its
// file uploaded first, recorded as sent with its event ID. A direct chat
// whose room the bot lost is opened anew once.
func (b *Bot) sendItem(ctx context.Context, it *storage.OutboxItem) (err error) {
	defer func() { countSent(it.Kind, err) }()
	txn := outboxTxnID(it.Key)
	room := it.Room
	for attempt := 0; ; attempt++ {
		if it.User != "" {
			var err error
			if room, err = b.directRoom(ctx, it.User); err != nil {
				return err
			}
		}
		var content any = json.RawMessage(it.Content)
		if it.File != nil {
			if content, err = b.uploadFile(ctx, room, it); err != nil {
				return err
			}
		}
		evtID, err := b.send(ctx, room, event.NewEventType(it.EventType), content, txn)
		if err != nil && it.User != "" && attempt == 0 && errors.Is(err, mautrix.MForbidden) {
			// The member left the chat: forget it and open a new one.
			_ = b.store.DirectRooms.Delete(ctx, it.User)
			continue
		}
		if err != nil {
			return err
		}
		if err := b.store.Outbox.MarkSent(ctx, it.Key, evtID, time.Now()); err != nil {
			return err
		}
		if it.Pin {
			b.pin(ctx, room, evtID)
		}
		return nil
	}
}

// send makes one homeserver call, with retries, under a transaction ID
// derived from the item's key, so that retrying (even after a crash, with
// the same access token) is recognised by the homeserver.
func (b *Bot) send(ctx context.Context, room id.RoomID, evtType event.Type, content any, txnID string) (id.EventID, error) {
	var resp *mautrix.RespSendEvent
	err := retry(ctx, b.log, "send", func() error {
		var err error
		resp, err = b.cli.SendMessageEvent(ctx, room, evtType, content, mautrix.ReqSendEvent{TransactionID: txnID})
		return err
	})
	if err != nil {
		return "", fmt.Errorf("send to %s: %w", room, err)
	}
	return resp.EventID, nil
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
