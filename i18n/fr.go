package i18n

import "fmt"

// french is the reference catalogue.
var french = Text{
	Lang:     FR,
	weekdays: [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
	months:   [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	dayOrdinal: func(d int) string {
		if d == 1 {
			return "1er"
		}
		return fmt.Sprint(d)
	},
	clock: func(h, m int) string {
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh%02d", h, m)
	},
	timeZone: func(city, offset string) string { return fmt.Sprintf("heure de %s (%s)", city, offset) },
	at:       "à",
	rangeFmt: func(from, to string) string { return "du " + from + " au " + to },
	hoursFmt: func(from, to string) string { return "de " + from + " à " + to },

	InfoText:      infoFR,
	EventDayText:  eventDayFR,
	WebText:       webFR,
	QuestionText:  questionsFR,
	ProposalText:  proposalsFR,
	ReviewText:    reviewFR,
	ProgrammeText: programmeFR,
	ReminderText:  remindersFR,
	PrivacyText:   privacyFR,
	CommonText:    commonFR,
}
