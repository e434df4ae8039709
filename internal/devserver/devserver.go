// Package devserver starts and drives the local Dendrite used by the demo and the
// integration tests.
//
// The heavy lifting (installing Dendrite, writing its configuration, starting and
// stopping the process) is done by scripts/dendrite.sh; this package runs that script
// and talks to the running server with mautrix.
package devserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"
	"maunium.net/go/mautrix/synapseadmin"

	"github.com/bluehats/bluehats-bot/retryafter"
)

const (
	// ServerName is the server name the script configures.
	ServerName = "localhost"
	// DeviceName is the initial display name of the devices created by Login.
	DeviceName = "bluehats devserver"

	// ScriptEnv overrides the location of scripts/dendrite.sh.
	ScriptEnv = "BLUEHATS_DENDRITE_SCRIPT"
	// TestDirEnv names the directory of an already running server for ForTests.
	TestDirEnv = "BLUEHATS_TEST_HS_DIR"

	scriptRelPath = "scripts/dendrite.sh"

	// Bounds of the M_LIMIT_EXCEEDED retry loop of Register and Login.
	rateLimitAttempts = 10
	defaultRetryAfter = 500 * time.Millisecond
	maxRetryAfter     = 10 * time.Second
)

// Server is a Dendrite started by scripts/dendrite.sh.
type Server struct {
	// URL is the client-server API base URL, e.g. http://127.0.0.1:41234.
	URL string
	// Dir holds the configuration, the SQLite database and the logs (dendrite.log).
	Dir string
	// ServerName is the Matrix server name ("localhost").
	ServerName string

	secret string // registration shared secret
	script string // path of scripts/dendrite.sh
}

// Start runs `scripts/dendrite.sh start DIR` (script found by FindScript) and returns the
// running server. DIR is created if needed; if a server already runs there it is
// reused. A fresh machine first gets Dendrite installed with `go install`, which can
// take minutes, so give ctx enough time.
func Start(ctx context.Context, dir string) (*Server, error) {
	script, err := FindScript()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: abs, ServerName: ServerName, script: script}
	if err := s.start(ctx, ""); err != nil {
		return nil, err
	}
	return s, nil
}

// FindScript finds scripts/dendrite.sh: $BLUEHATS_DENDRITE_SCRIPT, else walking up from
// the working directory.
func FindScript() (string, error) {
	if p := os.Getenv(ScriptEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("devserver: %s: %w", ScriptEnv, err)
		}
		return filepath.Abs(p)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		p := filepath.Join(dir, filepath.FromSlash(scriptRelPath))
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("devserver: %s not found above %s (set %s)", scriptRelPath, wd, ScriptEnv)
		}
		dir = parent
	}
}

// Stop runs `dendrite.sh stop DIR`: SIGTERM, SIGKILL after 10 s. Stopping a stopped
// server is not an error.
func (s *Server) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := s.run(ctx, "stop", s.Dir)
	return err
}

// Restart stops the server and starts it again on the same port, so URL stays valid.
// Data (users, rooms, tokens, sync positions) survive.
func (s *Server) Restart(ctx context.Context) error {
	u, err := url.Parse(s.URL)
	if err != nil {
		return fmt.Errorf("devserver: bad URL %q: %w", s.URL, err)
	}
	if err := s.Stop(); err != nil {
		return err
	}
	old := s.URL
	if err := s.start(ctx, u.Port()); err != nil {
		return err
	}
	if s.URL != old {
		return fmt.Errorf("devserver: restarted on %s instead of %s", s.URL, old)
	}
	return nil
}

// Register creates a user with shared-secret registration and is idempotent
// (M_USER_IN_USE counts as success). Dendrite lower-cases the localpart and rejects
// passwords shorter than 8 characters (M_WEAK_PASSWORD). M_LIMIT_EXCEEDED is retried
// after retry_after_ms.
func (s *Server) Register(ctx context.Context, localpart, password string, admin bool) error {
	cli, err := mautrix.NewClient(s.URL, "", "")
	if err != nil {
		return err
	}
	admCli := synapseadmin.Client{Client: cli}
	err = retryRateLimited(ctx, func() error {
		// A zero Nonce makes SharedSecretRegister fetch a fresh one on every attempt.
		_, err := admCli.SharedSecretRegister(ctx, s.secret, synapseadmin.ReqSharedSecretRegister{
			Username: localpart,
			Password: password,
			Admin:    admin,
		})
		return err
	})
	if err != nil && !errors.Is(err, mautrix.MUserInUse) {
		return fmt.Errorf("devserver: register %s: %w", localpart, err)
	}
	return nil
}

// RegisterClient creates a user with shared-secret registration and returns a
// client holding the access token and device that the registration itself
// issued, so that many accounts (load tests) cost no /login, which Dendrite
// rate-limits per remote address. Unlike Register, an existing user is an
// error: its token cannot be had without logging in.
func (s *Server) RegisterClient(ctx context.Context, localpart, password string, admin bool) (*mautrix.Client, error) {
	cli, err := mautrix.NewClient(s.URL, "", "")
	if err != nil {
		return nil, err
	}
	admCli := synapseadmin.Client{Client: cli}
	var resp *mautrix.RespRegister
	err = retryRateLimited(ctx, func() error {
		var err error
		resp, err = admCli.SharedSecretRegister(ctx, s.secret, synapseadmin.ReqSharedSecretRegister{
			Username: localpart,
			Password: password,
			Admin:    admin,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("devserver: register %s: %w", localpart, err)
	}
	if resp.AccessToken == "" {
		return nil, fmt.Errorf("devserver: register %s: no access token in the response", localpart)
	}
	cli.UserID, cli.AccessToken, cli.DeviceID = resp.UserID, resp.AccessToken, resp.DeviceID
	return cli, nil
}

// RetryRateLimited calls fn until it does not fail with M_LIMIT_EXCEEDED,
// waiting the retry_after_ms Dendrite asks for (it sends no Retry-After
// header, the only hint mautrix reads), at most 10 times.
func RetryRateLimited(ctx context.Context, fn func() error) error {
	return retryRateLimited(ctx, fn)
}

// Login returns a *mautrix.Client logged in as the user with a password login (a new
// device named DeviceName each time). M_LIMIT_EXCEEDED (login is limited per remote
// address) is retried after retry_after_ms.
func (s *Server) Login(ctx context.Context, localpart, password string) (*mautrix.Client, error) {
	cli, err := mautrix.NewClient(s.URL, "", "")
	if err != nil {
		return nil, err
	}
	err = retryRateLimited(ctx, func() error {
		_, err := cli.Login(ctx, &mautrix.ReqLogin{
			Type: mautrix.AuthTypePassword,
			Identifier: mautrix.UserIdentifier{
				Type: mautrix.IdentifierTypeUser,
				User: localpart,
			},
			Password:                 password,
			InitialDeviceDisplayName: DeviceName,
			StoreCredentials:         true,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("devserver: login %s: %w", localpart, err)
	}
	return cli, nil
}

// UserID returns @localpart:localhost, with the localpart lower-cased as Dendrite does.
func (s *Server) UserID(localpart string) id.UserID {
	return id.NewUserID(strings.ToLower(localpart), s.ServerName)
}

// ForTests returns a shared server for a test binary (call it from TestMain): if
// BLUEHATS_TEST_HS_DIR is set and a server runs there, it is reused and stop does
// nothing; else one is started in a temporary directory, and stop stops it and removes
// the directory.
func ForTests(ctx context.Context) (srv *Server, stop func(), err error) {
	if dir := os.Getenv(TestDirEnv); dir != "" {
		script, err := FindScript()
		if err != nil {
			return nil, nil, err
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, nil, err
		}
		s := &Server{Dir: abs, ServerName: ServerName, script: script}
		if _, err := s.run(ctx, "status", abs); err == nil {
			if err := s.load(); err != nil {
				return nil, nil, err
			}
			return s, func() {}, nil
		}
	}
	dir, err := os.MkdirTemp("", "bluehats-dendrite-")
	if err != nil {
		return nil, nil, err
	}
	s, err := Start(ctx, dir)
	if err != nil {
		// Make sure no half-started process outlives the directory.
		if script, ferr := FindScript(); ferr == nil {
			_ = (&Server{Dir: dir, script: script}).Stop()
		}
		_ = os.RemoveAll(dir)
		return nil, nil, err
	}
	return s, func() {
		_ = s.Stop()
		_ = os.RemoveAll(dir)
	}, nil
}

// start runs `dendrite.sh start DIR [PORT]` and loads URL and secret.
func (s *Server) start(ctx context.Context, port string) error {
	args := []string{"start", s.Dir}
	if port != "" {
		args = append(args, port)
	}
	out, err := s.run(ctx, args...)
	if err != nil {
		return err
	}
	if err := s.load(); err != nil {
		return err
	}
	if last := lastLine(out); last != s.URL {
		return fmt.Errorf("devserver: script printed %q, but %s/url holds %q", last, s.Dir, s.URL)
	}
	return nil
}

// load reads DIR/url and DIR/shared_secret.
func (s *Server) load() error {
	u, err := os.ReadFile(filepath.Join(s.Dir, "url"))
	if err != nil {
		return fmt.Errorf("devserver: %w", err)
	}
	secret, err := os.ReadFile(filepath.Join(s.Dir, "shared_secret"))
	if err != nil {
		return fmt.Errorf("devserver: %w", err)
	}
	s.URL = strings.TrimSpace(string(u))
	s.secret = strings.TrimSpace(string(secret))
	if s.ServerName == "" {
		s.ServerName = ServerName
	}
	return nil
}

// run runs the script with bash and returns its stdout. Its stderr goes into the error.
func (s *Server) run(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "bash", append([]string{s.script}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("devserver: dendrite.sh %s: %w\n%s",
			strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// retryRateLimited calls fn until it does not fail with M_LIMIT_EXCEEDED, waiting
// retry_after_ms from the error body (Dendrite sends no Retry-After header) between
// attempts, at most rateLimitAttempts times.
func retryRateLimited(ctx context.Context, fn func() error) error {
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !errors.Is(err, mautrix.MLimitExceeded) || attempt >= rateLimitAttempts {
			return err
		}
		t := time.NewTimer(retryAfter(err))
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
}

// retryAfter returns how long to wait after an M_LIMIT_EXCEEDED error: retry_after_ms
// from the error body (capped at 10 s), else 500 ms.
func retryAfter(err error) time.Duration {
	if wait, ok := retryafter.From(err); ok {
		return min(wait, maxRetryAfter)
	}
	return defaultRetryAfter
}
