package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/bluehats/bluehats-bot/commands"
)

// queueFollowNotices queues the direct message each follower of a talk
// gets programme.follow_notice before it starts, once per member and slot
// (the outbox key says so), and returns when the next one is due. A talk
// already started gets none: the bot was down past its time.
func (b *Bot) queueFollowNotices(ctx context.Context, now time.Time) (time.Time, error) {
	s := b.s()
	envs := []*commands.Env{s.env}
	if len(s.env.Conferences) > 0 {
		envs = envs[:0]
		for _, c := range s.env.Conferences {
			envs = append(envs, s.env.ForConference(c.ID))
		}
	}
	var next time.Time
	for _, env := range envs {
		talks, err := commands.PublishedTalks(ctx, env)
		if err != nil {
			return time.Time{}, err
		}
		for _, p := range talks {
			due := p.SlotStart.Add(-env.FollowNotice)
			if now.Before(due) {
				if next.IsZero() || due.Before(next) {
					next = due
				}
				continue
			}
			if !now.Before(p.SlotStart) {
				continue
			}
			slot := fmt.Sprintf("%d:%d", p.ID, p.SlotStart.Unix())
			followers, err := b.store.Follows.Followers(ctx, p.ID)
			if err != nil || len(followers) == 0 {
				if err != nil {
					return time.Time{}, err
				}
				continue
			}
			// The scheduler wakes at every message: a talk's notices already
			// queued in this run are not queued again (the outbox would
			// ignore them anyway).
			reply := &commands.Reply{}
			for _, f := range followers {
				if _, done := b.followQueued.Load(slot + ":" + f.User.String()); !done {
					reply.Add(commands.FollowNoticePart(ctx, env, p, f))
				}
			}
			if len(reply.Parts) == 0 {
				continue
			}
			if err := b.store.Txn(ctx, func(ctx context.Context) error {
				_, err := b.queue(ctx, origin{}, reply)
				return err
			}); err != nil {
				return time.Time{}, fmt.Errorf("queue the notices of talk %d: %w", p.ID, err)
			}
			for _, part := range reply.Parts {
				b.followQueued.Store(slot+":"+part.User.String(), true)
			}
		}
	}
	return next, nil
}
