package commands

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/reminders"
	"github.com/bluehats/bluehats-bot/storage"
)

var (
	remindersCmd = &Spec{Name: "rappels", English: "reminders", Args: AnyArgs, Help: Help{
		FR: "les prochains rappels ; oui/non pour les recevoir en message privé",
		EN: "the next reminders; on/off to get them by direct message",
	}}
	announceCmd = &Spec{Name: "annonce", English: "announce", Role: Organiser, Args: AnyArgs, Help: Help{
		FR: "publier l'annonce du salon dans les salons Matrix (ou le texte de votre choix ; ajoutez « aperçu » avant pour le voir d'abord)",
		EN: "post the event announcement in the rooms (or a text; \"preview\" before either shows it to you first)",
	}}
)

// reminderCommands are the announcement and reminder commands.
func reminderCommands() []command {
	return []command{
		{remindersCmd, reminderList},
		{announceCmd, announce},
	}
}

// upcoming returns the reminders still to come.
func upcoming(env *Env, now time.Time) []reminders.Reminder {
	var out []reminders.Reminder
	for _, r := range env.Reminders {
		if !r.At.Before(now) {
			out = append(out, r)
		}
	}
	return out
}

func reminderList(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	switch arg := matchKey(req.Args); arg {
	case "":
		return listReminders(ctx, env, req)
	case "oui", "on", "yes", "non", "off", "no":
		on := arg == "oui" || arg == "on" || arg == "yes"
		if err := env.Store.Prefs.Put(ctx, storage.ReminderPref{User: req.Sender, Enabled: on, Lang: string(req.Lang)}, req.Now); err != nil {
			return nil, err
		}
		if on {
			return Text(t.RemindersOn), nil
		}
		return Text(t.RemindersOff), nil
	default:
		return failed(invalid(fmt.Sprintf(t.RemindersUsage, req.Typed)))
	}
}

func listReminders(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t, loc := req.T, env.Conference.Location
	var b strings.Builder
	next := upcoming(env, req.Now)
	if len(next) == 0 {
		b.WriteString(t.NoReminders)
	} else {
		fmt.Fprintf(&b, "🔔 **%s**\n\n", t.RemindersTitle)
		for _, r := range next {
			fmt.Fprintf(&b, "- %s — %s\n", t.DateTime(r.At.In(loc)), reminderLabel(env, t, r))
		}
	}
	pref, err := env.Store.Prefs.Get(ctx, req.Sender)
	if err != nil {
		return nil, err
	}
	on, off := remindersCmd.In(env, req.Lang)+" "+word(req, "oui", "on"), remindersCmd.In(env, req.Lang)+" "+word(req, "non", "off")
	if pref != nil && pref.Enabled {
		fmt.Fprintf(&b, "\n"+t.RemindersYouAreIn, off)
	} else {
		fmt.Fprintf(&b, "\n"+t.RemindersYouCanJoin, on)
	}
	return Text(strings.TrimRight(b.String(), "\n")), nil
}

// reminderLabel names what a reminder is about, in one short line.
func reminderLabel(env *Env, t *i18n.Text, r reminders.Reminder) string {
	switch r.Kind {
	case reminders.KindDeadline:
		return t.MilestoneDeadline
	case reminders.KindResponse:
		return t.MilestoneResponse
	case reminders.KindProgramme:
		return t.MilestoneProgram
	case reminders.KindEventEve:
		return t.LabelEventEve
	case reminders.KindEventDay:
		return fmt.Sprintf(t.MilestoneDay, r.Day)
	case reminders.KindAnnouncement:
		return t.LabelAnnouncement
	default:
		return t.LabelCustom
	}
}

// RenderReminder is the text of a reminder, in a language, at the time it
// goes out: organisers' own text as they wrote it, or the standard one.
func RenderReminder(env *Env, r reminders.Reminder, lang i18n.Lang, now time.Time) string {
	if r.Text != "" {
		return r.Text
	}
	t, e := i18n.Get(lang), env.Conference
	loc := e.Location
	cft := e.Proposals
	propose, programme := proposeCmd.In(env, lang), programmeCmd.In(env, lang)
	switch r.Kind {
	case reminders.KindDeadline:
		return fmt.Sprintf(t.RemindDeadline, t.Countdown(now, cft.Deadline, loc), cft.MinMinutes, cft.MaxMinutes, t.Deadline(cft.Deadline.In(loc)), propose)
	case reminders.KindResponse:
		return fmt.Sprintf(t.RemindResponse, t.Date(cft.ResponseDate.In(loc)))
	case reminders.KindProgramme:
		return fmt.Sprintf(t.RemindProgramme, programme)
	case reminders.KindEventEve, reminders.KindEventDay:
		var b strings.Builder
		when := t.HoursRange(e.DailyOpen.Minutes, e.DailyClose.Minutes)
		if r.Kind == reminders.KindEventEve {
			fmt.Fprintf(&b, t.RemindEventEve, esc(e.Title), placeLine(e), when)
		} else {
			fmt.Fprintf(&b, t.RemindEventDay, esc(e.Title), placeLine(e), when, programme)
		}
		if len(e.Venue.Access) > 0 {
			fmt.Fprintf(&b, "\n\n**%s**\n", t.VenueHowTo)
			for _, a := range e.Venue.Access {
				fmt.Fprintf(&b, "- %s\n", esc(a))
			}
		}
		if r.Kind == reminders.KindEventEve && e.Registration.Required && e.Registration.URL != "" {
			fmt.Fprintf(&b, "\n"+t.RemindBadge, link(e.Registration.URL))
		}
		return strings.TrimRight(b.String(), "\n")
	default:
		return t.LabelCustom
	}
}

// EventAnnouncement is the standard announcement of the event: what, when,
// where, entry, the call for talks while open, contact.
func EventAnnouncement(env *Env, t *i18n.Text, now time.Time) string {
	e := env.Conference
	var b strings.Builder
	writeEventHead(&b, e, t, "📣 ")
	cft := e.Proposals
	if !cft.Deadline.IsZero() && !closed(now, cft.Deadline) {
		propose := proposeCmd.In(env, t.Lang)
		fmt.Fprintf(&b, "- 🎤 **%s** : %s\n", t.CardTalks, fmt.Sprintf(t.AnnounceCallForTalks, cft.MinMinutes, cft.MaxMinutes, t.Deadline(cft.Deadline.In(e.Location)), propose))
	}
	if e.Contact != "" {
		fmt.Fprintf(&b, "- ✉️ **%s** : %s\n", t.CardContact, mailLink(e.Contact))
	}
	return localiseColons(strings.TrimRight(b.String(), "\n"), t.Lang)
}

func announce(_ context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	text := EventAnnouncement(env, i18n.Get(env.DefaultLang), req.Now)
	args := strings.TrimSpace(req.Args)
	// "apercu" alone previews the standard announcement; followed by text,
	// that text. Never posted: a preview typed with its text must not go out.
	// The word ends at any space: a preview's text often starts on a new line.
	first, rest := args, ""
	if i := strings.IndexFunc(args, unicode.IsSpace); i >= 0 {
		first, rest = args[:i], args[i:]
	}
	if k := matchKey(first); k == "apercu" || k == "preview" {
		if rest = strings.TrimSpace(rest); rest != "" {
			text = rest
		}
		preview := t.AnnouncePreview + "\n\n---\n\n" + text
		if req.Direct {
			return Text(preview), nil
		}
		return &Reply{Parts: []Part{{Markdown: t.AnswerInDirect}, {Markdown: preview, To: ToSender}}}, nil
	}
	if args != "" {
		// The organiser's own text, formatted from markdown.
		text = args
	}
	return &Reply{Parts: []Part{
		{Markdown: t.Announced},
		{To: ToRooms, Key: fmt.Sprintf("announce:%d", req.Now.UnixNano()), Kind: storage.KindAnnouncement, Markdown: text},
	}}, nil
}
