package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/format"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/commands"
)

// send is the one way out: every message goes through it, with a
// caller-chosen transaction ID so that retrying (even after a crash, with
// the same access token) never posts twice.
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

// replyTxnID derives the transaction ID of part n of the reply to a message.
func replyTxnID(to id.EventID, n int) string {
	sum := sha256.Sum256([]byte(to))
	return fmt.Sprintf("bh.reply.%s.%d", hex.EncodeToString(sum[:12]), n)
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
