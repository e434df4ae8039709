package i18n

// ReviewText is what organisers read while sorting proposals, and the
// decisions they send; a decision reaches its author in the author's
// language, not the organiser's.
type ReviewText struct {
	// Review and decision (!propositions, !voir, !noter, !accepter, !refuser).
	AlreadyDecided    string
	ConfirmHow        string
	DecideUsage       string
	Decided           string
	DecisionAccepted  string
	DecisionNote      string
	DecisionRejected  string
	ErrUnknownState   string
	FieldAuthor       string
	FieldComment      string
	FieldDecisionNote string
	FieldState        string
	FieldSubmitted    string
	NextPage          string
	NoProposalsYet    string
	NotifiedNow       string
	NotifiedOn        string
	PageOf            string
	ProposalsTitle    string
	ReviewCount       string
	ReviewStored      string
	ReviewUsage       string
	ReviewsTitle      string

	// Export (!export).
	ExportUsage   string
	ExportHeaders []string
}

var reviewFR = ReviewText{
	AlreadyDecided:    "La proposition n°%d est déjà %s.",
	ConfirmHow:        "Confirmez votre venue avec `%s %d`, ou en réagissant avec ✅ à ce message.",
	DecideUsage:       "Syntaxe : `%s N [message pour l'auteur]`.",
	Decided:           "Proposition n°%d « %s » : %s. %s",
	DecisionAccepted:  "🎉 Bonne nouvelle : votre proposition n°%d « %s » est acceptée !",
	DecisionNote:      "Message des organisateurs : %s",
	DecisionRejected:  "Votre proposition n°%d « %s » n'a pas été retenue cette fois-ci. Merci pour votre participation !",
	ErrUnknownState:   "État inconnu : « %s ». États possibles : soumises, acceptées, refusées, retirées, programmées.",
	FieldAuthor:       "Auteur",
	FieldComment:      "Commentaire",
	FieldDecisionNote: "Message de décision",
	FieldState:        "État",
	FieldSubmitted:    "Soumise le",
	NextPage:          "Page suivante : `%s`",
	NoProposalsYet:    "Aucune proposition pour l'instant.",
	NotifiedNow:       "L'auteur vient d'être prévenu.",
	NotifiedOn:        "L'auteur sera prévenu le %s.",
	PageOf:            "page %d/%d, %d au total",
	ProposalsTitle:    "Propositions",
	ReviewCount:       "%d avis",
	ReviewStored:      "Note enregistrée pour la proposition n°%d : %d/5.",
	ReviewUsage:       "Syntaxe : `%s N note [commentaire]`, avec une note de 1 à 5.",
	ReviewsTitle:      "Avis des organisateurs",

	ExportUsage: "Syntaxe : `%[1]s csv` ou `%[1]s json`.",
	ExportHeaders: []string{"numéro", "état", "auteur", "nom", "durée (min)", "titre", "résumé", "administration",
		"co-intervenants", "logiciel", "note moyenne", "avis", "créneau", "confirmée", "message de décision", "soumise le"},
}

var reviewEN = ReviewText{
	AlreadyDecided:    "Proposal no. %d is already %s.",
	ConfirmHow:        "Confirm you will come with `%s %d`, or react ✅ to this message.",
	DecideUsage:       "Usage: `%s N [message for the author]`.",
	Decided:           "Proposal no. %d “%s”: %s. %s",
	DecisionAccepted:  "🎉 Good news: your proposal no. %d “%s” is accepted!",
	DecisionNote:      "Message from the organisers: %s",
	DecisionRejected:  "Your proposal no. %d “%s” was not selected this time. Thank you for proposing it!",
	ErrUnknownState:   "Unknown state: “%s”. States: submitted, accepted, rejected, withdrawn, scheduled.",
	FieldAuthor:       "Author",
	FieldComment:      "Comment",
	FieldDecisionNote: "Decision message",
	FieldState:        "State",
	FieldSubmitted:    "Submitted on",
	NextPage:          "Next page: `%s`",
	NoProposalsYet:    "No proposals yet.",
	NotifiedNow:       "The author is told now.",
	NotifiedOn:        "The author will be told on %s.",
	PageOf:            "page %d/%d, %d in all",
	ProposalsTitle:    "Proposals",
	ReviewCount:       "%d reviews",
	ReviewStored:      "Score stored for proposal no. %d: %d/5.",
	ReviewUsage:       "Usage: `%s N score [comment]`, with a score from 1 to 5.",
	ReviewsTitle:      "Organisers' reviews",

	ExportUsage: "Usage: `%[1]s csv` or `%[1]s json`.",
	ExportHeaders: []string{"number", "state", "author", "name", "minutes", "title", "abstract", "administration",
		"co-speakers", "software", "average score", "reviews", "slot", "confirmed", "decision message", "submitted at"},
}
