package bot

import (
	"context"
	"fmt"

	"maunium.net/go/mautrix/crypto/cryptohelper"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// initCrypto sets up end-to-end encryption with mautrix's crypto helper
// (pure-Go Olm with the goolm build tag). Its keys live in the bot's own
// database, under the same device as the stored session: losing either
// would make the bot go silent in encrypted rooms.
func (b *Bot) initCrypto(ctx context.Context) error {
	enc := b.s().cfg.Matrix.Encryption
	if !enc.Enabled {
		return nil
	}
	helper, err := cryptohelper.NewCryptoHelper(b.cli, []byte(enc.PickleKey.Reveal()), b.store.DB)
	if err != nil {
		return fmt.Errorf("set up encryption: %w", err)
	}
	helper.DecryptErrorCallback = func(evt *event.Event, err error) {
		// Undecryptable messages are logged, never fatal; the helper asks
		// the sender's devices for the keys and retries by itself.
		b.log.Warn().Err(err).Stringer("event_id", evt.ID).Stringer("room_id", evt.RoomID).Stringer("sender", evt.Sender).
			Msg("Could not decrypt a message")
	}
	if err := helper.Init(ctx); err != nil {
		return fmt.Errorf("set up encryption: %w", err)
	}
	b.cli.Crypto = helper
	b.crypto = helper
	b.log.Info().Str("device_id", b.cli.DeviceID.String()).Msg("End-to-end encryption enabled")
	return nil
}

// encryptedRoom tells whether messages to a room are encrypted.
func (b *Bot) encryptedRoom(ctx context.Context, room id.RoomID) bool {
	if b.crypto == nil {
		return false
	}
	ok, err := b.states.IsEncrypted(ctx, room)
	return err == nil && ok
}
