package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto/attachment"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/metrics"
	"github.com/bluehats/bluehats-bot/storage"
)

// origin is the message a reply answers.
type origin struct {
	ID     id.EventID // the message (or reaction) answered, for transaction IDs
	Room   id.RoomID
	Sender id.UserID
	// ReplyTo is the event replies point at: the message itself, or for a
	// reaction the message reacted to.
	ReplyTo id.EventID
}

// targets resolves where a part goes: rooms, or users by direct chat.
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
	default:
		return []id.RoomID{o.Room}, ""
	}
}

// partContent renders a part; only parts in the asker's room are replies,
// and only the first one mentions the asker.
func partContent(o origin, part commands.Part, first bool) *event.MessageEventContent {
	return asReply(o, part, first, renderPart(part))
}

// asReply makes content a reply to the asker when the part stays in the
// asker's room.
func asReply(o origin, part commands.Part, first bool, content *event.MessageEventContent) *event.MessageEventContent {
	if part.To == commands.Here {
		content.RelatesTo = (&event.RelatesTo{}).SetReplyTo(o.ReplyTo)
		if first {
			content.Mentions = &event.Mentions{UserIDs: []id.UserID{o.Sender}}
		}
	}
	return content
}

// outboxItems turns a reply into messages to send exactly once. Parts
// without a key of their own are keyed by the message they answer.
func (b *Bot) outboxItems(o origin, reply *commands.Reply) ([]*storage.OutboxItem, error) {
	var items []*storage.OutboxItem
	now := time.Now()
	for i, part := range reply.Parts {
		if part.File != nil {
			return nil, errors.New("a file cannot be queued")
		}
		key := part.Key
		if key == "" {
			key = fmt.Sprintf("reply:%s:%d", o.ID, i)
		}
		data, err := json.Marshal(partContent(o, part, i == 0))
		if err != nil {
			return nil, fmt.Errorf("encode message: %w", err)
		}
		rooms, user := b.targets(o, part)
		if user != "" {
			items = append(items, &storage.OutboxItem{Key: key, User: user, EventType: event.EventMessage.Type, Content: string(data), DueAt: part.At, CreatedAt: now})
		}
		for _, room := range rooms {
			k := key
			if part.To == commands.ToRooms || part.To == commands.ToOrganiserRooms {
				k = key + ":" + room.String()
			}
			items = append(items, &storage.OutboxItem{Key: k, Room: room, EventType: event.EventMessage.Type, Content: string(data), DueAt: part.At, CreatedAt: now})
		}
	}
	return items, nil
}

// deliver sends a reply that needs no exactly-once record (read-only
// commands): resending it after a crash is harmless, and the transaction
// IDs keep the homeserver from showing it twice.
func (b *Bot) deliver(ctx context.Context, o origin, reply *commands.Reply) error {
	var errs []error
	for i, part := range reply.Parts {
		rooms, user := b.targets(o, part)
		if user != "" {
			room, err := b.directRoom(ctx, user)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			rooms = []id.RoomID{room}
		}
		for _, room := range rooms {
			content := partContent(o, part, i == 0)
			if part.File != nil {
				var err error
				if content, err = b.fileContent(ctx, room, o, part, i == 0); err != nil {
					errs = append(errs, err)
					continue
				}
			}
			txn := fmt.Sprintf("%s.%s", replyTxnID(o.ID, i), shortHash(room.String()))
			_, err := b.send(ctx, room, event.EventMessage, content, txn)
			countSent("direct", err)
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

func countSent(path string, err error) {
	result := "ok"
	if err != nil {
		result = "failed"
	}
	metrics.Sent.WithLabelValues(path, result).Inc()
}

// outboxTxnID derives a queued message's transaction ID from its key, so
// that sending it again after a crash is recognised by the homeserver.
func outboxTxnID(key string) string { return "bh.out." + shortHash(key) + shortHash(key+"#") }

// fileContent uploads a file for a room, encrypted first when the room is.
func (b *Bot) fileContent(ctx context.Context, room id.RoomID, o origin, part commands.Part, first bool) (*event.MessageEventContent, error) {
	data := part.File.Data
	content := &event.MessageEventContent{
		MsgType: event.MsgFile, Body: part.File.Name, FileName: part.File.Name,
		Info: &event.FileInfo{MimeType: part.File.MIME, Size: len(data)}, Mentions: &event.Mentions{},
	}
	var ef *attachment.EncryptedFile
	mime := part.File.MIME
	if b.encryptedRoom(ctx, room) {
		ef = attachment.NewEncryptedFile()
		data = append([]byte(nil), data...)
		ef.EncryptInPlace(data)
		mime = "application/octet-stream"
	}
	upload, err := b.cli.UploadBytesWithName(ctx, data, mime, part.File.Name)
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", part.File.Name, err)
	}
	if ef != nil {
		content.File = &event.EncryptedFileInfo{EncryptedFile: *ef, URL: upload.ContentURI.CUString()}
	} else {
		content.URL = upload.ContentURI.CUString()
	}
	return asReply(o, part, first, content), nil
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:6])
}

// sendItem sends one queued message and records it as sent. A direct
// chat whose room the bot lost is opened anew once.
func (b *Bot) sendItem(ctx context.Context, it *storage.OutboxItem) (err error) {
	defer func() { countSent("outbox", err) }()
	var content json.RawMessage = []byte(it.Content)
	txn := outboxTxnID(it.Key)
	room := it.Room
	for attempt := 0; ; attempt++ {
		if it.User != "" {
			var err error
			if room, err = b.directRoom(ctx, it.User); err != nil {
				return err
			}
		}
		evtID, err := b.send(ctx, room, event.NewEventType(it.EventType), content, txn)
		if err != nil && it.User != "" && attempt == 0 && errors.Is(err, mautrix.MForbidden) {
			// The user left the chat: forget it and open a new one.
			_ = b.store.DirectRooms.Delete(ctx, it.User)
			continue
		}
		if err != nil {
			return err
		}
		if err := b.store.Outbox.MarkSent(ctx, it.Key, evtID, time.Now()); err != nil {
			return err
		}
		if strings.HasPrefix(it.Key, "reminder:") {
			metrics.Reminders.WithLabelValues("sent").Inc()
		}
		if b.s().cfg.Announcements.Pin && isAnnouncement(it) {
			b.pin(ctx, room, evtID)
		}
		return nil
	}
}

// isAnnouncement tells whether a queued message is an announcement to a
// room: from !annonce, or scheduled in announcements.scheduled.
func isAnnouncement(it *storage.OutboxItem) bool {
	return it.User == "" && (strings.HasPrefix(it.Key, "announce:") || strings.HasPrefix(it.Key, "reminder:announce-"))
}

// directRoom returns the direct chat with a user, opening one if needed.
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

// noteDirect remembers a direct chat a user opened with the bot, so that
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

// scheduler sends queued messages when they are due (calendar time): at
// once for replies, on the announced date for decisions. It sleeps until
// the next due message or a poke; it never polls in a loop.
type scheduler struct {
	bot    *Bot
	poke   chan struct{}
	mu     sync.Mutex
	failed map[string]time.Time // key -> not before, after a failed send
	// sendTimeout bounds one send with its retries.
	sendTimeout time.Duration
}

func newScheduler(b *Bot) *scheduler {
	return &scheduler{bot: b, poke: make(chan struct{}, 1), failed: map[string]time.Time{}, sendTimeout: processTimeout}
}

// Poke wakes the scheduler to look again.
func (s *scheduler) Poke() {
	select {
	case s.poke <- struct{}{}:
	default:
	}
}

func (s *scheduler) run(ctx context.Context) {
	log := s.bot.log.With().Str("component", "scheduler").Logger()
	for {
		wait := s.sendDue(ctx)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-s.poke:
		case <-timer.C:
		}
		timer.Stop()
		if ctx.Err() != nil {
			log.Debug().Msg("Scheduler stopped")
			return
		}
	}
}

// sendDue sends what is due and returns how long to sleep.
func (s *scheduler) sendDue(ctx context.Context) time.Duration {
	const idle = time.Hour
	b := s.bot
	now := b.calendar.Now()
	nextReminder, err := b.fireReminders(ctx, now)
	if err != nil {
		b.log.Error().Err(err).Msg("Could not fire reminders")
		return 5 * time.Second
	}
	if purge, err := b.purgeIfDue(ctx, now); err != nil {
		b.log.Error().Err(err).Msg("Could not purge personal data")
	} else if !purge.IsZero() && (nextReminder.IsZero() || purge.Before(nextReminder)) {
		nextReminder = purge
	}
	// A page at a time, in queue order. When a whole page is waiting for
	// retries, the next one is read, so that a hundred failing messages do
	// not hold back the rest; destinations waiting stay blocked across
	// pages, to keep their order. New failures end the pass: the
	// homeserver may be struggling, and the retries will tell.
	const page = 100
	blocked := map[string]bool{}
	retryIn := time.Duration(0)
	var after *storage.OutboxItem
	for {
		items, err := b.store.Outbox.Due(ctx, now, page, after)
		if err != nil {
			b.log.Error().Err(err).Msg("Could not read the outbox")
			return 5 * time.Second
		}
		pass := s.sendInOrder(ctx, items, blocked)
		if pass.retryIn > 0 && (retryIn == 0 || pass.retryIn < retryIn) {
			retryIn = pass.retryIn
		}
		if len(items) < page || ctx.Err() != nil || pass.halted || pass.attempted > pass.sent {
			break
		}
		if pass.sent > 0 {
			return 0 // more may be due: read again from the first page
		}
		after = items[len(items)-1]
	}
	next, ok, err := b.store.Outbox.NextDue(ctx)
	wait := idle
	if err == nil && ok {
		if d := next.Sub(b.calendar.Now()); d > 0 && d < wait {
			wait = d
		} else if d <= 0 && retryIn == 0 {
			// Due again already: something was queued meanwhile.
			return 0
		}
	}
	if retryIn > 0 && retryIn < wait {
		wait = retryIn
	}
	if !nextReminder.IsZero() {
		if d := nextReminder.Sub(b.calendar.Now()); d < wait {
			wait = max(d, 0)
		}
	}
	return wait
}

// sendWorkers is how many destinations the scheduler sends to at once. A
// reminder to a thousand members is a thousand direct chats; the homeserver
// handles a few sends at a time faster than one after another.
const sendWorkers = 4

// sendPass sums up one pass of sendInOrder.
type sendPass struct {
	retryIn   time.Duration // shortest wait before a retry; zero when none
	sent      int
	attempted int  // sends tried, sent or not (not those waiting for a retry)
	halted    bool // the homeserver failed as a whole: the pass stopped
}

// sendInOrder sends queued messages, several destinations at once but each
// destination (room, or member by direct chat) in queue order: after a
// failure, the rest of that destination waits for the retry. Destinations
// in blocked are skipped, and those that fail are added to it. An error
// that is not about one destination (the homeserver unreachable, 5xx, rate
// limited) stops the pass, so that an outage does not spend every
// message's attempts.
func (s *scheduler) sendInOrder(ctx context.Context, items []*storage.OutboxItem, blocked map[string]bool) sendPass {
	var order []string
	byDest := map[string][]*storage.OutboxItem{}
	for _, it := range items {
		dest := "room:" + it.Room.String()
		if it.User != "" {
			dest = "user:" + it.User.String()
		}
		if blocked[dest] {
			continue
		}
		if _, ok := byDest[dest]; !ok {
			order = append(order, dest)
		}
		byDest[dest] = append(byDest[dest], it)
	}
	var (
		mu   sync.Mutex
		pass sendPass
		halt atomic.Bool
	)
	dests := make(chan string)
	var wg sync.WaitGroup
	for range min(sendWorkers, len(order)) {
		wg.Go(func() {
			for dest := range dests {
				for _, it := range byDest[dest] {
					if halt.Load() {
						break
					}
					r := s.sendOne(ctx, it)
					mu.Lock()
					if r.attempted {
						pass.attempted++
					}
					if r.sent {
						pass.sent++
					} else {
						if r.wait > 0 && (pass.retryIn == 0 || r.wait < pass.retryIn) {
							pass.retryIn = r.wait
						}
						blocked[dest] = true
					}
					mu.Unlock()
					if r.homeserverDown {
						halt.Store(true)
					}
					if !r.sent {
						break
					}
				}
			}
		})
	}
	for _, dest := range order {
		if ctx.Err() != nil || halt.Load() {
			break
		}
		dests <- dest
	}
	close(dests)
	wg.Wait()
	pass.halted = halt.Load()
	return pass
}

// sendResult is what became of one queued message.
type sendResult struct {
	sent, attempted bool
	homeserverDown  bool          // the failure was not about this destination
	wait            time.Duration // before a retry, when not sent
}

// sendOne sends a queued message unless it is waiting for a retry.
func (s *scheduler) sendOne(ctx context.Context, it *storage.OutboxItem) sendResult {
	b := s.bot
	s.mu.Lock()
	notBefore := s.failed[it.Key]
	s.mu.Unlock()
	if wait := time.Until(notBefore); wait > 0 {
		return sendResult{wait: wait}
	}
	if ctx.Err() != nil {
		return sendResult{}
	}
	// A send under way is finished even when stopping: cut off, the
	// homeserver may keep the message without the bot recording it.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.sendTimeout)
	err := b.sendItem(sctx, it)
	cancel()
	if err != nil {
		if strings.HasPrefix(it.Key, "reminder:") {
			metrics.Reminders.WithLabelValues("failed").Inc()
		}
		b.log.Error().Err(err).Str("key", it.Key).Int("attempts", it.Attempts+1).Msg("Could not send a queued message")
		_ = b.store.Outbox.MarkFailed(ctx, it.Key, err)
		wait := backoff(it.Attempts + 3)
		s.mu.Lock()
		s.failed[it.Key] = time.Now().Add(wait)
		s.mu.Unlock()
		return sendResult{attempted: true, homeserverDown: !destinationError(err), wait: wait}
	}
	s.mu.Lock()
	delete(s.failed, it.Key)
	s.mu.Unlock()
	b.log.Info().Str("key", it.Key).Msg("Sent queued message")
	return sendResult{sent: true, attempted: true}
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
