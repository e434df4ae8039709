package bot

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/i18n"
)

// maxParallelRooms bounds how many rooms are answered at once; messages of
// one room are always answered in order.
const maxParallelRooms = 8

// processBatch answers the messages of one sync response: rooms in
// parallel, each room in order, and returns when all are done so that the
// sync token is stored only after.
func (b *Bot) processBatch(ctx context.Context, msgs []*event.Event) {
	if len(msgs) == 0 {
		return
	}
	byRoom := map[id.RoomID][]*event.Event{}
	var order []id.RoomID
	seen := map[id.EventID]bool{}
	for _, evt := range msgs {
		if seen[evt.ID] {
			continue
		}
		seen[evt.ID] = true
		if _, ok := byRoom[evt.RoomID]; !ok {
			order = append(order, evt.RoomID)
		}
		byRoom[evt.RoomID] = append(byRoom[evt.RoomID], evt)
	}
	sem := make(chan struct{}, maxParallelRooms)
	var wg sync.WaitGroup
	for _, room := range order {
		wg.Add(1)
		sem <- struct{}{}
		go func(evts []*event.Event) {
			defer func() { <-sem; wg.Done() }()
			for _, evt := range evts {
				b.handleMessage(ctx, evt)
			}
		}(byRoom[room])
	}
	wg.Wait()
}

// handleMessage answers one message if it is for the bot and was not
// answered before.
func (b *Bot) handleMessage(ctx context.Context, evt *event.Event) {
	log := b.log.With().Stringer("event_id", evt.ID).Stringer("room_id", evt.RoomID).Stringer("sender", evt.Sender).Logger()
	defer func() {
		if r := recover(); r != nil {
			log.Error().Any("panic", r).Msg("Handler panicked")
		}
	}()
	msg := b.answerable(evt)
	if msg == nil {
		return
	}
	done, err := b.store.Handled.Has(ctx, evt.ID)
	if err != nil {
		log.Error().Err(err).Msg("Could not check whether the message was answered")
		return
	}
	if done {
		return
	}

	in := commands.Input{
		Sender:    evt.Sender,
		Room:      evt.RoomID,
		Body:      msg.Body,
		Organiser: b.isOrganiser(evt.Sender),
	}
	isCommand := strings.HasPrefix(strings.TrimSpace(msg.Body), b.cfg.Bot.Prefix)
	if !isCommand {
		mentioned := b.mentioned(msg)
		mode := b.cfg.Bot.AnswerQuestions
		if mode == config.AnswerOff {
			return
		}
		in.Direct = b.isDirect(ctx, evt.RoomID)
		in.Question = in.Direct || mode == config.AnswerAlways || mentioned
		if !in.Question {
			return
		}
		if mentioned {
			in.Body = b.stripMention(in.Body)
		}
	} else {
		in.Direct = b.isDirect(ctx, evt.RoomID)
	}

	start := time.Now()
	reply, outcome, err := b.router.Handle(ctx, in)
	if err != nil {
		log.Error().Err(err).Str("command", outcome.Command).Msg("Command failed")
		reply = commands.Text(i18n.Get(outcome.Lang).InternalError)
	}
	if reply == nil {
		return
	}
	if err := b.sendReply(ctx, evt, reply); err != nil {
		// Not marked as handled: it is answered again on the next start,
		// with the same transaction IDs, so nothing is posted twice.
		log.Error().Err(err).Msg("Could not send the reply")
		return
	}
	if _, err := b.store.Handled.Mark(ctx, evt.ID, evt.RoomID, evt.Sender, time.Now()); err != nil {
		log.Error().Err(err).Msg("Could not record the answered message")
	}
	log.Info().Str("kind", outcome.Kind).Str("command", outcome.Command).Str("intent", string(outcome.Intent)).
		Str("lang", string(outcome.Lang)).Dur("took", time.Since(start)).Msg("Answered")
}

// answerable returns the message content when the event is a message the
// bot may answer: from someone else, not a notice (other bots), not an
// edit (an edited command is not run again), not redacted, and not older
// than the cutoff.
func (b *Bot) answerable(evt *event.Event) *event.MessageEventContent {
	if evt.Sender == b.cli.UserID || evt.Unsigned.RedactedBecause != nil {
		return nil
	}
	// The first sync of a run replays history; the cutoff keeps only what
	// is recent enough (see setCutoff).
	if time.UnixMilli(evt.Timestamp).Before(b.cutoff) {
		return nil
	}
	msg := messageContent(evt)
	if msg == nil || msg.MsgType != event.MsgText {
		return nil
	}
	if msg.RelatesTo != nil && msg.RelatesTo.GetReplaceID() != "" || msg.NewContent != nil {
		return nil
	}
	msg.RemoveReplyFallback()
	if strings.TrimSpace(msg.Body) == "" {
		return nil
	}
	return msg
}

// mentioned tells whether a message addresses the bot: an m.mentions entry,
// or its user ID or name in the text (older clients send no m.mentions).
func (b *Bot) mentioned(msg *event.MessageEventContent) bool {
	if msg.Mentions != nil && msg.Mentions.Has(b.cli.UserID) {
		return true
	}
	return b.mentionRE().MatchString(msg.Body)
}

func (b *Bot) stripMention(body string) string {
	return strings.TrimSpace(b.mentionRE().ReplaceAllString(body, " "))
}

var mentionREs sync.Map // user ID -> *regexp.Regexp

// mentionRE matches the bot's user ID or localpart as a word, with the
// ": " clients add after a name at the start of a message.
func (b *Bot) mentionRE() *regexp.Regexp {
	if re, ok := mentionREs.Load(b.cli.UserID); ok {
		return re.(*regexp.Regexp)
	}
	local := b.cli.UserID.Localpart()
	re := regexp.MustCompile(`(?i)(^|[\s,])@?(` + regexp.QuoteMeta(b.cli.UserID.String()) + `|` + regexp.QuoteMeta(local) + `)\b:?`)
	mentionREs.Store(b.cli.UserID, re)
	return re
}
