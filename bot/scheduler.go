package bot

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bluehats/bluehats-bot/storage"
)

// scheduler runs the bot's timed work: its jobs, side by side, each saying
// when it is next due. It sleeps until the earliest, or a poke; it never
// polls in a loop.
type scheduler struct {
	bot  *Bot
	jobs []job
	poke chan struct{}
	mu   sync.Mutex
	// failed holds queued messages whose send failed: key -> not before.
	failed map[string]time.Time
	// sending holds the messages being sent, by the scheduler or at once
	// by a handler: a second send of the same message would be a duplicate
	// the transaction ID may not catch.
	sending map[string]bool
	// sendTimeout bounds one send with its retries.
	sendTimeout time.Duration
}

// job is timed work. run does what is due at now (calendar time) and
// returns when it is next due: zero for never, now or earlier for at once.
type job struct {
	name string
	run  func(ctx context.Context, now time.Time) (time.Time, error)
}

func newScheduler(b *Bot) *scheduler {
	s := &scheduler{bot: b, poke: make(chan struct{}, 1), failed: map[string]time.Time{}, sending: map[string]bool{}, sendTimeout: processTimeout}
	s.jobs = []job{
		// Reminders and scheduled announcements first: they queue messages
		// that the outbox job then sends in the same pass.
		{"reminders", b.fireReminders},
		{"follow notices", b.queueFollowNotices},
		{"purge", b.purgeIfDue},
		// Replies, announcements, reminders, and decisions on their date.
		{"outbox", s.sendDue},
	}
	return s
}

// Poke wakes the scheduler to look again.
func (s *scheduler) Poke() {
	select {
	case s.poke <- struct{}{}:
	default:
	}
}

func (s *scheduler) run(ctx context.Context) {
	for {
		timer := time.NewTimer(s.runDue(ctx))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-s.poke:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// runDue runs every job and returns how long to sleep.
func (s *scheduler) runDue(ctx context.Context) time.Duration {
	const idle, afterError = time.Hour, 5 * time.Second
	now := s.bot.calendar.Now()
	wait := idle
	for _, j := range s.jobs {
		next, err := j.run(ctx, now)
		if err != nil {
			s.bot.log.Error().Err(err).Str("job", j.name).Msg("Scheduled job failed")
			next = now.Add(afterError)
		}
		if !next.IsZero() {
			wait = min(wait, max(next.Sub(now), 0))
		}
	}
	return wait
}

// sendDue sends the queued messages that are due, a page at a time in
// queue order, and returns when the next one is due.
func (s *scheduler) sendDue(ctx context.Context, now time.Time) (time.Time, error) {
	b := s.bot
	// When a whole page is waiting for retries, the next one is read, so
	// that a hundred failing messages do not hold back the rest;
	// destinations waiting stay blocked across pages, to keep their order.
	// New failures end the pass: the homeserver may be struggling, and the
	// retries will tell.
	const page = 100
	blocked := map[string]bool{}
	retryIn := time.Duration(0)
	var after *storage.OutboxItem
	for {
		items, err := b.store.Outbox.Due(ctx, now, page, after)
		if err != nil {
			return time.Time{}, err
		}
		pass := s.sendInOrder(ctx, items, blocked)
		if pass.retryIn > 0 && (retryIn == 0 || pass.retryIn < retryIn) {
			retryIn = pass.retryIn
		}
		if len(items) < page || ctx.Err() != nil || pass.halted || pass.attempted > pass.sent {
			break
		}
		if pass.sent > 0 {
			return now, nil // more may be due: read again from the first page
		}
		after = items[len(items)-1]
	}
	next, ok, err := b.store.Outbox.NextDue(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if retryIn > 0 && (!ok || next.Sub(now) > retryIn || !next.After(now)) {
		// Due already but waiting for its retry.
		return now.Add(retryIn), nil
	}
	if !ok {
		return time.Time{}, nil
	}
	return next, nil
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
	notBefore, busy := s.failed[it.Key], s.sending[it.Key]
	if !busy {
		s.sending[it.Key] = true
	}
	s.mu.Unlock()
	if busy {
		// Sent elsewhere right now: look again shortly (the sender pokes
		// the scheduler if it fails).
		return sendResult{wait: 100 * time.Millisecond}
	}
	defer func() {
		s.mu.Lock()
		delete(s.sending, it.Key)
		s.mu.Unlock()
	}()
	if wait := time.Until(notBefore); wait > 0 {
		return sendResult{wait: wait}
	}
	if ctx.Err() != nil {
		return sendResult{}
	}
	// The page may be older than a send that just finished elsewhere, or
	// than the item's in-doubt mark: read it again.
	fresh, err := b.store.Outbox.Get(ctx, it.Key)
	if err != nil {
		return sendResult{wait: backoff(0)}
	}
	if fresh == nil || !fresh.SentAt.IsZero() {
		return sendResult{sent: true} // sent meanwhile, or cancelled
	}
	it = fresh
	// A send under way is finished even when stopping: cut off, the
	// homeserver may keep the message without the bot recording it.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.sendTimeout)
	err = b.sendItem(sctx, it)
	cancel()
	if err != nil {
		b.log.Error().Err(err).Str("key", it.Key).Int("attempts", it.Attempts+1).Msg("Could not send a queued message")
		_ = b.store.Outbox.MarkFailed(ctx, it.Key, err, refused(err))
		wait := backoff(it.Attempts + 3)
		s.mu.Lock()
		s.failed[it.Key] = time.Now().Add(wait)
		s.mu.Unlock()
		return sendResult{attempted: true, homeserverDown: !destinationError(err), wait: wait}
	}
	s.mu.Lock()
	delete(s.failed, it.Key)
	s.mu.Unlock()
	b.log.Info().Str("key", it.Key).Str("kind", string(it.Kind)).Msg("Sent queued message")
	return sendResult{sent: true, attempted: true}
}
