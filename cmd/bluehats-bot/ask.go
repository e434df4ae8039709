package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rs/zerolog"

	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/config"
	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/match"
)

// ask prints what the bot understands of a free question and the exact
// reply it would send, so that organisers can try their FAQ before the
// event. It reads the config alone: no credentials, no database, no
// connection.
func ask(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "config.yaml", "configuration file")
	now := fs.String("now", os.Getenv(EnvNow), "answer as at this RFC 3339 instant (rehearsal); also "+EnvNow)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	question := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if question == "" {
		fmt.Fprintln(stderr, `usage: bluehats-bot ask [-config FILE] [-now T] "question"`)
		return exitUsage
	}
	// The account and the database are not needed to answer a question.
	cfg, events, code := loadConfigWithout(*cfgPath, stderr, "matrix.", "database.")
	if code != exitOK {
		return code
	}
	cal, err := calendarClock(*now, zerolog.Nop())
	if err != nil {
		fmt.Fprintf(stderr, "-now: %v\n", err)
		return exitUsage
	}
	router := commands.NewRouter(offlineEnv(cfg, events, cal))
	reply, res, err := router.Answer(context.Background(), question)
	if err != nil {
		fmt.Fprintf(stderr, "ask: %v\n", err)
		return exitRuntime
	}
	env := router.Env().At(cal.Now())
	fmt.Fprintf(stdout, "intent:     %s\n", describeAnswers(env, res))
	fmt.Fprintf(stdout, "confidence: %s\n", describeGuess(env, res.Best))
	fmt.Fprintf(stdout, "runner-up:  %s\n", describeGuess(env, res.RunnerUp))
	if res.Rejected {
		fmt.Fprintf(stdout, "rejected:   %s is under the threshold %.2f\n", res.Best.Intent, env.Matcher.Threshold())
	}
	fmt.Fprintf(stdout, "language:   %s\n\n", res.Lang)
	for _, p := range reply.Parts {
		switch {
		case p.Location != nil:
			fmt.Fprintf(stdout, "[map: %s, %s]\n", p.Location.Body, p.Location.GeoURI)
		case p.File != nil:
			fmt.Fprintf(stdout, "[file: %s]\n", p.File.Name)
		default:
			fmt.Fprintln(stdout, p.Markdown)
		}
	}
	return exitOK
}

// offlineEnv is the commands' environment for answering from the config
// alone, as the bot would for the current event.
func offlineEnv(cfg *config.Config, events []config.EventSpec, cal clock.Clock) *commands.Env {
	var infos []commands.ConferenceInfo
	for _, e := range events {
		infos = append(infos, commands.ConferenceInfo{ID: e.ID, Conference: e.Event})
	}
	return &commands.Env{
		Conference: events[0].Event, ConferenceID: events[0].ID, Conferences: infos, Clock: cal,
		Prefix: cfg.Bot.Prefix, DefaultLang: i18n.Lang(cfg.Bot.Language), Names: commands.IDNames{},
	}
}

func describeAnswers(env *commands.Env, res match.Result) string {
	var ss []string
	for _, a := range res.Answers {
		ss = append(ss, describeAnswer(env, a))
	}
	return strings.Join(ss, " + ")
}

func describeAnswer(env *commands.Env, a match.Answer) string {
	if a.Intent == match.FAQ {
		return fmt.Sprintf("faq #%d «%s»", a.FAQ+1, env.Conference.FAQ[a.FAQ].Questions[0])
	}
	return string(a.Intent)
}

func describeGuess(env *commands.Env, g match.Guess) string {
	if g.Intent == "" {
		return "none"
	}
	if g.Intent == match.FAQ {
		return fmt.Sprintf("%s, similarity %.2f", describeAnswer(env, g.Answer), g.Score)
	}
	return fmt.Sprintf("%s, probability %.2f", g.Intent, g.Score)
}
