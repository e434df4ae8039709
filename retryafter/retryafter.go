// Package retryafter reads how long a rate-limited homeserver asks to wait.
// Dendrite puts it in the error body (retry_after_ms) and sends no
// Retry-After header, which is all mautrix reads; the bot and the test
// homeserver's helpers share this one reading.
package retryafter

import (
	"errors"
	"time"

	"maunium.net/go/mautrix"
)

// From returns the wait an M_LIMIT_EXCEEDED error asks for; ok is false
// for other errors and for a rate limit without a wait.
func From(err error) (wait time.Duration, ok bool) {
	var httpErr mautrix.HTTPError
	if !errors.As(err, &httpErr) || httpErr.RespError == nil || httpErr.RespError.ErrCode != mautrix.MLimitExceeded.ErrCode {
		return 0, false
	}
	ms, ok := httpErr.RespError.ExtraData["retry_after_ms"].(float64)
	if !ok || ms <= 0 {
		return 0, false
	}
	return time.Duration(ms) * time.Millisecond, true
}
