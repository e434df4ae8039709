// Package bot is the Matrix side of bluehats-bot: login and device, the
// sync loop and its token store, which messages to answer, invites, and the
// one sender every outgoing message goes through.
package bot

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto/cryptohelper"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
	"maunium.net/go/mautrix/sqlstatestore"

	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/metrics"
	"github.com/bluehats/bluehats-bot/reminders"
	"github.com/bluehats/bluehats-bot/storage"
)

// Options are what the bot is built from.
type Options struct {
	Config *config.Config
	// Events are the events served, in start order (config.BuildEvents).
	Events []config.EventSpec
	Store  *storage.Store
	// Calendar is the clock of the event's calendar: deadlines, countdowns,
	// reminders. A rehearsal clock shifts only these; everything about
	// Matrix itself uses the real clock.
	Calendar clock.Clock
	Log      zerolog.Logger
}

// Bot is a running bluehats-bot.
type Bot struct {
	log    zerolog.Logger
	store  *storage.Store
	cli    *mautrix.Client
	states *sqlstatestore.SQLStateStore

	started  time.Time   // real clock
	cutoff   time.Time   // messages older than this are never answered
	calendar clock.Clock // the event's calendar (rehearsal clock when set)
	sched    *scheduler
	power    *powerCache
	dmMu     sync.Mutex // serialises opening direct chats

	live atomic.Pointer[settings] // swapped whole on reload

	roomsMu        sync.RWMutex
	rooms          map[id.RoomID]bool // configured rooms, resolved
	roomRefs       map[string]id.RoomID
	organiserRooms map[id.RoomID]bool

	firstStart time.Time // calendar time of the very first start

	// purgeLast and purgeNext (calendar time, Unix nanoseconds) are the last
	// purge and the next one due, once known; a reload forgets them.
	purgeLast, purgeNext atomic.Int64

	// followQueued holds the follow notices queued in this run, by talk,
	// slot and member.
	followQueued sync.Map

	health  syncHealth
	invites chan *event.Event // accepted by acceptInvites, outside the sync batch
	// roomsChanged asks rejoinOnReload to apply the rooms of a new config.
	roomsChanged chan struct{}

	crypto *cryptohelper.CryptoHelper // nil without encryption
	// Messages decrypted late are answered outside a batch; Run waits for
	// them, and once it is stopping takes no more.
	lateMu      sync.Mutex
	late        sync.WaitGroup
	lateStopped bool
	runCtx      context.Context

	ready     chan struct{}
	readyOnce sync.Once
}

// New builds a bot; Run connects it.
func New(opts Options) (*Bot, error) {
	if opts.Config == nil || len(opts.Events) == 0 || opts.Store == nil {
		return nil, errors.New("new bot: config, events and store are required")
	}
	if opts.Calendar == nil {
		opts.Calendar = clock.Real{}
	}
	b := &Bot{
		log:            opts.Log,
		store:          opts.Store,
		rooms:          map[id.RoomID]bool{},
		roomRefs:       map[string]id.RoomID{},
		organiserRooms: map[id.RoomID]bool{},
		calendar:       opts.Calendar,
		ready:          make(chan struct{}),
		invites:        make(chan *event.Event, 1024),
		roomsChanged:   make(chan struct{}, 1),
	}
	b.sched = newScheduler(b)
	b.power = newPowerCache()
	s, err := b.newSettings(opts.Config, opts.Events)
	if err != nil {
		return nil, err
	}
	b.live.Store(s)
	metrics.CountProposals(func() map[string]int {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		counts, err := b.store.Proposals.CountByState(ctx)
		if err != nil {
			b.log.Warn().Err(err).Msg("Could not count proposals for the metrics")
		}
		return counts
	})
	return b, nil
}

// settings is everything a config reload may change, swapped as one piece
// so that a message is always handled with one consistent configuration.
type settings struct {
	cfg        *config.Config
	env        *commands.Env
	router     *commands.Router
	plan       []reminders.Reminder
	organisers map[id.UserID]bool
	ignored    map[id.UserID]bool
	userLimit  *limiter
	roomLimit  *limiter
}

func (b *Bot) newSettings(cfg *config.Config, events []config.EventSpec) (*settings, error) {
	var plan []reminders.Reminder
	var infos []commands.ConferenceInfo
	for i, spec := range events {
		ann := cfg.Announcements
		if i > 0 {
			ann = config.Announcements{} // scheduled announcements belong to the bot, posted once
		}
		p, err := reminders.Plan(spec.Event, spec.Reminders, ann)
		if err != nil {
			return nil, fmt.Errorf("plan reminders of %q: %w", spec.ID, err)
		}
		for _, r := range p {
			if spec.ID != "" {
				r.ID = spec.ID + "/" + r.ID
			}
			if len(r.Rooms) == 0 {
				r.Rooms = spec.Rooms
			}
			r.ConferenceID = spec.ID
			plan = append(plan, r)
		}
		infos = append(infos, commands.ConferenceInfo{ID: spec.ID, Conference: spec.Event})
	}
	sort.SliceStable(plan, func(i, j int) bool { return plan[i].At.Before(plan[j].At) })
	s := &settings{
		cfg:        cfg,
		plan:       plan,
		organisers: map[id.UserID]bool{},
		ignored:    map[id.UserID]bool{},
		userLimit:  newLimiter(cfg.Bot.RateLimit.Burst, cfg.Bot.RateLimit.PerMinute),
		// A room may hold many members asking at once, but not a flood.
		roomLimit: newLimiter(3*cfg.Bot.RateLimit.Burst, 3*cfg.Bot.RateLimit.PerMinute),
	}
	var organisers []id.UserID
	for _, o := range cfg.Bot.Organisers {
		s.organisers[id.UserID(o)] = true
		organisers = append(organisers, id.UserID(o))
	}
	for _, u := range cfg.Bot.IgnoredUsers {
		s.ignored[id.UserID(u)] = true
	}
	s.env = &commands.Env{
		Conference:   events[0].Event,
		ConferenceID: events[0].ID,
		Conferences:  infos,
		Store:        b.store,
		Clock:        b.calendar,
		Prefix:       cfg.Bot.Prefix,
		DefaultLang:  i18n.Lang(cfg.Bot.Language),
		Names:        memberNames{b},
		Reminders:    plan,
		Organisers:   organisers,
		Domain:       id.UserID(cfg.Matrix.UserID).Homeserver(),
		FollowNotice: time.Duration(cfg.Programme.FollowNotice),
	}
	if cfg.HTTP.Public {
		s.env.PublicURL = cfg.HTTP.PublicURL
	}
	s.router = commands.NewRouter(s.env)
	return s, nil
}

// s returns the settings in force.
func (b *Bot) s() *settings { return b.live.Load() }

// Reload applies a new configuration without a restart: the event's facts,
// organisers, reminders, limits and the bot's manners. What concerns the
// connection (homeserver, account, rooms, encryption, database) needs a
// restart, and is said so in the log.
func (b *Bot) Reload(cfg *config.Config, events []config.EventSpec) error {
	s, err := b.newSettings(cfg, events)
	if err != nil {
		return err
	}
	old := b.s().cfg
	if old.Matrix.HomeserverURL != cfg.Matrix.HomeserverURL || old.Matrix.UserID != cfg.Matrix.UserID ||
		old.Matrix.Encryption.Enabled != cfg.Matrix.Encryption.Enabled || old.Database != cfg.Database ||
		old.HTTP != cfg.HTTP {
		b.log.Warn().Msg("Config reloaded; changes to the homeserver, account, encryption, database or HTTP listener take effect at the next restart")
	}
	b.live.Store(s)
	b.purgeNext.Store(0) // the retention or the events may have changed
	if !slices.Equal(old.Matrix.Rooms, cfg.Matrix.Rooms) || !slices.Equal(old.Bot.OrganiserRooms, cfg.Bot.OrganiserRooms) {
		// Rooms taken out stop counting at once (no announcements, no
		// organiser rights, no private answers); new ones are joined in
		// the background, which Dendrite's join limit may slow down.
		b.dropRemovedRooms(cfg)
		select {
		case b.roomsChanged <- struct{}{}:
		default: // a reload is already waiting; it will read the newest config
		}
	}
	b.sched.Poke() // the reminders may have changed
	b.log.Info().Int("reminders", len(s.plan)).Msg("Config reloaded")
	return nil
}

// connect logs in and sets up the state store and, when enabled,
// encryption. The bot's syncer (built on the logged-in client) is set
// before encryption because the crypto helper registers its handlers on
// it; commands that do not sync keep mautrix's default.
func (b *Bot) connect(ctx context.Context, sync bool) error {
	if err := b.login(ctx); err != nil {
		return err
	}
	b.states = sqlstatestore.NewSQLStateStore(b.store.DB, nil, false)
	if err := b.states.Upgrade(ctx); err != nil {
		return fmt.Errorf("migrate state store: %w", err)
	}
	b.cli.StateStore = b.states
	if sync {
		b.cli.Syncer = newSyncer(b)
		b.cli.Store = &syncStore{state: b.store.State}
	}
	return b.initCrypto(ctx)
}

// Ready is closed once the bot has processed its first sync and answers.
func (b *Bot) Ready() <-chan struct{} { return b.ready }

// Client is the bot's Matrix client, once Run has logged in.
func (b *Bot) Client() *mautrix.Client { return b.cli }

// Run logs in, joins the configured rooms and answers until ctx ends. It
// returns nil on a clean stop; transient homeserver errors never end it.
// Losing the database lock does, at once, with storage.ErrLockLost: a
// second bot may have taken over.
func (b *Bot) Run(ctx context.Context) error {
	release, err := b.store.Lock(ctx)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	defer release()
	metrics.LockHeld.Set(1)
	defer metrics.LockHeld.Set(0)
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	go b.watchLock(ctx, stop)
	err = b.run(ctx)
	if cause := context.Cause(ctx); errors.Is(cause, storage.ErrLockLost) {
		return cause
	}
	return err
}

// lockCheckEvery is how often the bot checks that it still holds the
// database lock; with the check's own bound, a lost lock stops the bot
// within 5 s.
const lockCheckEvery = 2 * time.Second

// watchLock stops the bot when its database lock is gone.
func (b *Bot) watchLock(ctx context.Context, stop context.CancelCauseFunc) {
	t := time.NewTicker(lockCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cctx, cancel := context.WithTimeout(ctx, lockCheckEvery)
		err := b.store.CheckLock(cctx)
		cancel()
		if err != nil && ctx.Err() == nil {
			b.log.Error().Err(err).Msg("Database lock lost: stopping at once")
			metrics.LockHeld.Set(0)
			stop(err)
			return
		}
	}
}

// run is Run once the lock is held.
func (b *Bot) run(ctx context.Context) error {
	// Late decryptions are answered before the lock goes and the store
	// closes.
	defer func() {
		b.lateMu.Lock()
		b.lateStopped = true
		b.lateMu.Unlock()
		b.late.Wait()
	}()
	b.started = time.Now()
	if err := b.setCutoff(ctx); err != nil {
		return err
	}
	// Answered messages older than the cutoff can never come back as
	// answerable; a day of margin covers clock skew.
	if n, err := b.store.Handled.Prune(ctx, b.cutoff.Add(-24*time.Hour)); err != nil {
		b.log.Warn().Err(err).Msg("Could not prune answered messages")
	} else if n > 0 {
		b.log.Debug().Int64("pruned", n).Msg("Pruned answered messages")
	}
	b.runCtx = ctx
	if err := b.connect(ctx, true); err != nil {
		return err
	}
	if b.crypto != nil {
		b.checkCrossSigning(ctx)
	}
	b.joinConfiguredRooms(ctx)
	schedDone := make(chan struct{})
	go func() { defer close(schedDone); b.sched.run(ctx) }()
	go b.acceptInvites(ctx)
	go b.rejoinOnReload(ctx)
	// Stopping waits for the scheduler to finish the message it is
	// sending, so that its send is recorded before the database closes.
	defer func() { <-schedDone }()

	for failures := 0; ; failures++ {
		err := b.cli.SyncWithContext(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, mautrix.MUnknownToken) {
			b.log.Warn().Msg("Access token rejected, logging in again")
			if err := b.relogin(ctx); err != nil {
				return err
			}
			continue
		}
		wait := backoff(failures)
		b.log.Error().Err(err).Dur("retry_in", wait).Msg("Sync stopped, restarting")
		if !sleep(ctx, wait) {
			return nil
		}
	}
}

// setCutoff decides how old a message may be and still get an answer: on
// the very first start, nothing from before it; after a restart, what
// arrived while down if younger than bot.offline_grace. Both use the real
// clock, because origin_server_ts is real time even during a rehearsal.
func (b *Bot) setCutoff(ctx context.Context) error {
	first, err := b.store.State.Get(ctx, storage.KeyFirstStart)
	if err != nil {
		return err
	}
	if first == "" {
		b.cutoff = b.started
		if err := b.store.State.Set(ctx, storage.KeyFirstStart, strconv.FormatInt(b.started.UnixMilli(), 10)); err != nil {
			return err
		}
	} else {
		b.cutoff = b.started.Add(-time.Duration(b.s().cfg.Bot.OfflineGrace))
	}
	// The calendar time of the first start bounds the reminders: those due
	// before it are backlog, never sent.
	cal, err := b.store.State.Get(ctx, storage.KeyFirstStartCalendar)
	if err != nil {
		return err
	}
	if cal == "" {
		b.firstStart = b.calendar.Now()
		return b.store.State.Set(ctx, storage.KeyFirstStartCalendar, strconv.FormatInt(b.firstStart.UnixMilli(), 10))
	}
	ms, err := strconv.ParseInt(cal, 10, 64)
	if err != nil {
		return fmt.Errorf("read first start: %w", err)
	}
	b.firstStart = time.UnixMilli(ms)
	return nil
}

// answerLate answers a message decrypted after its batch, unless the bot
// is stopping.
func (b *Bot) answerLate(evt *event.Event) {
	b.lateMu.Lock()
	defer b.lateMu.Unlock()
	if b.lateStopped {
		return
	}
	b.late.Go(func() { b.processBatch(b.runCtx, []*event.Event{evt}) })
}

func (b *Bot) markReady() {
	b.readyOnce.Do(func() {
		b.log.Info().Dur("since_start", time.Since(b.started)).Msg("Ready: first sync processed")
		close(b.ready)
	})
}

// backoff is exponential with full jitter, capped, so that many bots
// restarting together do not hammer a recovering homeserver in step.
func backoff(failures int) time.Duration {
	const base, cap = 500 * time.Millisecond, 30 * time.Second
	d := base << min(failures, 10)
	if d > cap || d <= 0 {
		d = cap
	}
	return d/2 + rand.N(d/2+1)
}

// sleep waits for d or until ctx ends; it reports whether the wait finished.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// messageContent returns the parsed message content of an event, or nil.
func messageContent(evt *event.Event) *event.MessageEventContent {
	if evt.Content.Parsed == nil {
		if err := evt.Content.ParseRaw(evt.Type); err != nil {
			return nil
		}
	}
	msg, _ := evt.Content.Parsed.(*event.MessageEventContent)
	return msg
}
