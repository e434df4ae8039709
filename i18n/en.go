package i18n

import "fmt"

// english mirrors the French catalogue.
var english = Text{
	Lang:       EN,
	weekdays:   [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	months:     [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	dayOrdinal: func(d int) string { return fmt.Sprint(d) },
	clock:      func(h, m int) string { return fmt.Sprintf("%d:%02d", h, m) },
	timeZone:   func(city, offset string) string { return fmt.Sprintf("%s time (%s)", city, offset) },
	at:         "at",
	rangeFmt:   func(from, to string) string { return from + " to " + to },
	hoursFmt:   func(from, to string) string { return from + " to " + to },

	Past:          "passed",
	Ongoing:       "ongoing",
	Today:         "today",
	Tomorrow:      "tomorrow",
	InDays:        "in %d days",
	InHours:       "in %d hours",
	InMinutes:     "in %d minutes",
	TodayInHours:  "today, in %d h",
	TodayInMinute: "in %d min",

	CardWhen:             "When",
	CardWhere:            "Where",
	CardEntry:            "Entry",
	CardInfo:             "More information",
	CardContact:          "Contact",
	CardMore:             "Type `%[1]svenue` to get there, `%[1]sdeadlines` for the key dates, `%[1]shelp` for the rest.",
	Free:                 "free",
	Paid:                 "paid",
	RegistrationRequired: "registration required",
	NoRegistration:       "no registration needed",

	VenueHowTo:   "Getting there",
	VenueNoGeo:   "",
	VenueMapBody: "%s (map)",

	HoursTitle:     "Opening hours",
	HoursDay:       "%s: %s",
	HoursOpenNow:   "The fair is open right now, until %s.",
	HoursClosedNow: "The fair is closed right now.",
	HoursOver:      "The fair is over.",
	HoursUnknown:   "The opening hours have not been published yet.",

	RegisterFreeRequired: "Entry is **free**, but **registration is required**: get your badge before you come: %s",
	RegisterRequired:     "**Registration is required**: %s",
	RegisterFree:         "Entry is **free**.",
	RegisterLink:         "Registration: %s",
	RegisterNone:         "No registration is needed.",

	ContactLine: "For any question, write to the team: %s",
	ContactNone: "No contact address has been published.",

	DatesTitle:        "Key dates",
	MilestoneDeadline: "Deadline for talk proposals",
	MilestoneResponse: "Answers to proposals",
	MilestoneProgram:  "Programme published",
	MilestoneDay:      "Fair, day %d",
	DatesNone:         "No dates have been published.",

	ProgrammeBuilding:      "The talk programme is %s.",
	ProgrammePublishedOn:   "It will be published on %s (%s).",
	ProgrammeLate:          "It was announced for %s: it is coming soon.",
	ProgrammeCallForTalks:  "Want to speak? Propose a %d to %d minute talk before %s, to %s.",
	ProgrammeCallForTalksN: "Want to speak? Propose a %d to %d minute talk before %s.",
	ProgrammeStatusDefault: "being built",

	HelpTitle:     "What I can do",
	HelpQuestions: "You can also ask me a question in English or French, such as “where is the fair?” or “is it free?”: mention me in a room, or write to me directly.",
	HelpCommands: map[string]string{
		"aide":        "this help",
		"salon":       "the event at a glance: dates, place, entry, contact",
		"lieu":        "the address, how to get there, and the map",
		"horaires":    "opening hours, day by day",
		"inscription": "entry and the registration link",
		"contact":     "the team's address",
		"dates":       "key dates, with the time left",
		"programme":   "the talk programme",
	},

	UnknownCommand:   "I don't know the command `%s`. Type `%s` for the list of commands.",
	DidYouMean:       "Did you mean `%s`?",
	NoArguments:      "The command `%s` takes no argument: type it alone.",
	QuestionFallback: "I'm not sure I understood. I can tell you about the venue and how to get there, opening hours, entry and registration, key dates and the proposal deadline, the programme and the contact address. Try for instance “how do I get there?”, or type `%s`.",
	InternalError:    "Sorry, I could not handle your request. Please try again in a moment.",
	NotConfigured:    "This has not been published yet.",
	AnswerInDirect:   "I answered you in a direct message.",
	LanguageName:     "English",
}
