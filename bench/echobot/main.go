// Command echobot is the yardstick of the benchmarks: the least work a
// Matrix bot can do per message, answering every text with the same text as
// a notice, in reply. Whatever bluehats-bot costs beyond it is its own.
//
//	echobot -homeserver URL -user @echo:localhost -token TOKEN
//	echobot -homeserver URL -user @echo:localhost -password PASSWORD
//
// It accepts every invitation, ignores what was sent before it started, and
// prints "ready" on stdout once its first sync is processed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// timelineLimit matches bluehats-bot's sync filter, for a fair comparison:
// without a filter Dendrite sends only 10 events per room and sync.
const timelineLimit = 100

func main() {
	homeserver := flag.String("homeserver", "", "homeserver URL")
	user := flag.String("user", "", "the bot's user ID")
	password := flag.String("password", "", "password (or -token)")
	token := flag.String("token", "", "access token (or -password)")
	flag.Parse()
	if *homeserver == "" || *user == "" || (*password == "") == (*token == "") {
		fmt.Fprintln(os.Stderr, "usage: echobot -homeserver URL -user ID (-password PW | -token TOKEN)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *homeserver, id.UserID(*user), *password, *token); err != nil {
		fmt.Fprintln(os.Stderr, "echobot:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, homeserver string, user id.UserID, password, token string) error {
	start := time.Now()
	cli, err := mautrix.NewClient(homeserver, user, token)
	if err != nil {
		return fmt.Errorf("new client: %w", err)
	}
	// Dendrite rate-limits joins and answers 429 without Retry-After;
	// mautrix then backs off and retries on its own.
	cli.DefaultHTTPRetries = 5
	cli.DefaultHTTPBackoff = 500 * time.Millisecond
	if token == "" {
		_, err := cli.Login(ctx, &mautrix.ReqLogin{
			Type:             mautrix.AuthTypePassword,
			Identifier:       mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: user.String()},
			Password:         password,
			StoreCredentials: true,
		})
		if err != nil {
			return fmt.Errorf("log in: %w", err)
		}
	}

	syncer := &readySyncer{DefaultSyncer: mautrix.NewDefaultSyncer()}
	syncer.FilterJSON = &mautrix.Filter{Room: &mautrix.RoomFilter{Timeline: &mautrix.FilterPart{Limit: timelineLimit}}}
	syncer.OnEventType(event.StateMember, func(ctx context.Context, evt *event.Event) {
		if evt.Mautrix.EventSource&event.SourceInvite == 0 || evt.GetStateKey() != user.String() ||
			evt.Content.AsMember().Membership != event.MembershipInvite {
			return
		}
		if _, err := cli.JoinRoomByID(ctx, evt.RoomID); err != nil {
			fmt.Fprintf(os.Stderr, "echobot: join %s: %v\n", evt.RoomID, err)
		}
	})
	syncer.OnEventType(event.EventMessage, func(ctx context.Context, evt *event.Event) {
		msg := evt.Content.AsMessage()
		// The first sync replays history: only what came after the start
		// is answered, as bluehats-bot does on its first start.
		if evt.Sender == user || msg.MsgType != event.MsgText || time.UnixMilli(evt.Timestamp).Before(start) {
			return
		}
		reply := &event.MessageEventContent{MsgType: event.MsgNotice, Body: msg.Body}
		reply.SetReply(evt)
		if _, err := cli.SendMessageEvent(ctx, evt.RoomID, event.EventMessage, reply); err != nil {
			fmt.Fprintf(os.Stderr, "echobot: reply in %s: %v\n", evt.RoomID, err)
		}
	})
	cli.Syncer = syncer
	if err := cli.SyncWithContext(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("sync: %w", err)
	}
	return nil
}

// readySyncer says "ready" after the first sync is processed (invitations
// accepted included), which mautrix's OnSync, called before, cannot tell.
type readySyncer struct {
	*mautrix.DefaultSyncer
	once sync.Once
}

func (s *readySyncer) ProcessResponse(ctx context.Context, resp *mautrix.RespSync, since string) error {
	err := s.DefaultSyncer.ProcessResponse(ctx, resp, since)
	s.once.Do(func() { fmt.Println("ready") })
	return err
}
