package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

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
	content := format.RenderMarkdown(p.Markdown, true, false)
	content.MsgType = event.MsgNotice
	content.Mentions = &event.Mentions{}
	return &content
}
