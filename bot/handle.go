package bot

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/metrics"
	"github.com/bluehats/bluehats-bot/storage"
)

// maxParallel bounds how many conversations are answered at once; the
// messages of one member in one room are always answered in order.
const maxParallel = 8

// maxBody is the longest message the bot reads; longer ones get a short
// refusal rather than minutes of matching.
const maxBody = 16 * 1024

// processBatch answers the messages of one sync response: each member's
// messages in a room in order (a dialog, or a command then its follow-up),
// different members and rooms in parallel, and returns when all are done,
// so that the sync token is stored only after them and a later batch never
// overtakes an earlier one.
func (b *Bot) processBatch(ctx context.Context, msgs []*event.Event) {
	if len(msgs) == 0 {
		return
	}
	type conversation struct {
		room   id.RoomID
		sender id.UserID
	}
	groups := map[conversation][]*event.Event{}
	var order []conversation
	seen := map[id.EventID]bool{}
	for _, evt := range msgs {
		if seen[evt.ID] {
			continue
		}
		seen[evt.ID] = true
		c := conversation{evt.RoomID, evt.Sender}
		if _, ok := groups[c]; !ok {
			order = append(order, c)
		}
		groups[c] = append(groups[c], evt)
	}
	sem := make(chan struct{}, maxParallel)
	var wg sync.WaitGroup
	for _, c := range order {
		wg.Add(1)
		sem <- struct{}{}
		go func(evts []*event.Event) {
			defer func() { <-sem; wg.Done() }()
			for _, evt := range evts {
				b.handleMessage(ctx, evt)
			}
		}(groups[c])
	}
	wg.Wait()
}

// handleMessage answers one message (or ✅ reaction) if it is for the bot
// and was not answered before.
func (b *Bot) handleMessage(ctx context.Context, evt *event.Event) {
	log := b.log.With().Stringer("event_id", evt.ID).Stringer("room_id", evt.RoomID).Stringer("sender", evt.Sender).Logger()
	defer func() {
		if r := recover(); r != nil {
			log.Error().Any("panic", r).Msg("Handler panicked")
		}
	}()
	if evt.Type == event.EventReaction {
		b.handleReaction(ctx, evt, log)
		return
	}
	msg := b.answerable(evt)
	if msg == nil {
		return
	}
	if done, err := b.store.Handled.Has(ctx, evt.ID); err != nil || done {
		if err != nil {
			log.Error().Err(err).Msg("Could not check whether the message was answered")
		}
		return
	}
	in := commands.Input{Sender: evt.Sender, Room: evt.RoomID, Body: msg.Body}
	isCommand := strings.HasPrefix(strings.TrimSpace(msg.Body), b.s().cfg.Bot.Prefix)
	in.Direct = b.isDirect(ctx, evt.RoomID)
	o := origin{ID: evt.ID, Room: evt.RoomID, Sender: evt.Sender, ReplyTo: evt.ID}
	if !isCommand {
		mentioned := b.mentioned(msg)
		mode := b.s().cfg.Bot.AnswerQuestions
		in.Question = mode != config.AnswerOff && (in.Direct || mode == config.AnswerAlways || mentioned)
		// A dialog in a direct chat reads answers without the prefix, even
		// with questions off.
		if !in.Question && !in.Direct {
			return
		}
		if mentioned {
			in.Body = b.stripMention(in.Body)
		}
	}
	if !b.withinLimits(ctx, o, log) {
		return
	}
	if len(msg.Body) > maxBody {
		b.refuse(ctx, o, i18n.Get(i18n.Lang(b.s().cfg.Bot.Language)).MessageTooLong, log)
		return
	}
	b.handleInput(ctx, o, in, log)
}

// withinLimits applies the per-member and per-room rate limits. Over the
// member's limit the bot says so once a minute, and otherwise stays quiet;
// a flooded room gets no answers until it calms down.
func (b *Bot) withinLimits(ctx context.Context, o origin, log zerolog.Logger) bool {
	now := time.Now()
	ok, warn := b.s().userLimit.allow(userKey(o.Sender), now)
	if !ok {
		log.Warn().Bool("told", warn).Msg("Member over the rate limit")
		if warn {
			b.refuse(ctx, o, i18n.Get(i18n.Lang(b.s().cfg.Bot.Language)).TooManyMessages, log)
		}
		return false
	}
	if ok, _ := b.s().roomLimit.allow(roomKey(o.Room), now); !ok {
		log.Warn().Msg("Room over the rate limit")
		return false
	}
	return true
}

// refuse answers a message with a short notice, without running it.
func (b *Bot) refuse(ctx context.Context, o origin, text string, log zerolog.Logger) {
	if err := b.answer(ctx, o, commands.Text(text)); err != nil {
		log.Warn().Err(err).Msg("Could not send a refusal")
	}
}

// handleReaction runs the command a reaction stands for: ✅ on a decision
// confirms it, ⭐ on a talk of the programme follows it.
func (b *Bot) handleReaction(ctx context.Context, evt *event.Event, log zerolog.Logger) {
	if evt.Sender == b.cli.UserID || time.UnixMilli(evt.Timestamp).Before(b.cutoff) {
		return
	}
	if evt.Content.Parsed == nil {
		if err := evt.Content.ParseRaw(evt.Type); err != nil {
			return
		}
	}
	rel := evt.Content.AsReaction().RelatesTo
	target, err := b.store.Outbox.ByEvent(ctx, rel.EventID)
	if err != nil || target == nil {
		return
	}
	body, ok := commands.ReactionCommand(b.s().env, target.Kind, target.Proposal, rel.Key)
	if !ok {
		return
	}
	if done, err := b.store.Handled.Has(ctx, evt.ID); err != nil || done {
		return
	}
	in := commands.Input{Sender: evt.Sender, Room: evt.RoomID, Direct: b.isDirect(ctx, evt.RoomID), Body: body}
	b.handleInput(ctx, origin{ID: evt.ID, Room: evt.RoomID, Sender: evt.Sender, ReplyTo: rel.EventID}, in, log)
}

// handleInput runs a command or question and queues the reply, in one
// transaction with the command's changes and the record that the message
// was answered, then sends it: a crash at any point neither loses nor
// repeats anything.
func (b *Bot) handleInput(ctx context.Context, o origin, in commands.Input, log zerolog.Logger) {
	in.Organiser = b.isOrganiser(ctx, o.Sender)
	if in.Organiser && !in.Direct {
		in.BotMaySetWidgets = b.maySetState(ctx, o.Room, commands.WidgetType)
	}
	in.Private = in.Direct || b.isOrganiserRoom(o.Room)
	if in.Direct {
		b.noteDirect(ctx, o.Sender, o.Room)
	}
	start := time.Now()
	var (
		outcome commands.Outcome
		queued  []*storage.OutboxItem
	)
	err := b.store.Txn(ctx, func(ctx context.Context) error {
		reply, out, err := b.s().router.Handle(ctx, in)
		outcome = out
		if err != nil || reply == nil {
			return err
		}
		if queued, err = b.queue(ctx, o, reply); err != nil {
			return err
		}
		_, err = b.store.Handled.Mark(ctx, o.ID, o.Room, o.Sender, time.Now())
		return err
	})
	if err != nil {
		log.Error().Err(err).Str("command", outcome.Command).Msg("Command failed")
		outcome.Kind = "error"
		sorry := commands.Text(i18n.Get(outcome.Lang).InternalError)
		if err := b.answer(ctx, o, sorry); err != nil {
			// The database refuses writes: the member is told anyway, by
			// the same sender but unrecorded. The message is not marked
			// answered, so it is run again once the database is back.
			log.Error().Err(err).Msg("Could not record the reply")
			if items, err := b.outboxItems(o, sorry); err == nil {
				for _, it := range items {
					if err := b.sendItem(ctx, it); err != nil {
						log.Error().Err(err).Msg("Could not say the command failed")
					}
				}
			}
			return
		}
	} else if queued == nil {
		return
	} else {
		b.sendNow(ctx, queued)
	}
	countHandled(outcome, start)
	log.Info().Str("kind", outcome.Kind).Str("command", outcome.Command).Str("intent", string(outcome.Intent)).
		Str("lang", string(outcome.Lang)).Dur("took", time.Since(start)).Msg("Answered")
}

// answerable returns the message content when the event is a message the
// bot may answer: from someone else, not a notice (other bots), not an
// edit (an edited command is not run again), not redacted, and not older
// than the cutoff.
func (b *Bot) answerable(evt *event.Event) *event.MessageEventContent {
	if evt.Sender == b.cli.UserID || evt.Unsigned.RedactedBecause != nil || b.s().ignored[evt.Sender] {
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

// countHandled records a handled message in the metrics.
func countHandled(out commands.Outcome, start time.Time) {
	name := out.Command
	if name == "" {
		name = "-"
	}
	metrics.Commands.WithLabelValues(name, out.Kind).Inc()
	metrics.ReplySeconds.Observe(time.Since(start).Seconds())
	switch out.Kind {
	case "question":
		metrics.Questions.WithLabelValues("matched").Inc()
	case "unmatched":
		metrics.Questions.WithLabelValues("unmatched").Inc()
	}
}
