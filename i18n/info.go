package i18n

// InfoText describes the event itself: what any member may ask before
// coming. Reminders and announcements reuse its card, venue and date words
// so that a reminder reads like the answer to the matching command.
type InfoText struct {
	// Countdowns.
	Past          string
	Ongoing       string
	Tomorrow      string
	InDays        string // %d days
	TodayInHours  string // %d hours
	TodayInMinute string // %d minutes

	// Event card (!salon).
	CardWhen             string
	CardWhere            string
	CardEntry            string
	CardInfo             string
	CardContact          string
	CardMore             string // %s venue command, %s dates command, %s help command
	Free                 string
	RegistrationRequired string
	OtherEvents          string

	// Venue (!lieu).
	VenueHowTo   string
	VenueMapBody string // %s venue name

	// Hours (!horaires).
	HoursTitle     string
	HoursDay       string // %s day, %s hours
	HoursOpenNow   string // %s closing time
	HoursClosedNow string
	HoursOver      string
	HoursUnknown   string

	// Registration (!inscription).
	RegisterFreeRequired string // %s url
	RegisterRequired     string // %s url
	RegisterFree         string
	RegisterLink         string // %s url
	RegisterNone         string

	// Contact (!contact).
	ContactLine string // %s address
	ContactNone string

	// Milestones (!dates).
	DatesTitle        string
	MilestoneDeadline string
	MilestoneResponse string
	MilestoneProgram  string
	MilestoneDay      string // %d day number
	DatesNone         string

	// Programme (!programme).
	ProgrammeBuilding      string // %s status
	ProgrammePublishedOn   string // %s date, %s countdown
	ProgrammeLate          string // %s date
	ProgrammeCallForTalks  string // %d min, %d max, %s deadline, %s !proposer, %s contact
	ProgrammeCallForTalksN string // %d min, %d max, %s deadline, %s !proposer (no contact)
	ProgrammeStatusDefault string

	// Calendar (!calendrier).
	CalendarIntro string

	NotConfigured string
}

var infoFR = InfoText{
	Past:          "passée",
	Ongoing:       "en cours",
	Tomorrow:      "demain",
	InDays:        "dans %d jours",
	TodayInHours:  "aujourd'hui, dans %d h",
	TodayInMinute: "dans %d min",

	CardWhen:             "Quand",
	CardWhere:            "Où",
	CardEntry:            "Entrée",
	CardInfo:             "Plus d'informations",
	CardContact:          "Contact",
	CardMore:             "Tapez `%s` pour savoir comment venir, `%s` pour les échéances, `%s` pour tout le reste.",
	Free:                 "gratuite",
	RegistrationRequired: "inscription obligatoire",
	OtherEvents:          "Autres événements",

	VenueHowTo:   "Comment y aller ?",
	VenueMapBody: "%s (carte)",

	HoursTitle:     "Horaires",
	HoursDay:       "%s : %s",
	HoursOpenNow:   "Le salon est ouvert en ce moment, jusqu'à %s.",
	HoursClosedNow: "Le salon est fermé en ce moment.",
	HoursOver:      "Le salon est terminé.",
	HoursUnknown:   "Les horaires n'ont pas encore été publiés.",

	RegisterFreeRequired: "L'entrée est **gratuite**, mais l'**inscription est obligatoire**. Créez votre badge avant de venir : %s",
	RegisterRequired:     "L'**inscription est obligatoire** : %s",
	RegisterFree:         "L'entrée est **gratuite**.",
	RegisterLink:         "Inscription : %s",
	RegisterNone:         "Aucune inscription n'est demandée.",

	ContactLine: "Pour toute question, écrivez à l'équipe : %s",
	ContactNone: "Aucune adresse de contact n'a été publiée.",

	DatesTitle:        "Échéances",
	MilestoneDeadline: "Date limite des propositions d'intervention",
	MilestoneResponse: "Réponse aux propositions",
	MilestoneProgram:  "Publication du programme",
	MilestoneDay:      "Journée %d du salon",
	DatesNone:         "Aucune date n'a été publiée.",

	ProgrammeBuilding:      "Le programme des interventions est %s.",
	ProgrammePublishedOn:   "Il sera publié le %s (%s).",
	ProgrammeLate:          "Il était annoncé pour le %s : il arrive bientôt.",
	ProgrammeCallForTalks:  "Vous voulez intervenir ? Proposez une intervention de %d à %d minutes avant le %s : tapez `%s`, je vous guide (ou écrivez à %s).",
	ProgrammeCallForTalksN: "Vous voulez intervenir ? Proposez une intervention de %d à %d minutes avant le %s : tapez `%s`, je vous guide.",
	ProgrammeStatusDefault: "en cours de construction",

	CalendarIntro: "📅 Le salon (et le programme, une fois publié) à ajouter à votre agenda :",

	NotConfigured: "Cette information n'a pas encore été publiée.",
}

var infoEN = InfoText{
	Past:          "passed",
	Ongoing:       "ongoing",
	Tomorrow:      "tomorrow",
	InDays:        "in %d days",
	TodayInHours:  "today, in %d h",
	TodayInMinute: "in %d min",

	CardWhen:             "When",
	CardWhere:            "Where",
	CardEntry:            "Entry",
	CardInfo:             "More information",
	CardContact:          "Contact",
	CardMore:             "Type `%s` to get there, `%s` for the key dates, `%s` for the rest.",
	Free:                 "free",
	RegistrationRequired: "registration required",
	OtherEvents:          "Other events",

	VenueHowTo:   "Getting there",
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
	ProgrammeCallForTalks:  "Want to speak? Propose a %d to %d minute talk before %s: type `%s` and I'll guide you (or write to %s).",
	ProgrammeCallForTalksN: "Want to speak? Propose a %d to %d minute talk before %s: type `%s` and I'll guide you.",
	ProgrammeStatusDefault: "being built",

	CalendarIntro: "📅 The fair (and the programme, once published) to add to your calendar:",

	NotConfigured: "This has not been published yet.",
}
