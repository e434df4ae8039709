package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bluehats/bluehats-bot/conference"
	"github.com/bluehats/bluehats-bot/i18n"
)

var (
	eventCmd = &Spec{Name: "salon", English: "event", Aliases: []string{"événement"}, Help: Help{
		FR: "l'événement en bref : dates, lieu, entrée, contact",
		EN: "the event at a glance: dates, place, entry, contact",
	}}
	venueCmd = &Spec{Name: "lieu", English: "venue", Aliases: []string{"accès"}, Help: Help{
		FR: "l'adresse, comment venir et la carte",
		EN: "the address, how to get there, and the map",
	}}
	hoursCmd = &Spec{Name: "horaires", English: "hours", Help: Help{
		FR: "les horaires d'ouverture, jour par jour",
		EN: "opening hours, day by day",
	}}
	registerCmd = &Spec{Name: "inscription", English: "register", Aliases: []string{"badge"}, Help: Help{
		FR: "l'entrée et le lien pour s'inscrire",
		EN: "entry and the registration link",
	}}
	contactCmd = &Spec{Name: "contact", English: "contact", Help: Help{
		FR: "l'adresse de l'équipe",
		EN: "the team's address",
	}}
	datesCmd = &Spec{Name: "dates", English: "deadlines", Aliases: []string{"échéances"}, Help: Help{
		FR: "les échéances, avec le temps restant",
		EN: "key dates, with the time left",
	}}
	programmeCmd = &Spec{Name: "programme", English: "schedule", Aliases: []string{"planning"}, Help: Help{
		FR: "le programme des interventions",
		EN: "the talk programme",
	}}
)

// infoCommands answer about the event itself: everything comes from the
// site post and the config, nothing from the members.
func infoCommands() []command {
	return []command{
		{eventCmd, eventCard},
		{venueCmd, venue},
		{hoursCmd, hours},
		{registerCmd, registration},
		{contactCmd, contact},
		{datesCmd, dates},
		{programmeCmd, programme},
	}
}

// esc escapes plain values (organisers' and members' text) so that a stray
// * or _ does not turn into formatting, no link can be injected, and an
// "@room" in a title cannot ping a whole room.
func esc(s string) string { return escaper.Replace(s) }

// escaper does what format.EscapeMarkdown does (backslash before markdown
// punctuation, entities for angle brackets) in one pass without a regexp:
// it runs on every value of every reply.
var escaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "(", `\(`, ")", `\)`,
	">", "&gt;", "<", "&lt;", "@room", "@\u2060room",
)

// mdLink is format.MarkdownLink without its regexp (name and URL escaped
// once each).
func mdLink(name, url string) string { return "[" + esc(name) + "](" + esc(url) + ")" }

func link(url string) string { return mdLink(url, url) }

func mailLink(addr string) string { return mdLink(addr, "mailto:"+addr) }

// writeEventHead writes the title, the description, and the when, where
// and entry lines shared by the event card and the announcement.
func writeEventHead(b *strings.Builder, e *conference.Conference, t *i18n.Text, icon string) {
	fmt.Fprintf(b, "%s**%s**\n", icon, esc(e.Title))
	if e.Description != "" {
		b.WriteString("\n" + e.Description + "\n")
	}
	b.WriteString("\n")
	when := t.Range(e.Start.In(e.Location), e.End.In(e.Location))
	if e.DailyOpen.Set && e.DailyClose.Set {
		when += ", " + t.HoursRange(e.DailyOpen.Minutes, e.DailyClose.Minutes)
	}
	fmt.Fprintf(b, "- 📅 **%s** : %s\n", t.CardWhen, when)
	if place := placeLine(e); place != "" {
		fmt.Fprintf(b, "- 📍 **%s** : %s\n", t.CardWhere, place)
	}
	if entry := entryLine(e, t); entry != "" {
		fmt.Fprintf(b, "- 🎟️ **%s** : %s\n", t.CardEntry, entry)
	}
}

func eventCard(_ context.Context, env *Env, req *Request) (*Reply, error) {
	e, t := env.Conference, req.T
	var b strings.Builder
	writeEventHead(&b, e, t, "")
	if e.InfoURL != "" {
		fmt.Fprintf(&b, "- ℹ️ **%s** : %s\n", t.CardInfo, link(e.InfoURL))
	}
	if e.Contact != "" {
		fmt.Fprintf(&b, "- ✉️ **%s** : %s\n", t.CardContact, mailLink(e.Contact))
	}
	if others := otherEvents(env, t); others != "" {
		b.WriteString("\n" + others + "\n")
	}
	b.WriteString("\n" + fmt.Sprintf(t.CardMore, venueCmd.In(env, t.Lang), datesCmd.In(env, t.Lang), helpCmd.In(env, t.Lang)))
	return Text(localiseColons(b.String(), req.Lang)), nil
}

// otherEvents lists the events served besides the current one.
func otherEvents(env *Env, t *i18n.Text) string {
	if len(env.Conferences) < 2 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n", t.OtherEvents)
	for _, o := range env.Conferences {
		if o.ID == env.ConferenceID {
			continue
		}
		fmt.Fprintf(&b, "- %s — %s\n", esc(o.Conference.Title), t.Range(o.Conference.Start.In(o.Conference.Location), o.Conference.End.In(o.Conference.Location)))
	}
	return strings.TrimRight(b.String(), "\n")
}

// localiseColons drops the space French puts before a colon when the text
// is English.
func localiseColons(s string, lang i18n.Lang) string {
	if lang == i18n.EN {
		return strings.ReplaceAll(s, "** : ", "**: ")
	}
	return s
}

func placeLine(e *conference.Conference) string {
	switch {
	case e.Venue.Name != "" && e.Venue.Address != "":
		return esc(e.Venue.Name) + ", " + esc(e.Venue.Address)
	case e.Venue.Name != "":
		return esc(e.Venue.Name)
	default:
		return esc(e.Venue.Address)
	}
}

func entryLine(e *conference.Conference, t *i18n.Text) string {
	var parts []string
	if e.Registration.Free {
		parts = append(parts, t.Free)
	}
	if e.Registration.Required {
		parts = append(parts, t.RegistrationRequired)
	}
	s := strings.Join(parts, ", ")
	if e.Registration.URL != "" {
		if s != "" {
			s += " — "
		}
		s += link(e.Registration.URL)
	}
	if s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

func venue(_ context.Context, env *Env, req *Request) (*Reply, error) {
	e, t := env.Conference, req.T
	if e.Venue.Name == "" && e.Venue.Address == "" {
		return Text(t.NotConfigured), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "📍 **%s**\n", esc(firstNonEmpty(e.Venue.Name, e.Venue.Address)))
	if e.Venue.Name != "" && e.Venue.Address != "" {
		b.WriteString(esc(e.Venue.Address) + "\n")
	}
	if len(e.Venue.Access) > 0 {
		fmt.Fprintf(&b, "\n**%s**\n", t.VenueHowTo)
		for _, a := range e.Venue.Access {
			fmt.Fprintf(&b, "- %s\n", esc(a))
		}
	}
	reply := Text(strings.TrimRight(b.String(), "\n"))
	if e.Venue.HasGeo {
		reply.Parts = append(reply.Parts, Part{Location: &Location{
			Body:   strings.TrimSpace(fmt.Sprintf(t.VenueMapBody, placeLineRaw(e))),
			GeoURI: GeoURI(e.Venue.Latitude, e.Venue.Longitude),
		}})
	}
	return reply, nil
}

func placeLineRaw(e *conference.Conference) string {
	if e.Venue.Name != "" && e.Venue.Address != "" {
		return e.Venue.Name + ", " + e.Venue.Address
	}
	return firstNonEmpty(e.Venue.Name, e.Venue.Address)
}

// GeoURI formats an RFC 5870 geo: URI.
func GeoURI(lat, lon float64) string {
	return "geo:" + strconv.FormatFloat(lat, 'f', -1, 64) + "," + strconv.FormatFloat(lon, 'f', -1, 64)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func hours(_ context.Context, env *Env, req *Request) (*Reply, error) {
	e, t := env.Conference, req.T
	if !e.DailyOpen.Set || !e.DailyClose.Set {
		if e.Hours != "" {
			return Text(fmt.Sprintf("🕘 **%s** : %s", t.HoursTitle, esc(e.Hours))), nil
		}
		return Text(t.HoursUnknown), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "🕘 **%s**\n", t.HoursTitle)
	for _, d := range e.Days() {
		fmt.Fprintf(&b, "- "+t.HoursDay+"\n", t.Date(d), t.HoursRange(e.DailyOpen.Minutes, e.DailyClose.Minutes))
	}
	if status := openStatus(e, t, req.Now); status != "" {
		b.WriteString("\n" + status)
	}
	return Text(localiseColons(strings.TrimRight(b.String(), "\n"), req.Lang)), nil
}

// openStatus says whether the fair is open now, on its days only.
func openStatus(e *conference.Conference, t *i18n.Text, now time.Time) string {
	if now.After(e.End) {
		return t.HoursOver
	}
	for _, d := range e.Days() {
		open, close := e.DailyOpen.On(d, e.Location), e.DailyClose.On(d, e.Location)
		if now.Before(d) || !now.Before(d.AddDate(0, 0, 1)) {
			continue
		}
		if !now.Before(open) && now.Before(close) {
			return fmt.Sprintf(t.HoursOpenNow, t.Clock(close))
		}
		return t.HoursClosedNow
	}
	return ""
}

func registration(_ context.Context, env *Env, req *Request) (*Reply, error) {
	r, t := env.Conference.Registration, req.T
	var msg string
	switch {
	case r.Free && r.Required && r.URL != "":
		msg = fmt.Sprintf(t.RegisterFreeRequired, link(r.URL))
	case r.Required && r.URL != "":
		msg = fmt.Sprintf(t.RegisterRequired, link(r.URL))
	case r.Free && r.URL != "":
		msg = t.RegisterFree + "\n" + fmt.Sprintf(t.RegisterLink, link(r.URL))
	case r.Free:
		msg = t.RegisterFree + " " + t.RegisterNone
	case r.URL != "":
		msg = fmt.Sprintf(t.RegisterLink, link(r.URL))
	default:
		msg = t.NotConfigured
	}
	return Text("🎟️ " + msg), nil
}

func contact(_ context.Context, env *Env, req *Request) (*Reply, error) {
	if env.Conference.Contact == "" {
		return Text(req.T.ContactNone), nil
	}
	return Text("✉️ " + fmt.Sprintf(req.T.ContactLine, mailLink(env.Conference.Contact))), nil
}

// milestone is one dated step of the event's calendar.
type milestone struct {
	label    string
	at       time.Time
	deadline bool // stated to the minute with its zone
}

func milestones(e *conference.Conference, t *i18n.Text) []milestone {
	p := e.Proposals
	var ms []milestone
	if !p.Deadline.IsZero() {
		ms = append(ms, milestone{t.MilestoneDeadline, p.Deadline, true})
	}
	if !p.ResponseDate.IsZero() {
		ms = append(ms, milestone{t.MilestoneResponse, p.ResponseDate, false})
	}
	if !p.ProgrammeDate.IsZero() {
		ms = append(ms, milestone{t.MilestoneProgram, p.ProgrammeDate, false})
	}
	for i, d := range e.Days() {
		at := d
		if e.DailyOpen.Set {
			at = e.DailyOpen.On(d, e.Location)
		} else if i == 0 {
			at = e.Start
		}
		ms = append(ms, milestone{fmt.Sprintf(t.MilestoneDay, i+1), at, false})
	}
	return ms
}

func dates(_ context.Context, env *Env, req *Request) (*Reply, error) {
	e, t := env.Conference, req.T
	ms := milestones(e, t)
	if len(ms) == 0 {
		return Text(t.DatesNone), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "🗓️ **%s**\n", t.DatesTitle)
	for _, m := range ms {
		at := m.at.In(e.Location)
		when := t.When(at)
		if m.deadline {
			when = t.Deadline(at)
		}
		fmt.Fprintf(&b, "- **%s** : %s — %s\n", m.label, when, countdown(e, t, req.Now, m))
	}
	return Text(localiseColons(strings.TrimRight(b.String(), "\n"), req.Lang)), nil
}

// countdown counts to the milestone; a day of the fair that has begun but
// not ended is "ongoing" rather than past.
func countdown(e *conference.Conference, t *i18n.Text, now time.Time, m milestone) string {
	if !m.at.After(now) && now.Before(e.End) && !m.deadline {
		if d := m.at.In(e.Location); e.DailyClose.Set && now.Before(e.DailyClose.On(d, e.Location)) && !now.Before(m.at) && sameDay(now.In(e.Location), d) {
			return t.Ongoing
		}
	}
	return t.Countdown(now, m.at, e.Location)
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

func programme(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	e, t := env.Conference, req.T
	if pub, err := published(ctx, env); err != nil {
		return nil, err
	} else if !pub.IsZero() {
		talks, err := env.Store.Proposals.Scheduled(ctx, env.ConferenceID)
		if err != nil {
			return nil, err
		}
		return Text(renderProgramme(ctx, env, t, talks)), nil
	}
	status := e.ProgrammeStatus
	if status == "" || req.Lang == i18n.EN {
		status = t.ProgrammeStatusDefault
	}
	var ls []string
	ls = append(ls, "🛠️ "+fmt.Sprintf(t.ProgrammeBuilding, esc(status)))
	if pd := e.Proposals.ProgrammeDate; !pd.IsZero() {
		if pd.After(req.Now) {
			ls = append(ls, fmt.Sprintf(t.ProgrammePublishedOn, t.When(pd.In(e.Location)), t.Countdown(req.Now, pd, e.Location)))
		} else {
			ls = append(ls, fmt.Sprintf(t.ProgrammeLate, t.When(pd.In(e.Location))))
		}
	}
	p := e.Proposals
	if !p.Deadline.IsZero() && req.Now.Before(p.Deadline) {
		dl := t.Deadline(p.Deadline.In(e.Location))
		propose := proposeCmd.In(env, req.Lang)
		if e.Contact != "" {
			ls = append(ls, "", fmt.Sprintf(t.ProgrammeCallForTalks, p.MinMinutes, p.MaxMinutes, dl, propose, mailLink(e.Contact)))
		} else {
			ls = append(ls, "", fmt.Sprintf(t.ProgrammeCallForTalksN, p.MinMinutes, p.MaxMinutes, dl, propose))
		}
	}
	return Text(strings.Join(ls, "\n")), nil
}
