// Package web is the bot's optional HTTP listener: a health check for the
// supervisor, Prometheus metrics, and, when public, the programme as a web
// page (styled with the State's design system, DSFR, whose files are
// embedded) and as calendar and JSON files. It only reads.
package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"

	"github.com/bluehats/bluehats-bot/metrics"
)

// Health says whether the bot works: its sync loop is alive and its
// database answers; ErrStandby while it waits to take over from another.
type Health interface {
	Check(ctx context.Context) error
}

// ErrStandby is the health of a bot waiting for the database lock: healthy,
// but not the one answering.
var ErrStandby = errors.New("standby")

// Programme serves the published programme.
type Programme interface {
	ProgrammeICS(ctx context.Context) ([]byte, error)
	ProgrammeJSON(ctx context.Context) ([]byte, error)
	Pages
}

// Server is the running listener.
type Server struct {
	srv *http.Server
	ln  net.Listener
}

// Start listens on addr (host:port; port 0 picks one). The programme files
// are served only when public is set.
func Start(addr string, health Health, prog Programme, public bool, log zerolog.Logger) (*Server, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		err := health.Check(ctx)
		if errors.Is(err, ErrStandby) {
			_, _ = w.Write([]byte("standby\n"))
			return
		}
		if err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("unhealthy: " + err.Error() + "\n"))
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(metrics.Registry, promhttp.HandlerOpts{}))
	if public && prog != nil {
		serve := func(mime string, build func(context.Context) ([]byte, error)) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				data, err := build(r.Context())
				if err != nil {
					log.Error().Err(err).Str("path", r.URL.Path).Msg("Could not build a programme file")
					http.Error(w, "unavailable", http.StatusInternalServerError)
					return
				}
				w.Header().Set("Content-Type", mime)
				_, _ = w.Write(data)
			}
		}
		mux.Handle("GET /programme.ics", serve("text/calendar; charset=utf-8", prog.ProgrammeICS))
		mux.Handle("GET /programme.json", serve("application/json", prog.ProgrammeJSON))
		mux.Handle("GET /programme", servePage(prog, func(err error) { log.Error().Err(err).Msg("Could not build the programme page") }))
		mux.Handle("GET /assets/", assetFiles())
		mux.Handle("GET /{$}", http.RedirectHandler("/programme", http.StatusFound))
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{ln: ln, srv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error().Err(err).Msg("HTTP listener stopped")
		}
	}()
	log.Info().Str("addr", ln.Addr().String()).Bool("public", public).Msg("HTTP listener started")
	return s, nil
}

// Addr is the address listened on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the listener.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}
