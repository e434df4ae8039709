package bot

import (
	"context"
	"errors"
	"fmt"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/storage"
)

// login reuses the stored access token and device when there are some: a
// new login on every start would mint a new token, which breaks the
// homeserver's transaction-ID deduplication and, later, encryption.
func (b *Bot) login(ctx context.Context) error {
	cfg := b.s().cfg.Matrix
	cli, err := mautrix.NewClient(cfg.HomeserverURL, id.UserID(cfg.UserID), "")
	if err != nil {
		return fmt.Errorf("create client: %w", err)
	}
	cli.Log = b.log.With().Str("component", "mautrix").Logger()
	b.cli = cli

	st := b.store.State
	user, _ := st.Get(ctx, storage.KeyUserID)
	device, _ := st.Get(ctx, storage.KeyDeviceID)
	token, err := st.Get(ctx, storage.KeyAccessToken)
	if err != nil {
		return err
	}
	if token != "" && user == cfg.UserID {
		cli.AccessToken, cli.DeviceID = token, id.DeviceID(device)
		err := b.whoami(ctx)
		if err == nil {
			b.log.Info().Str("device_id", device).Msg("Resumed stored session")
			return nil
		}
		if !errors.Is(err, mautrix.MUnknownToken) {
			return fmt.Errorf("check stored session: %w", err)
		}
		b.log.Warn().Msg("Stored access token no longer valid")
		cli.AccessToken = ""
	}
	if cfg.AccessToken != "" {
		cli.AccessToken = cfg.AccessToken.Reveal()
		if err := b.whoami(ctx); err != nil {
			return fmt.Errorf("check matrix.access_token: %w", err)
		}
		return b.saveSession(ctx)
	}
	return b.passwordLogin(ctx, id.DeviceID(device))
}

func (b *Bot) whoami(ctx context.Context) error {
	return retry(ctx, b.log, "whoami", func() error {
		resp, err := b.cli.Whoami(ctx)
		if err != nil {
			return err
		}
		if resp.UserID != b.cli.UserID {
			return permanent(fmt.Errorf("token belongs to %s, not %s", resp.UserID, b.cli.UserID))
		}
		b.cli.DeviceID = resp.DeviceID
		return nil
	})
}

func (b *Bot) passwordLogin(ctx context.Context, device id.DeviceID) error {
	cfg := b.s().cfg.Matrix
	if cfg.Password == "" {
		return errors.New("log in: no valid stored session and no matrix.password")
	}
	err := retry(ctx, b.log, "login", func() error {
		_, err := b.cli.Login(ctx, &mautrix.ReqLogin{
			Type:                     mautrix.AuthTypePassword,
			Identifier:               mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: cfg.UserID},
			Password:                 cfg.Password.Reveal(),
			DeviceID:                 device,
			InitialDeviceDisplayName: cfg.DeviceName,
			StoreCredentials:         true,
		})
		if errors.Is(err, mautrix.MForbidden) {
			return permanent(err)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("log in as %s: %w", cfg.UserID, err)
	}
	b.log.Info().Str("device_id", string(b.cli.DeviceID)).Msg("Logged in")
	return b.saveSession(ctx)
}

// relogin replaces a revoked token, keeping the device.
func (b *Bot) relogin(ctx context.Context) error {
	if err := b.store.State.Delete(ctx, storage.KeyAccessToken); err != nil {
		return err
	}
	return b.passwordLogin(ctx, b.cli.DeviceID)
}

func (b *Bot) saveSession(ctx context.Context) error {
	st := b.store.State
	for k, v := range map[string]string{
		storage.KeyUserID:      b.cli.UserID.String(),
		storage.KeyDeviceID:    b.cli.DeviceID.String(),
		storage.KeyAccessToken: b.cli.AccessToken,
	} {
		if err := st.Set(ctx, k, v); err != nil {
			return fmt.Errorf("save session: %w", err)
		}
	}
	return nil
}
