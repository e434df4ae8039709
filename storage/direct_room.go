package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/id"
)

// DirectRooms is the direct_room table: the chat the bot opened with each
// user, reused rather than opening a new one per message.
type DirectRooms struct {
	db *dbutil.Database
}

const (
	getDirectRoomQuery = `SELECT room_id FROM direct_room WHERE user_id=$1`
	putDirectRoomQuery = `INSERT INTO direct_room (user_id, room_id) VALUES ($1, $2)
		ON CONFLICT (user_id) DO UPDATE SET room_id=excluded.room_id`
	delDirectRoomQuery = `DELETE FROM direct_room WHERE user_id=$1`
)

// Get returns the direct chat with a user, "" when there is none.
func (d *DirectRooms) Get(ctx context.Context, user id.UserID) (id.RoomID, error) {
	var room id.RoomID
	err := d.db.QueryRow(ctx, getDirectRoomQuery, user).Scan(&room)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("get direct room: %w", err)
	}
	return room, nil
}

// Put records the direct chat with a user.
func (d *DirectRooms) Put(ctx context.Context, user id.UserID, room id.RoomID) error {
	if _, err := d.db.Exec(ctx, putDirectRoomQuery, user, room); err != nil {
		return fmt.Errorf("store direct room: %w", err)
	}
	return nil
}

// Delete forgets the direct chat with a user (they left it).
func (d *DirectRooms) Delete(ctx context.Context, user id.UserID) error {
	if _, err := d.db.Exec(ctx, delDirectRoomQuery, user); err != nil {
		return fmt.Errorf("delete direct room: %w", err)
	}
	return nil
}
