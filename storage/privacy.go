package storage

import (
	"context"
	"fmt"
	"time"

	"maunium.net/go/mautrix/id"
)

// Forget erases what the bot holds about a user. Proposals are deleted
// (their reviews with them), except talks in a published programme, which
// keep only what the programme shows: title, duration, slot and the name
// shown, given as shownName. It returns the titles of the talks kept.
func (s *Store) Forget(ctx context.Context, user id.UserID, published bool, shownName string) (kept []string, err error) {
	err = s.Txn(ctx, func(ctx context.Context) error {
		proposals, err := s.Proposals.ByAuthor(ctx, user)
		if err != nil {
			return err
		}
		for _, p := range proposals {
			if published && p.Scheduled() {
				speakers := shownName
				if p.Speakers != "" {
					speakers += ", " + p.Speakers
				}
				if _, err := s.DB.Exec(ctx, `UPDATE proposal SET author='', speakers=$2, abstract='', administration='',
					software='', decision_note='', decided_by='' WHERE id=$1`, p.ID, speakers); err != nil {
					return err
				}
				// Reviews judge the speaker too: they go with the rest.
				if _, err := s.DB.Exec(ctx, `DELETE FROM review WHERE proposal_id=$1`, p.ID); err != nil {
					return err
				}
				kept = append(kept, p.Title)
				continue
			}
			if _, err := s.DB.Exec(ctx, `DELETE FROM proposal WHERE id=$1`, p.ID); err != nil {
				return err
			}
		}
		for _, q := range []string{
			`DELETE FROM review WHERE reviewer=$1`,
			`DELETE FROM reminder_pref WHERE user_id=$1`,
			`DELETE FROM follow WHERE user_id=$1`,
			`DELETE FROM dialog WHERE user_id=$1`,
			`DELETE FROM direct_room WHERE user_id=$1`,
			`DELETE FROM handled_event WHERE sender=$1`,
			`DELETE FROM outbox WHERE user_id=$1 AND sent_at IS NULL`,
		} {
			if _, err := s.DB.Exec(ctx, q, user); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("forget %s: %w", user, err)
	}
	return kept, nil
}

// Purge erases the personal data kept about members once every event is
// over and the retention period has passed: proposals, reviews,
// preferences, dialogs, direct chats and sent messages, and the answered
// messages older than keepAfter (newer ones keep a restart from answering a
// message twice).
func (s *Store) Purge(ctx context.Context, keepAfter time.Time) error {
	return s.Txn(ctx, func(ctx context.Context) error {
		for _, q := range []string{
			`DELETE FROM follow`, `DELETE FROM review`, `DELETE FROM proposal`, `DELETE FROM reminder_pref`, `DELETE FROM dialog`,
			`DELETE FROM direct_room`, `DELETE FROM outbox WHERE sent_at IS NOT NULL`,
		} {
			if _, err := s.DB.Exec(ctx, q); err != nil {
				return fmt.Errorf("purge: %w", err)
			}
		}
		if _, err := s.DB.Exec(ctx, `DELETE FROM handled_event WHERE handled_at < $1`, keepAfter.UnixMilli()); err != nil {
			return fmt.Errorf("purge: %w", err)
		}
		return nil
	})
}

// PurgeConference erases one event's proposals and their reviews, once its
// retention period has passed; other events keep theirs.
func (s *Store) PurgeConference(ctx context.Context, conferenceID string) (int64, error) {
	var n int64
	err := s.Txn(ctx, func(ctx context.Context) error {
		if _, err := s.DB.Exec(ctx, `DELETE FROM review WHERE proposal_id IN (SELECT id FROM proposal WHERE conference_id=$1)`, conferenceID); err != nil {
			return err
		}
		res, err := s.DB.Exec(ctx, `DELETE FROM proposal WHERE conference_id=$1`, conferenceID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("purge conference %q: %w", conferenceID, err)
	}
	return n, nil
}

// PurgeBefore erases what ages out whatever the events: messages sent
// before sentBefore (their text may hold a proposal's details; real time)
// and proposal drafts left before draftsBefore (calendar time, as dialogs
// are stamped).
func (s *Store) PurgeBefore(ctx context.Context, sentBefore, draftsBefore time.Time) (int64, error) {
	var total int64
	for _, q := range []struct {
		query  string
		before time.Time
	}{
		{`DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1`, sentBefore},
		{`DELETE FROM dialog WHERE updated_at < $1`, draftsBefore},
	} {
		res, err := s.DB.Exec(ctx, q.query, q.before.UnixMilli())
		if err != nil {
			return total, fmt.Errorf("purge: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}
