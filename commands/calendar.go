package commands

import (
	"context"

	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/calendar"
)

var (
	calendarCmd = &Spec{Name: "calendrier", English: "calendar", Aliases: []string{"ics"}, Help: Help{
		FR: "le salon et le programme à ajouter à votre agenda (.ics)",
		EN: "the fair and the programme for your calendar (.ics)",
	}}
)

func calendarCommands() []command {
	return []command{{calendarCmd, calendarFile}}
}

// CalendarFile builds the .ics of the event and, once published, of its
// programme; the command and the command line share it.
func CalendarFile(ctx context.Context, env *Env) ([]byte, error) {
	talks, err := PublishedTalks(ctx, env)
	if err != nil {
		return nil, err
	}
	names := func(u id.UserID) string { return env.Names.DisplayName(ctx, u) }
	return calendar.Build(env.Conference, talks, names, env.Domain, env.Clock.Now())
}

func calendarFile(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	data, err := CalendarFile(ctx, env)
	if err != nil {
		return nil, err
	}
	file := &File{Name: "bluehats-" + env.Conference.Start.In(env.Conference.Location).Format("2006-01-02") + ".ics", MIME: "text/calendar; charset=utf-8", Data: data}
	return &Reply{Parts: []Part{{Markdown: req.T.CalendarIntro}, {File: file}}}, nil
}
