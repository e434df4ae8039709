package bot

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix"

	"github.com/bluehats/bluehats-bot/retryafter"
)

// maxAttempts bounds retries of one request; with the backoff cap this is a
// few minutes, enough to ride out a homeserver restart.
const maxAttempts = 10

type permanentError struct{ error }

func (p permanentError) Unwrap() error { return p.error }

// permanent marks an error that retrying cannot fix.
func permanent(err error) error { return permanentError{err} }

// retry runs fn until it succeeds, fails permanently, or runs out of
// attempts. 429 waits for retry_after_ms (Dendrite sends no Retry-After
// header, which is all mautrix reads); 5xx and network errors back off
// exponentially; other 4xx are final.
func retry(ctx context.Context, log zerolog.Logger, what string, fn func() error) error {
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		err = fn()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return err
		}
		wait, ok := retryDelay(err, attempt)
		if !ok {
			return err
		}
		log.Debug().Err(err).Str("request", what).Int("attempt", attempt+1).Dur("retry_in", wait).Msg("Request failed, retrying")
		if !sleep(ctx, wait) {
			return err
		}
	}
	return err
}

// retryDelay says whether and when an error is worth retrying.
func retryDelay(err error, attempt int) (time.Duration, bool) {
	var perm permanentError
	if errors.As(err, &perm) {
		return 0, false
	}
	if wait, ok := retryafter.From(err); ok {
		return wait + 50*time.Millisecond, true
	}
	var httpErr mautrix.HTTPError
	if !errors.As(err, &httpErr) {
		return backoff(attempt), true
	}
	if httpErr.RespError != nil && httpErr.RespError.ErrCode == mautrix.MLimitExceeded.ErrCode {
		return backoff(attempt), true
	}
	if httpErr.Response == nil {
		return backoff(attempt), true
	}
	switch code := httpErr.Response.StatusCode; {
	case code == http.StatusTooManyRequests, code >= 500:
		return backoff(attempt), true
	default:
		return 0, false
	}
}
