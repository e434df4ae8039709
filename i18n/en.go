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

	InfoText:      infoEN,
	EventDayText:  eventDayEN,
	WebText:       webEN,
	QuestionText:  questionsEN,
	ProposalText:  proposalsEN,
	ReviewText:    reviewEN,
	ProgrammeText: programmeEN,
	ReminderText:  remindersEN,
	PrivacyText:   privacyEN,
	CommonText:    commonEN,
}
