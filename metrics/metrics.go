// Package metrics holds the bot's Prometheus metrics, on a registry of its
// own so that only what the bot means to expose is exposed.
package metrics

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Registry is what /metrics serves.
var Registry = prometheus.NewRegistry()

var (
	// Commands counts handled messages by command and outcome (command,
	// question, unmatched, denied, dialog, unknown, error).
	Commands = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "bluehats_commands_total", Help: "Messages handled, by command and outcome.",
	}, []string{"command", "outcome"})
	// ReplySeconds is the time from a message's arrival to its reply sent.
	ReplySeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "bluehats_reply_seconds", Help: "Time to handle a message and send its reply.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	})
	// Questions counts free questions, matched or not.
	Questions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "bluehats_questions_total", Help: "Free questions, by result (matched, unmatched).",
	}, []string{"result"})
	// Reminders counts reminder messages sent and failed (one per room or
	// member, so that failed/sent is a rate), and reminders skipped whole.
	Reminders = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "bluehats_reminders_total", Help: "Reminder messages sent and failed (one per room or member), and reminders skipped whole, by result.",
	}, []string{"result"})
	// SyncErrors counts failed /sync requests.
	SyncErrors = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "bluehats_sync_errors_total", Help: "Failed sync requests.",
	})
	// LastSync is the time of the last successful sync, Unix seconds.
	LastSync = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "bluehats_last_sync_timestamp_seconds", Help: "Time of the last successful sync.",
	})
	// Sent counts messages sent, by kind (reply, announcement, reminder,
	// decision, notice) and result (ok, failed).
	Sent = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "bluehats_messages_sent_total", Help: "Messages sent, by kind (reply, announcement, reminder, decision, notice) and result (ok, failed).",
	}, []string{"kind", "result"})
	// LockHeld is 1 while this process holds the database lock and runs
	// the bot, 0 while it waits as a standby or after losing it.
	LockHeld = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "bluehats_lock_held", Help: "1 while this process holds the database lock and runs the bot; 0 on standby.",
	})
	// Reconciled counts the searches for a message in doubt, by result
	// (found: it was sent already and is not sent again; absent).
	Reconciled = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "bluehats_messages_reconciled_total", Help: "Searches for a message whose send was in doubt, by result (found, absent).",
	}, []string{"result"})
)

func init() {
	Registry.MustRegister(Commands, ReplySeconds, Questions, Reminders, SyncErrors, LastSync, Sent, Reconciled, LockHeld,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
}

// proposalsFunc reads the proposals by state at scrape time; it is set by
// the running bot (the latest one, in tests that start several).
var proposalsFunc atomic.Pointer[func() map[string]int]

var proposalsDesc = prometheus.NewDesc("bluehats_proposals", "Talk proposals, by state.", []string{"state"}, nil)

type proposalsCollector struct{}

func (proposalsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- proposalsDesc }

func (proposalsCollector) Collect(ch chan<- prometheus.Metric) {
	f := proposalsFunc.Load()
	if f == nil {
		return
	}
	for state, n := range (*f)() {
		ch <- prometheus.MustNewConstMetric(proposalsDesc, prometheus.GaugeValue, float64(n), state)
	}
}

// CountProposals sets how the proposals are counted at scrape time.
func CountProposals(f func() map[string]int) { proposalsFunc.Store(&f) }

func init() { Registry.MustRegister(proposalsCollector{}) }
