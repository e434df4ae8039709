package i18n

// EventDayText serves members at the fair itself: what is on at the stand
// now, the talks they follow, and the programme widget.
type EventDayText struct {
	// What is on (!maintenant).
	NowOn          string // %s end time, %s title, %s speakers
	NowNothing     string
	NowNext        string
	NowLine        string // %s start time, %s title, %s speakers
	NowNextDay     string // %s day
	NowNoMore      string // %s programme link
	NowOver        string // %s programme link
	NowUnpublished string // %s programme command

	// Following talks (!suivre).
	FollowUsage       string // %[1]s the command
	FollowDone        string // %s title, %s date and time, %s notice
	FollowAgain       string // %s title
	FollowStopped     string // %s title
	FollowWasNot      string // %d talk number
	FollowNotListed   string // %d talk number, %s programme command
	FollowNone        string // %s the command, %s programme command
	FollowListTitle   string
	FollowLine        string // %d number, %s date and time, %s title, %s speakers
	FollowNotice      string // %s how long, %s title, %s speakers, %s time
	FollowHint        string // %s the command
	FollowReactHint   string
	FollowNoticeShort string // %d minutes

	// The programme widget (!widget).
	WidgetUsage   string // %[1]s the command
	WidgetAdded   string
	WidgetRemoved string
	WidgetNone    string
	WidgetNoPower string
	WidgetNoPage  string
	WidgetName    string
}

var eventDayFR = EventDayText{
	NowOn:          "🎤 **En ce moment** sur le stand, jusqu'à %s : « %s » — %s",
	NowNothing:     "Pas d'intervention sur le stand en ce moment.",
	NowNext:        "⏭️ **Ensuite** :",
	NowLine:        "- %s · « %s » — %s",
	NowNextDay:     "📅 **Premières interventions, %s** :",
	NowNoMore:      "Plus d'intervention prévue sur le stand. Le programme : %s",
	NowOver:        "Le salon est terminé : merci à toutes et à tous ! Le programme reste en ligne : %s",
	NowUnpublished: "Le programme n'est pas encore publié : tapez `%s` pour savoir quand il le sera.",

	FollowUsage:       "Syntaxe : `%[1]s N` pour suivre l'intervention n°N, `%[1]s N non` pour ne plus la suivre, `%[1]s` seul pour la liste.",
	FollowDone:        "⭐ Vous suivez « %s » (%s) : je vous écrirai en message privé %s avant.",
	FollowAgain:       "Vous suivez déjà « %s ».",
	FollowStopped:     "Vous ne suivez plus « %s ».",
	FollowWasNot:      "Vous ne suiviez pas l'intervention n°%d.",
	FollowNotListed:   "L'intervention n°%d n'est pas au programme publié : les numéros sont dans `%s`.",
	FollowNone:        "Vous ne suivez aucune intervention. Pour en suivre une : `%s N`, avec son numéro dans `%s`.",
	FollowListTitle:   "Les interventions que vous suivez",
	FollowLine:        "- n°%d · %s · « %s » — %s",
	FollowNotice:      "⏰ Dans %s sur le stand : « %s » — %s, à %s.",
	FollowHint:        "⭐ Pour être prévenu avant une intervention : `%s N`.",
	FollowReactHint:   "Réagissez ⭐ à ce message pour la suivre.",
	FollowNoticeShort: "%d minutes",

	WidgetUsage:   "Syntaxe : `%[1]s` pour ajouter le programme au salon, `%[1]s non` pour le retirer.",
	WidgetAdded:   "🗓️ Le programme est ajouté au salon : ouvrez le panneau latéral (Extensions) pour le voir.",
	WidgetRemoved: "Le programme est retiré du salon.",
	WidgetNone:    "Il n'y a pas de programme dans ce salon.",
	WidgetNoPower: "Je n'ai pas le niveau de droits nécessaire pour modifier les extensions de ce salon : donnez-moi le rôle de modérateur.",
	WidgetNoPage:  "La page du programme n'est pas en ligne : il faut `http.public: true` et `http.public_url` dans la configuration.",
	WidgetName:    "Programme",
}

var eventDayEN = EventDayText{
	NowOn:          "🎤 **On now** at the stand, until %s: “%s” — %s",
	NowNothing:     "No talk at the stand right now.",
	NowNext:        "⏭️ **Next**:",
	NowLine:        "- %s · “%s” — %s",
	NowNextDay:     "📅 **First talks, %s**:",
	NowNoMore:      "No more talks at the stand. The programme: %s",
	NowOver:        "The event is over: thank you all! The programme stays online: %s",
	NowUnpublished: "The programme is not published yet: type `%s` to know when it will be.",

	FollowUsage:       "Usage: `%[1]s N` to follow talk no. N, `%[1]s N off` to stop, `%[1]s` alone for the list.",
	FollowDone:        "⭐ You follow “%s” (%s): I will send you a direct message %s before.",
	FollowAgain:       "You already follow “%s”.",
	FollowStopped:     "You no longer follow “%s”.",
	FollowWasNot:      "You were not following talk no. %d.",
	FollowNotListed:   "Talk no. %d is not in the published programme: the numbers are in `%s`.",
	FollowNone:        "You follow no talk. To follow one: `%s N`, with its number from `%s`.",
	FollowListTitle:   "The talks you follow",
	FollowLine:        "- no. %d · %s · “%s” — %s",
	FollowNotice:      "⏰ In %s at the stand: “%s” — %s, at %s.",
	FollowHint:        "⭐ To be told before a talk: `%s N`.",
	FollowReactHint:   "React ⭐ to this message to follow it.",
	FollowNoticeShort: "%d minutes",

	WidgetUsage:   "Usage: `%[1]s` to add the programme to the room, `%[1]s off` to remove it.",
	WidgetAdded:   "🗓️ The programme is added to the room: open the side panel (Extensions) to see it.",
	WidgetRemoved: "The programme is removed from the room.",
	WidgetNone:    "There is no programme in this room.",
	WidgetNoPower: "I lack the power level to change this room's widgets: make me a moderator.",
	WidgetNoPage:  "The programme page is not online: the config needs `http.public: true` and `http.public_url`.",
	WidgetName:    "Programme",
}
