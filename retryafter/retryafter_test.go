package retryafter

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"maunium.net/go/mautrix"
)

func TestFrom(t *testing.T) {
	limited := func(extra map[string]any) error {
		return fmt.Errorf("send: %w", mautrix.HTTPError{RespError: &mautrix.RespError{ErrCode: "M_LIMIT_EXCEEDED", ExtraData: extra}})
	}
	tests := []struct {
		name string
		err  error
		want time.Duration
		ok   bool
	}{
		{"rate limited", limited(map[string]any{"retry_after_ms": 1500.0}), 1500 * time.Millisecond, true},
		{"no wait given", limited(map[string]any{}), 0, false},
		{"zero wait", limited(map[string]any{"retry_after_ms": 0.0}), 0, false},
		{"another error code", mautrix.HTTPError{RespError: &mautrix.RespError{ErrCode: "M_FORBIDDEN", ExtraData: map[string]any{"retry_after_ms": 10.0}}}, 0, false},
		{"not an HTTP error", errors.New("connection refused"), 0, false},
	}
	for _, tc := range tests {
		got, ok := From(tc.err)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: From = %v, %v; want %v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}
