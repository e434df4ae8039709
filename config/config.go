// Package config loads and validates the bot's YAML configuration. Every
// problem is reported with the key and the YAML line it comes from, unknown
// keys are warnings (a config written for a newer version still starts), and
// secrets may come from the environment instead of the file.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Environment variables that may hold secrets, so they need not sit in the file.
const (
	EnvPassword    = "BLUEHATS_MATRIX_PASSWORD"
	EnvAccessToken = "BLUEHATS_MATRIX_ACCESS_TOKEN"
	EnvPickleKey   = "BLUEHATS_PICKLE_KEY"
	EnvRecoveryKey = "BLUEHATS_RECOVERY_KEY"
)

// Config is the whole configuration file.
type Config struct {
	Matrix    Matrix    `yaml:"matrix"`
	Database  Database  `yaml:"database"`
	Bot       Bot       `yaml:"bot"`
	Event     Event     `yaml:"event"`
	Proposals Proposals `yaml:"proposals"`
	// Events replaces event:, proposals: and reminders: when the bot
	// serves several events; each block has all three of its own.
	Events        []EventBlock  `yaml:"events"`
	Announcements Announcements `yaml:"announcements"`
	Reminders     Reminders     `yaml:"reminders"`
	Privacy       Privacy       `yaml:"privacy"`
	// FAQ entries apply to every event; an event's own come after them.
	FAQ  []FAQEntry `yaml:"faq"`
	HTTP HTTP       `yaml:"http"`
	HA   HA         `yaml:"ha"`
	// Programme applies to every event.
	Programme Programme `yaml:"programme"`
	Logging   Logging   `yaml:"logging"`

	// Path is the file the config was read from; relative paths inside it
	// (event.source) are resolved against its folder.
	Path string `yaml:"-"`

	doc *document // for the line numbers of problems found after parsing
}

// Matrix is how the bot reaches its homeserver and where it speaks.
type Matrix struct {
	HomeserverURL   string   `yaml:"homeserver_url"`
	UserID          string   `yaml:"user_id"`
	Password        Secret   `yaml:"password"`
	AccessToken     Secret   `yaml:"access_token"`
	DeviceName      string   `yaml:"device_name"`
	Rooms           []string `yaml:"rooms"`
	AutoJoinInvites *bool    `yaml:"auto_join_invites"`
	// AllowedServers, when set, limits the invitations the bot accepts to
	// users of these homeservers.
	AllowedServers []string   `yaml:"allowed_servers"`
	Encryption     Encryption `yaml:"encryption"`
}

// Encryption is end-to-end encryption.
type Encryption struct {
	Enabled bool `yaml:"enabled"`
	// DirectChats makes the direct chats the bot opens encrypted.
	DirectChats bool `yaml:"direct_chats"`
	// PickleKey encrypts the bot's keys in the database; never change it
	// for an existing database.
	PickleKey Secret `yaml:"pickle_key"`
	// RecoveryKey is the key printed by "bluehats-bot cross-sign": with it,
	// a new device of the bot (a lost database) signs itself at start.
	RecoveryKey Secret `yaml:"recovery_key"`
}

// Database says where the bot keeps its state.
type Database struct {
	Type         string `yaml:"type"`
	URI          string `yaml:"uri"`
	MaxOpenConns int    `yaml:"max_open_conns"`
	MaxIdleConns int    `yaml:"max_idle_conns"`
}

// Bot is how the bot behaves in rooms.
type Bot struct {
	Prefix     string   `yaml:"prefix"`
	Language   string   `yaml:"language"`
	Organisers []string `yaml:"organisers"`
	// OrganiserRooms are rooms where organiser commands may show proposal
	// details; elsewhere they are sent by direct chat.
	OrganiserRooms      []string `yaml:"organiser_rooms"`
	OrganiserPowerLevel *int     `yaml:"organiser_power_level"`
	// IgnoredUsers are never answered (other bots, known spammers).
	IgnoredUsers    []string  `yaml:"ignored_users"`
	RateLimit       RateLimit `yaml:"rate_limit"`
	AnswerQuestions string    `yaml:"answer_questions"`
	OfflineGrace    Duration  `yaml:"offline_grace"`
}

// RateLimit bounds how many messages one member gets answered: a burst,
// then so many a minute.
type RateLimit struct {
	Burst     int `yaml:"burst"`
	PerMinute int `yaml:"per_minute"`
}

// HTTP is the optional listener for health, metrics and public files.
type HTTP struct {
	// Listen is host:port; empty means no listener.
	Listen string `yaml:"listen"`
	// Public serves the programme too: /programme (a web page),
	// /programme.ics and /programme.json.
	Public bool `yaml:"public"`
	// PublicURL is the address at which members reach these pages
	// (https://bot.example.org); required with Public.
	PublicURL string `yaml:"public_url"`
	// StateBranding shows the Marianne font and the State's logo block on
	// the page, which are reserved to State services.
	StateBranding bool `yaml:"state_branding"`
}

// Programme is about the published programme on the event days.
type Programme struct {
	// FollowNotice is how long before a followed talk its followers get a
	// direct message.
	FollowNotice Duration `yaml:"follow_notice"`
}

// HA is about running a second bot beside the first, ready to take over.
type HA struct {
	// Standby waits for the database lock instead of exiting when another
	// bot holds it (as -standby does).
	Standby bool `yaml:"standby"`
}

// Privacy says how long personal data is kept.
type Privacy struct {
	// RetentionDays after the event's end, personal data is purged; 0
	// keeps it.
	RetentionDays int `yaml:"retention_days"`
}

// Event overrides or completes what the site post says.
type Event struct {
	Source       string       `yaml:"source"`
	Title        string       `yaml:"title"`
	Description  string       `yaml:"description"`
	Timezone     string       `yaml:"timezone"`
	Start        string       `yaml:"start"`
	End          string       `yaml:"end"`
	Venue        Venue        `yaml:"venue"`
	Hours        string       `yaml:"hours"`
	Registration Registration `yaml:"registration"`
	InfoURL      string       `yaml:"info_url"`
	Contact      string       `yaml:"contact"`
}

// Venue is the place of the event.
type Venue struct {
	Name      string   `yaml:"name"`
	Address   string   `yaml:"address"`
	Latitude  *float64 `yaml:"latitude"`
	Longitude *float64 `yaml:"longitude"`
	Access    []string `yaml:"access"`
}

// Registration says whether attending is free and needs a badge.
type Registration struct {
	Free     *bool  `yaml:"free"`
	Required *bool  `yaml:"required"`
	URL      string `yaml:"url"`
}

// Proposals is the call for talks.
type Proposals struct {
	Deadline      string `yaml:"deadline"`
	ResponseDate  string `yaml:"response_date"`
	ProgrammeDate string `yaml:"programme_date"`
	MinMinutes    int    `yaml:"min_minutes"`
	MaxMinutes    int    `yaml:"max_minutes"`
	MaxPerPerson  int    `yaml:"max_per_person"`
	// ResponseTime is the time of day (event zone) decisions are told on
	// ResponseDate; NotifyDecisions is on_response_date or immediately.
	ResponseTime    string `yaml:"response_time"`
	NotifyDecisions string `yaml:"notify_decisions"`
}

// EventBlock is one event of events:, with its call for talks, reminders
// and rooms.
type EventBlock struct {
	// ID names the event for good (proposals and reminders are filed
	// under it): lower-case letters, digits and dashes.
	ID        string `yaml:"id"`
	Event     `yaml:",inline"`
	Proposals Proposals  `yaml:"proposals"`
	Reminders *Reminders `yaml:"reminders"` // default: the top-level reminders: settings
	Rooms     []string   `yaml:"rooms"`     // where its reminders go; default: matrix.rooms
	FAQ       []FAQEntry `yaml:"faq"`       // besides the top-level faq:
}

// FAQEntry is a question the organisers answer themselves: a few example
// phrasings, and the answer in markdown.
type FAQEntry struct {
	Questions []string `yaml:"questions"`
	Answer    string   `yaml:"answer"`
	AnswerEN  string   `yaml:"answer_en"`
}

// Announcements are the event announcements the bot posts.
type Announcements struct {
	// Pin pins posted announcements where the bot has the power to.
	Pin       bool                    `yaml:"pin"`
	Scheduled []ScheduledAnnouncement `yaml:"scheduled"`
}

// ScheduledAnnouncement is a text posted to every room at a set time.
type ScheduledAnnouncement struct {
	At   string `yaml:"at"`
	Text string `yaml:"text"`
}

// Reminders are the deadline reminders.
type Reminders struct {
	// CatchUp is how late a reminder missed while the bot was down may
	// still be sent.
	CatchUp Duration `yaml:"catch_up"`
	// Schedule replaces the default schedule; nil (absent) means the
	// default, an empty list means no reminders.
	Schedule *[]Reminder `yaml:"schedule"`
}

// Reminder is one entry of reminders.schedule: at a set time, or some
// time before a milestone.
type Reminder struct {
	At     string   `yaml:"at"`
	Before string   `yaml:"before"` // deadline, response_date, programme_date, event_start
	Offset string   `yaml:"offset"` // 7d, 24h, 2h
	Time   string   `yaml:"time"`   // optional time of day for day offsets, e.g. 09:00
	Text   string   `yaml:"text"`   // markdown; default: the milestone's standard text
	Rooms  []string `yaml:"rooms"`  // default: every room of matrix.rooms
}

// Logging sets how much the bot logs.
type Logging struct {
	Level string `yaml:"level"`
}

// Secret is a string that never prints itself, so a config dumped into a log
// or an error cannot leak it.
type Secret string

// String hides the value.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString hides the value from %#v too.
func (s Secret) GoString() string { return s.String() }

// Reveal returns the secret itself, for the one place that needs it.
func (s Secret) Reveal() string { return string(s) }

// Duration is a time.Duration that also accepts days ("7d").
type Duration time.Duration

// UnmarshalYAML reads "5m", "2h", "7d" or "1d12h".
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return err
	}
	v, err := ParseDuration(s)
	if err != nil {
		// A TypeError lets yaml.v3 report it with its line, like its own.
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %v", n.Line, err)}}
	}
	*d = Duration(v)
	return nil
}

// ParseDuration is time.ParseDuration with a leading "Nd" for days.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		var n int
		if _, err := fmt.Sscanf(s[:i], "%d", &n); err != nil || fmt.Sprint(n) != s[:i] {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		days = time.Duration(n) * 24 * time.Hour
		s = s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q (examples: 90s, 5m, 2h, 7d)", s)
	}
	return days + v, nil
}

// Problem is one thing wrong (or suspicious) in a config file.
type Problem struct {
	Key     string // dotted path, e.g. "event.start"
	Line    int    // 0 when the key is absent
	Message string
	Warning bool // true for problems that do not stop the bot (unknown keys)
}

func (p Problem) String() string {
	kind := "error"
	if p.Warning {
		kind = "warning"
	}
	switch {
	case p.Line > 0 && p.Key != "":
		return fmt.Sprintf("%s: line %d: %s: %s", kind, p.Line, p.Key, p.Message)
	case p.Key != "":
		return fmt.Sprintf("%s: %s: %s", kind, p.Key, p.Message)
	default:
		return fmt.Sprintf("%s: %s", kind, p.Message)
	}
}

// Problems is a list of problems; as an error it reads as one line each.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Errors returns only the problems that stop the bot.
func (ps Problems) Errors() Problems {
	var out Problems
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Warnings returns only the problems that do not stop the bot.
func (ps Problems) Warnings() Problems {
	var out Problems
	for _, p := range ps {
		if p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Load reads and validates a config file. It returns the config with
// defaults applied and every problem found; the config is usable only when
// Problems.Errors() is empty.
func Load(path string) (*Config, Problems, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read config: %w", err)
	}
	cfg, problems := Parse(data)
	if cfg != nil {
		cfg.Path = path
	}
	return cfg, problems, nil
}

// Parse decodes and validates config data. A nil config means the YAML
// itself could not be read.
func Parse(data []byte) (*Config, Problems) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := safely(func() error { return dec.Decode(&root) }); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Problems{{Message: "the file is empty"}}
		}
		return nil, Problems{{Message: strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	doc := document{root: &root}
	var cfg Config
	var problems Problems
	if err := safely(func() error { return root.Decode(&cfg) }); err != nil {
		problems = append(problems, decodeProblems(&doc, err)...)
	}
	problems = append(problems, unknownKeys(&doc)...)
	cfg.doc = &doc
	cfg.applyEnv()
	cfg.applyDefaults()
	problems = append(problems, cfg.validate(&doc)...)
	return &cfg, problems
}

// safely runs a yaml.v3 decode, turning its panics on some malformed
// documents (merge keys of odd shapes) into errors: a bad config must be
// reported, never crash the bot.
func safely(decode func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed YAML: %v", r)
		}
	}()
	return decode()
}

// applyEnv lets secrets come from the environment, which wins over the file
// so that a deployment can keep the file free of them.
func (c *Config) applyEnv() {
	if v := os.Getenv(EnvPassword); v != "" {
		c.Matrix.Password = Secret(v)
	}
	if v := os.Getenv(EnvAccessToken); v != "" {
		c.Matrix.AccessToken = Secret(v)
	}
	if v := os.Getenv(EnvPickleKey); v != "" {
		c.Matrix.Encryption.PickleKey = Secret(v)
	}
	if v := os.Getenv(EnvRecoveryKey); v != "" {
		c.Matrix.Encryption.RecoveryKey = Secret(v)
	}
}

// Defaults, in one place so that the example config and the code agree.
const (
	DefaultPrefix       = "!"
	DefaultLanguage     = "fr"
	DefaultTimezone     = "Europe/Paris"
	DefaultDeviceName   = "bluehats-bot"
	DefaultOfflineGrace = 5 * time.Minute
	DefaultMinMinutes   = 5
	DefaultMaxMinutes   = 20
	DefaultMaxPerPerson = 5
	DefaultPowerLevel   = 50
	DefaultResponseTime = "09:00"
	DefaultCatchUp      = 2 * time.Hour
	DefaultFollowNotice = 10 * time.Minute
)

// Decision notification modes.
const (
	NotifyOnResponseDate = "on_response_date"
	NotifyImmediately    = "immediately"
)

// Answer-question modes.
const (
	AnswerMentions = "mentions"
	AnswerAlways   = "always"
	AnswerOff      = "off"
)

func (c *Config) applyDefaults() {
	if c.Matrix.DeviceName == "" {
		c.Matrix.DeviceName = DefaultDeviceName
	}
	if c.Matrix.AutoJoinInvites == nil {
		t := true
		c.Matrix.AutoJoinInvites = &t
	}
	if c.Database.Type == "" {
		c.Database.Type = "sqlite3"
	}
	if c.Database.URI == "" && c.Database.Type == "sqlite3" {
		c.Database.URI = "bluehats.db"
	}
	if c.Bot.Prefix == "" {
		c.Bot.Prefix = DefaultPrefix
	}
	if c.Bot.Language == "" {
		c.Bot.Language = DefaultLanguage
	}
	if c.Bot.AnswerQuestions == "" {
		c.Bot.AnswerQuestions = AnswerMentions
	}
	if c.Bot.OfflineGrace == 0 {
		c.Bot.OfflineGrace = Duration(DefaultOfflineGrace)
	}
	if c.Bot.OrganiserPowerLevel == nil {
		pl := DefaultPowerLevel
		c.Bot.OrganiserPowerLevel = &pl
	}
	if c.Bot.RateLimit.Burst == 0 {
		c.Bot.RateLimit.Burst = 10
	}
	if c.Bot.RateLimit.PerMinute == 0 {
		c.Bot.RateLimit.PerMinute = 20
	}
	c.Proposals.applyDefaults()
	c.Event.applyDefaults()
	c.Reminders.applyDefaults()
	c.Programme.applyDefaults()
	for i := range c.Events {
		c.Events[i].Proposals.applyDefaults()
		c.Events[i].Event.applyDefaults()
		if c.Events[i].Reminders != nil {
			c.Events[i].Reminders.applyDefaults()
		}
	}
	if c.Logging.Level == "" {
		c.Logging.Level = "info"
	}
}

func (p *Proposals) applyDefaults() {
	if p.MaxPerPerson == 0 {
		p.MaxPerPerson = DefaultMaxPerPerson
	}
	if p.ResponseTime == "" {
		p.ResponseTime = DefaultResponseTime
	}
	if p.NotifyDecisions == "" {
		p.NotifyDecisions = NotifyOnResponseDate
	}
}

func (p *Programme) applyDefaults() {
	if p.FollowNotice == 0 {
		p.FollowNotice = Duration(DefaultFollowNotice)
	}
}

func (r *Reminders) applyDefaults() {
	if r.CatchUp == 0 {
		r.CatchUp = Duration(DefaultCatchUp)
	}
}

func (e *Event) applyDefaults() {
	if e.Timezone == "" {
		e.Timezone = DefaultTimezone
	}
}

// SourcePath returns event.source resolved against the config file's folder.
func (c *Config) SourcePath() string { return c.resolve(c.Event.Source) }

func (c *Config) resolve(path string) string {
	if path == "" || filepath.IsAbs(path) || c.Path == "" {
		return path
	}
	return filepath.Join(filepath.Dir(c.Path), path)
}
