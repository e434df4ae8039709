package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"go.mau.fi/util/dbutil"
)

// Keys of bot_state.
const (
	KeyUserID      = "user_id"
	KeyDeviceID    = "device_id"
	KeyAccessToken = "access_token"
	KeyNextBatch   = "next_batch"
	KeyFirstStart  = "first_start" // Unix milliseconds of the very first start
	// KeyFirstStartCalendar is the calendar time (rehearsal clock when set)
	// of the very first start: reminders due before it are backlog.
	KeyFirstStartCalendar = "first_start_calendar"
	// KeyProgrammePublished is when the programme was published (calendar
	// time, Unix milliseconds); absent until then.
	KeyProgrammePublished = "programme_published_at"
	// KeyPurged is when the personal data was purged after the retention.
	KeyPurged = "purged_at"
)

// BotState is the bot_state table: small values kept between runs.
type BotState struct {
	db *dbutil.Database
}

const (
	getStateQuery = `SELECT value FROM bot_state WHERE key=$1`
	setStateQuery = `INSERT INTO bot_state (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value=excluded.value`
	delStateQuery = `DELETE FROM bot_state WHERE key=$1`
)

// Get returns a value, "" when absent.
func (s *BotState) Get(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRow(ctx, getStateQuery, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("get bot state %s: %w", key, err)
	}
	return v, nil
}

// Set stores a value.
func (s *BotState) Set(ctx context.Context, key, value string) error {
	if _, err := s.db.Exec(ctx, setStateQuery, key, value); err != nil {
		return fmt.Errorf("set bot state %s: %w", key, err)
	}
	return nil
}

// Delete removes a value.
func (s *BotState) Delete(ctx context.Context, key string) error {
	if _, err := s.db.Exec(ctx, delStateQuery, key); err != nil {
		return fmt.Errorf("delete bot state %s: %w", key, err)
	}
	return nil
}

// PublishedKey is the bot_state key of an event's programme publication.
func PublishedKey(conferenceID string) string {
	if conferenceID == "" {
		return KeyProgrammePublished
	}
	return KeyProgrammePublished + ":" + conferenceID
}
