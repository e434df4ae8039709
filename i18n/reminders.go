package i18n

// ReminderText is for what the bot says unprompted, on dates the
// organisers chose: reminders and announcements.
type ReminderText struct {
	// Reminders (!rappels).
	RemindersOn         string
	RemindersOff        string
	RemindersUsage      string
	NoReminders         string
	RemindersTitle      string
	RemindersYouAreIn   string
	RemindersYouCanJoin string
	LabelEventEve       string
	LabelAnnouncement   string
	LabelCustom         string
	RemindDeadline      string
	RemindResponse      string
	RemindProgramme     string
	RemindEventEve      string
	RemindEventDay      string
	RemindBadge         string

	// Announcements (!annonce).
	CardTalks            string
	AnnounceCallForTalks string
	AnnouncePreview      string
	Announced            string
}

var remindersFR = ReminderText{
	RemindersOn:         "🔔 C'est noté : vous recevrez aussi les rappels en message privé.",
	RemindersOff:        "🔕 C'est noté : plus de rappels en message privé (les rappels dans les salons Matrix continuent).",
	RemindersUsage:      "Syntaxe : `%[1]s` pour voir les prochains rappels, `%[1]s oui` ou `%[1]s non` pour les recevoir ou non en message privé.",
	NoReminders:         "Aucun rappel à venir.",
	RemindersTitle:      "Prochains rappels",
	RemindersYouAreIn:   "Vous les recevez aussi en message privé (`%s` pour arrêter).",
	RemindersYouCanJoin: "Pour les recevoir aussi en message privé : `%s`.",
	LabelEventEve:       "Veille du salon",
	LabelAnnouncement:   "Annonce",
	LabelCustom:         "Rappel",
	RemindDeadline:      "⏳ Propositions d'intervention : date limite %s ! Proposez une intervention de %d à %d minutes sur le stand avant le %s, ici même avec `%s`.",
	RemindResponse:      "📬 Les réponses aux propositions d'intervention partent aujourd'hui, %s, par message privé.",
	RemindProgramme:     "🗓️ Le programme des interventions est publié aujourd'hui : tapez `%s` pour le voir.",
	RemindEventEve:      "📍 C'est demain : **%s**, %s, %s.",
	RemindEventDay:      "☀️ C'est aujourd'hui : **%s**, %s, %s. Le programme : `%s`.",
	RemindBadge:         "🎟️ N'oubliez pas votre badge : l'inscription est obligatoire (%s).",

	CardTalks:            "Interventions",
	AnnounceCallForTalks: "proposez une intervention de %d à %d minutes avant le %s avec `%s`",
	AnnouncePreview:      "Aperçu de l'annonce, telle qu'elle sera publiée dans les salons Matrix :",
	Announced:            "📣 Annonce publiée dans les salons Matrix.",
}

var remindersEN = ReminderText{
	RemindersOn:         "🔔 Noted: you will get the reminders by direct message too.",
	RemindersOff:        "🔕 Noted: no more reminders by direct message (the rooms still get them).",
	RemindersUsage:      "Usage: `%[1]s` to see the next reminders, `%[1]s on` or `%[1]s off` to get them by direct message or not.",
	NoReminders:         "No reminder to come.",
	RemindersTitle:      "Next reminders",
	RemindersYouAreIn:   "You get them by direct message too (`%s` to stop).",
	RemindersYouCanJoin: "To get them by direct message too: `%s`.",
	LabelEventEve:       "Day before the fair",
	LabelAnnouncement:   "Announcement",
	LabelCustom:         "Reminder",
	RemindDeadline:      "⏳ Talk proposals: deadline %s! Propose a %d to %d minute talk for the stand before %s, right here with `%s`.",
	RemindResponse:      "📬 Answers to talk proposals go out today, %s, by direct message.",
	RemindProgramme:     "🗓️ The talk programme is published today: type `%s` to see it.",
	RemindEventEve:      "📍 Tomorrow: **%s**, %s, %s.",
	RemindEventDay:      "☀️ Today: **%s**, %s, %s. The programme: `%s`.",
	RemindBadge:         "🎟️ Don't forget your badge: registration is required (%s).",

	CardTalks:            "Talks",
	AnnounceCallForTalks: "propose a %d to %d minute talk before %s with `%s`",
	AnnouncePreview:      "Preview of the announcement, as it will be posted in the rooms:",
	Announced:            "📣 Announcement posted in the rooms.",
}
