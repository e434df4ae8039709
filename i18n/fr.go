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

	Past:          "passée",
	Ongoing:       "en cours",
	Today:         "aujourd'hui",
	Tomorrow:      "demain",
	InDays:        "dans %d jours",
	InHours:       "dans %d heures",
	InMinutes:     "dans %d minutes",
	TodayInHours:  "aujourd'hui, dans %d h",
	TodayInMinute: "dans %d min",

	CardWhen:             "Quand",
	CardWhere:            "Où",
	CardEntry:            "Entrée",
	CardInfo:             "Plus d'informations",
	CardContact:          "Contact",
	CardMore:             "Tapez `%[1]slieu` pour venir, `%[1]sdates` pour les échéances, `%[1]saide` pour tout le reste.",
	Free:                 "gratuite",
	Paid:                 "payante",
	RegistrationRequired: "inscription obligatoire",
	NoRegistration:       "sans inscription",

	VenueHowTo:   "Comment y aller ?",
	VenueNoGeo:   "",
	VenueMapBody: "%s (carte)",

	HoursTitle:     "Horaires",
	HoursDay:       "%s : %s",
	HoursOpenNow:   "Le salon est ouvert en ce moment, jusqu'à %s.",
	HoursClosedNow: "Le salon est fermé en ce moment.",
	HoursOver:      "Le salon est terminé.",
	HoursUnknown:   "Les horaires n'ont pas encore été publiés.",

	RegisterFreeRequired: "L'entrée est **gratuite**, mais l'**inscription est obligatoire** : créez votre badge avant de venir : %s",
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

	ProgrammeBuilding:      "Le programme des conférences est %s.",
	ProgrammePublishedOn:   "Il sera publié le %s (%s).",
	ProgrammeLate:          "Il était annoncé pour le %s : il arrive bientôt.",
	ProgrammeCallForTalks:  "Vous voulez intervenir ? Proposez une intervention de %d à %d minutes avant le %s, à %s.",
	ProgrammeCallForTalksN: "Vous voulez intervenir ? Proposez une intervention de %d à %d minutes avant le %s.",
	ProgrammeStatusDefault: "en cours de construction",

	HelpTitle:     "Ce que je sais faire",
	HelpQuestions: "Vous pouvez aussi me poser une question en français ou en anglais, par exemple « où a lieu le salon ? » ou « c'est payant ? » : en me mentionnant dans un salon, ou directement en message privé.",
	HelpCommands: map[string]string{
		"aide":        "cette aide",
		"salon":       "l'événement en bref : dates, lieu, entrée, contact",
		"lieu":        "l'adresse, comment venir, et la carte",
		"horaires":    "les horaires d'ouverture, jour par jour",
		"inscription": "l'entrée et le lien pour s'inscrire",
		"contact":     "l'adresse de l'équipe",
		"dates":       "les échéances, avec le temps restant",
		"programme":   "le programme des conférences",
	},

	UnknownCommand:   "Je ne connais pas la commande `%s`. Tapez `%s` pour la liste des commandes.",
	DidYouMean:       "Vouliez-vous dire `%s` ?",
	NoArguments:      "La commande `%s` ne prend pas d'argument : tapez-la seule.",
	QuestionFallback: "Je ne suis pas sûr d'avoir compris. Je peux vous répondre sur le lieu et comment venir, les horaires, l'entrée et l'inscription, les dates et la date limite des propositions, le programme et le contact. Essayez par exemple « comment venir ? », ou tapez `%s`.",
	InternalError:    "Désolé, je n'ai pas pu traiter votre demande. Réessayez dans un instant.",
	NotConfigured:    "Cette information n'a pas encore été publiée.",
	AnswerInDirect:   "Je vous ai répondu en message privé.",
	LanguageName:     "français",
}
