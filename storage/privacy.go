package storage

import (
	"context"
	"fmt"

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

// Purge erases the personal data of the event once it is over and the
// retention period has passed: proposals, reviews, preferences, dialogs,
// direct chats, answered messages and sent messages.
func (s *Store) Purge(ctx context.Context) error {
	return s.Txn(ctx, func(ctx context.Context) error {
		for _, q := range []string{
			`DELETE FROM review`, `DELETE FROM proposal`, `DELETE FROM reminder_pref`, `DELETE FROM dialog`,
			`DELETE FROM direct_room`, `DELETE FROM handled_event`, `DELETE FROM outbox WHERE sent_at IS NOT NULL`,
		} {
			if _, err := s.DB.Exec(ctx, q); err != nil {
				return fmt.Errorf("purge: %w", err)
			}
		}
		return nil
	})
}
