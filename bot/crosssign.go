package bot

import (
	"context"
	"errors"
	"fmt"

	"maunium.net/go/mautrix"
)

// ErrCrossSigningExists is returned by CrossSign when the account already
// has cross-signing keys and neither a recovery key nor a reset was given:
// replacing them silently would unverify the bot for everyone.
var ErrCrossSigningExists = errors.New("the account already has cross-signing keys: set matrix.encryption.recovery_key (or BLUEHATS_RECOVERY_KEY) to sign this device with them, or reset them")

// CrossSign gives the bot's account cross-signing keys, kept on the
// homeserver in secret storage, and signs the bot's device with them, so
// that members' clients show the device as verified by its owner. It
// returns the recovery key to keep (it is shown nowhere else). When the
// account already has keys, it signs the device with the configured
// recovery key instead (or finds it signed already) and returns "", unless
// reset asks for new keys.
// The bot must not be running (both would use the same device): the
// database lock refuses it.
func (b *Bot) CrossSign(ctx context.Context, reset bool) (recoveryKey string, err error) {
	enc := b.s().cfg.Matrix.Encryption
	if !enc.Enabled {
		return "", errors.New("cross-signing needs matrix.encryption.enabled: true")
	}
	release, err := b.store.Lock(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	if err := b.connect(ctx, false); err != nil {
		return "", err
	}
	mach := b.crypto.Machine()
	hasKeys, verified, err := mach.GetOwnVerificationStatus(ctx)
	if err != nil {
		return "", fmt.Errorf("read cross-signing status: %w", err)
	}
	if verified && !reset {
		return "", nil
	}
	if hasKeys && !reset {
		if enc.RecoveryKey == "" {
			return "", ErrCrossSigningExists
		}
		if err := mach.VerifyWithRecoveryKey(ctx, enc.RecoveryKey.Reveal()); err != nil {
			return "", fmt.Errorf("sign the device with the recovery key: %w", err)
		}
		return "", nil
	}
	if hasKeys && b.s().cfg.Matrix.Password == "" {
		// Replacing keys overwrites secret storage before the homeserver
		// asks for the password; without one, the old recovery key would
		// be broken and the new keys never published.
		return "", errors.New("replacing cross-signing keys needs matrix.password: the homeserver asks for it")
	}
	var uia mautrix.UIACallback
	if password := b.s().cfg.Matrix.Password; password != "" {
		uia = func(resp *mautrix.RespUserInteractive) any {
			return &mautrix.ReqUIAuthLogin{
				BaseAuthData: mautrix.BaseAuthData{Type: mautrix.AuthTypePassword, Session: resp.Session},
				User:         b.cli.UserID.String(),
				Password:     password.Reveal(),
			}
		}
	}
	// Published first, stored in secret storage after: mautrix's one-call
	// helper overwrites secret storage before publishing, so a refused
	// password would break the old recovery key for nothing.
	keys, err := mach.GenerateCrossSigningKeys()
	if err != nil {
		return "", fmt.Errorf("create cross-signing keys: %w", err)
	}
	if err := mach.PublishCrossSigningKeys(ctx, keys, uia); err != nil {
		return "", fmt.Errorf("publish cross-signing keys: %w", err)
	}
	ssssKey, err := mach.SSSS.GenerateAndUploadKey(ctx, "")
	if err == nil {
		err = mach.UploadCrossSigningKeysToSSSS(ctx, ssssKey, keys)
	}
	if err == nil {
		err = mach.SSSS.SetDefaultKeyID(ctx, ssssKey.ID)
	}
	if err != nil {
		return "", fmt.Errorf("keys published but not kept in secret storage (run again with -reset): %w", err)
	}
	key := ssssKey.RecoveryKey()
	if err := mach.SignOwnDevice(ctx, mach.OwnIdentity()); err != nil {
		return key, fmt.Errorf("sign the device: %w", err)
	}
	if err := mach.SignOwnMasterKey(ctx); err != nil {
		return key, fmt.Errorf("sign the master key: %w", err)
	}
	b.log.Info().Str("device_id", b.cli.DeviceID.String()).Msg("Cross-signing keys created; device signed")
	return key, nil
}

// checkCrossSigning runs at start: a device that is not signed yet (a new
// one, after a lost database) signs itself when the recovery key is
// configured. Nothing here stops the bot: an unverified bot still works.
func (b *Bot) checkCrossSigning(ctx context.Context) {
	mach := b.crypto.Machine()
	hasKeys, verified, err := mach.GetOwnVerificationStatus(ctx)
	log := b.log.With().Str("device_id", b.cli.DeviceID.String()).Logger()
	switch {
	case err != nil:
		log.Warn().Err(err).Msg("Could not read the cross-signing status")
	case !hasKeys:
		log.Info().Msg("No cross-signing keys; run \"bluehats-bot cross-sign\" to have the bot's device shown as verified")
	case verified:
		log.Info().Msg("Device cross-signed")
	case b.s().cfg.Matrix.Encryption.RecoveryKey == "":
		log.Warn().Msg("Device not cross-signed; set matrix.encryption.recovery_key so that it signs itself")
	default:
		if err := mach.VerifyWithRecoveryKey(ctx, b.s().cfg.Matrix.Encryption.RecoveryKey.Reveal()); err != nil {
			log.Warn().Err(err).Msg("Could not sign the device with the recovery key")
			return
		}
		log.Info().Msg("Device signed with the recovery key")
	}
}
