package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bluehats/bluehats-bot/commands"
	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/web"
)

// ProgrammePage is the programme's web page in a language, the talk on now
// (by the calendar clock) marked; before publication, when it will be out
// and how to propose a talk.
func (b *Bot) ProgrammePage(ctx context.Context, lang string) (*web.Page, error) {
	s := b.s()
	now := b.calendar.Now()
	env := s.env.At(now)
	e := env.Conference
	l := i18n.Lang(lang)
	t := i18n.Get(l)
	other := "en"
	if l == i18n.EN {
		other = "fr"
	}
	p := &web.Page{
		Lang: string(t.Lang), OtherLang: other,
		Title:         fmt.Sprintf(t.PageTitle, e.Title),
		Subtitle:      t.PageSubtitle,
		StateBranding: s.cfg.HTTP.StateBranding,
		RegisterURL:   e.Registration.URL,
		CalendarURL:   strings.TrimRight(s.cfg.HTTP.PublicURL, "/") + "/programme.ics",
		Venue:         web.Venue{Name: e.Venue.Name, Address: e.Venue.Address, Access: e.Venue.Access},
		Text: web.PageText{
			Skip: t.PageSkip, VenueTitle: t.PageVenue, Access: t.PageAccess, Map: t.PageMap, Register: t.PageRegister,
			Calendar: t.PageCalendar, OtherLangLabel: t.PageOtherLabel, Footer: t.PageFooter, NoTalks: t.PageNoTalks,
		},
	}
	if e.Venue.HasGeo {
		p.Venue.MapURL = fmt.Sprintf("https://www.openstreetmap.org/?mlat=%.5f&mlon=%.5f#map=17/%.5f/%.5f",
			e.Venue.Latitude, e.Venue.Longitude, e.Venue.Latitude, e.Venue.Longitude)
	}
	talks, err := commands.PublishedTalks(ctx, env)
	if err != nil {
		return nil, err
	}
	loc := e.Location
	if talks == nil {
		if pd := e.Proposals.ProgrammeDate; !pd.IsZero() && pd.After(now) {
			p.Notice = append(p.Notice, fmt.Sprintf(t.PageSoon, t.When(pd.In(loc))))
		} else {
			p.Notice = append(p.Notice, t.PageNotYet)
		}
		if dl := e.Proposals.Deadline; !dl.IsZero() && now.Before(dl) {
			propose := commands.ProposeCommand(env, l)
			if e.Contact != "" {
				p.Notice = append(p.Notice, fmt.Sprintf(t.PagePropose, propose, e.Contact))
			} else {
				p.Notice = append(p.Notice, fmt.Sprintf(t.PageProposeN, propose))
			}
		}
		return p, nil
	}
	p.Published = true
	start := e.Start.In(loc)
	for day := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc); day.Before(e.End); day = day.AddDate(0, 0, 1) {
		d := web.Day{Label: commands.Capitalise(t.Date(day))}
		next := day.AddDate(0, 0, 1)
		for _, talk := range talks {
			at := talk.SlotStart.In(loc)
			if at.Before(day) || !at.Before(next) {
				continue
			}
			end := at.Add(time.Duration(talk.Minutes) * time.Minute)
			current := !now.Before(at) && now.Before(end)
			d.Talks = append(d.Talks, web.Talk{
				ID: talk.ID, Start: t.Clock(at), End: t.Clock(end), StartISO: at.Format(time.RFC3339),
				Minutes: fmt.Sprintf(t.PageMinutes, talk.Minutes), Title: talk.Title,
				Speakers: commands.SpeakerLine(ctx, env, talk), Abstract: talk.Abstract,
				Current: current, CurrentLabel: t.PageNow, StartUnix: at.Unix(), EndUnix: end.Unix(),
			})
		}
		p.Days = append(p.Days, d)
	}
	return p, nil
}
