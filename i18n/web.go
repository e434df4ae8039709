package i18n

// WebText is the programme's web page.
type WebText struct {
	PageTitle      string // %s event title
	PageSubtitle   string
	PageSkip       string
	PageNow        string
	PageMinutes    string // %d minutes
	PageVenue      string
	PageAccess     string
	PageMap        string
	PageRegister   string
	PageCalendar   string
	PageSoon       string // %s date
	PageNotYet     string
	PagePropose    string // %s command, %s address
	PageProposeN   string // %s command
	PageOtherLang  string
	PageOtherLabel string
	PageFooter     string
	PageNoTalks    string
}

var webFR = WebText{
	PageTitle:      "Programme — %s",
	PageSubtitle:   "Les interventions sur le stand",
	PageSkip:       "Aller au programme",
	PageNow:        "En cours",
	PageMinutes:    "%d min",
	PageVenue:      "Le lieu",
	PageAccess:     "Comment venir",
	PageMap:        "Voir le plan sur OpenStreetMap",
	PageRegister:   "S'inscrire (badge)",
	PageCalendar:   "Ajouter le programme à mon agenda (.ics)",
	PageSoon:       "Le programme sera publié le %s.",
	PageNotYet:     "Le programme n'est pas encore publié.",
	PagePropose:    "Pour proposer une intervention, tapez %s dans le salon Matrix, ou écrivez à %s.",
	PageProposeN:   "Pour proposer une intervention, tapez %s dans le salon Matrix.",
	PageOtherLang:  "English",
	PageOtherLabel: "Read this page in English",
	PageFooter:     "Page tenue à jour par bluehats-bot, le bot Matrix de la communauté BlueHats.",
	PageNoTalks:    "Aucune intervention ce jour-là.",
}

var webEN = WebText{
	PageTitle:      "Programme — %s",
	PageSubtitle:   "The talks at the stand",
	PageSkip:       "Skip to the programme",
	PageNow:        "On now",
	PageMinutes:    "%d min",
	PageVenue:      "The venue",
	PageAccess:     "Getting there",
	PageMap:        "See the map on OpenStreetMap",
	PageRegister:   "Register (badge)",
	PageCalendar:   "Add the programme to my calendar (.ics)",
	PageSoon:       "The programme will be published on %s.",
	PageNotYet:     "The programme is not published yet.",
	PagePropose:    "To propose a talk, type %s in the Matrix room, or write to %s.",
	PageProposeN:   "To propose a talk, type %s in the Matrix room.",
	PageOtherLang:  "Français",
	PageOtherLabel: "Lire cette page en français",
	PageFooter:     "Page kept up to date by bluehats-bot, the BlueHats community's Matrix bot.",
	PageNoTalks:    "No talk that day.",
}
