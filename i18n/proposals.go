package i18n

// ProposalText is what speakers read: the one-line commands and the
// step-by-step dialog that build a proposal, and its follow-up until the
// talk is confirmed.
type ProposalText struct {
	// Speakers' commands (!proposer, !mespropositions, !modifier, !retirer,
	// !confirmer).
	AlreadyConfirmed    string
	Confirmed           string
	Unconfirmed         string
	EditUsage           string
	ErrAbstractMissing  string
	ErrDeadlinePassed   string
	ErrDuration         string
	ErrDurationMissing  string
	ErrEditClosed       string
	ErrFieldEmpty       string
	ErrFieldTooLong     string
	ErrNotAccepted      string
	ErrTooManyFields    string
	ErrTooManyProposals string
	ErrWithdrawClosed   string
	FieldAbstract       string
	FieldAdministration string
	FieldDuration       string
	FieldSoftware       string
	FieldSpeakers       string
	FieldTitle          string
	MyProposalsTitle    string
	NoContact           string
	NoProposals         string
	ProposalConfirmed   string
	ProposalNext        string
	ProposalStored      string
	ProposalStoredBrief string
	ProposalUpdated     string
	ProposalWithdrawn   string
	ProposeUsage        string
	// Proposals is a count's noun, singular then plural.
	Proposals [2]string

	// The step-by-step dialog (!proposer alone).
	AskAbstract       string
	AskAdministration string
	AskConfirm        string
	AskMinutes        string
	AskSoftware       string
	AskTitle          string
	DialogCancelled   string
	DialogInDirect    string
	DialogIntro       string
	DialogSummary     string
	ErrDurationDialog string
}

var proposalsFR = ProposalText{
	AlreadyConfirmed:    "Votre intervention n°%d est déjà confirmée. Merci !",
	Confirmed:           "confirmée",
	Unconfirmed:         "non confirmée",
	EditUsage:           "Syntaxe : `%s N champ valeur`, où champ est titre, résumé, durée, administration, co-intervenants ou logiciel.",
	ErrAbstractMissing:  "Il manque le résumé : séparez-le du titre par « | ».",
	ErrDeadlinePassed:   "L'appel à propositions est clos depuis le %s. Pour toute question : %s.",
	ErrDuration:         "La durée doit être comprise entre %d et %d minutes (vous avez indiqué %d).",
	ErrDurationMissing:  "Commencez par la durée en minutes, par exemple 15.",
	ErrEditClosed:       "Les propositions ne sont plus modifiables depuis le %s. Écrivez à %s pour tout changement.",
	ErrFieldEmpty:       "Le champ « %s » est vide.",
	ErrFieldTooLong:     "Le champ « %s » est trop long : %d caractères au plus (vous en avez écrit %d).",
	ErrNotAccepted:      "La proposition n°%d n'est pas acceptée (ou pas encore annoncée) : il n'y a rien à confirmer.",
	ErrTooManyFields:    "Trop de champs : titre | résumé | administration | co-intervenants, au plus. Pour écrire une barre verticale dans un texte, tapez `\\|`.",
	ErrTooManyProposals: "Vous avez déjà %s en cours ; le maximum est de %d. Retirez-en une avec `%s N` pour en proposer une autre.",
	ErrWithdrawClosed:   "Depuis la date limite, seule l'équipe peut retirer une proposition : écrivez à %s.",
	FieldAbstract:       "Résumé",
	FieldAdministration: "Administration",
	FieldDuration:       "Durée",
	FieldSoftware:       "Logiciel libre",
	FieldSpeakers:       "Co-intervenants",
	FieldTitle:          "Titre",
	MyProposalsTitle:    "Vos propositions",
	NoContact:           "l'équipe",
	NoProposals:         "Vous n'avez encore proposé aucune intervention. Pour en proposer une : `%s`.",
	ProposalConfirmed:   "Merci ! Votre intervention n°%d « %s » est confirmée.",
	ProposalNext:        "Suivez-la avec `%s` ; modifiez-la avec `%s %d champ valeur` ou retirez-la avec `%s %d` avant la date limite.",
	ProposalStored:      "✅ Proposition n°%d enregistrée :",
	ProposalStoredBrief: "✅ Proposition n°%d « %s » enregistrée. Je vous envoie le détail en message privé.",
	ProposalUpdated:     "✏️ Proposition n°%d modifiée :",
	ProposalWithdrawn:   "Proposition n°%d « %s » retirée.",
	ProposeUsage:        "Pour proposer une intervention en une ligne : `%s 15 Titre | Résumé` (durée en minutes, titre, résumé ; en option `| administration | co-intervenants`). Ou tapez `%s` seul : je vous guide pas à pas.",
	Proposals:           [2]string{"proposition", "propositions"},

	AskAbstract:       "Résumez-la en quelques phrases.",
	AskAdministration: "Pour quelle administration intervenez-vous ? (« - » pour passer)",
	AskConfirm:        "On l'envoie ? Répondez « oui » pour l'enregistrer, « non » pour abandonner.",
	AskMinutes:        "Quelle durée, en minutes, entre %d et %d ?",
	AskSoftware:       "Quel logiciel libre utilisez-vous ? (« - » pour passer)",
	AskTitle:          "Quel est le titre de votre intervention ?",
	DialogCancelled:   "Proposition abandonnée : rien n'a été enregistré.",
	DialogInDirect:    "Je vous écris en message privé pour recueillir votre proposition.",
	DialogIntro:       "Préparons votre proposition d'intervention ! Je vous pose quelques questions ; répondez « annuler » à tout moment pour arrêter. L'appel à propositions est ouvert jusqu'au %s.",
	DialogSummary:     "Voici votre proposition :",
	ErrDurationDialog: "Indiquez un nombre de minutes entre %d et %d, par exemple 15.",
}

var proposalsEN = ProposalText{
	AlreadyConfirmed:    "Your talk no. %d is already confirmed. Thank you!",
	Confirmed:           "confirmed",
	Unconfirmed:         "not confirmed",
	EditUsage:           "Usage: `%s N field value`, where field is title, abstract, duration, administration, speakers or software.",
	ErrAbstractMissing:  "The abstract is missing: separate it from the title with “|”.",
	ErrDeadlinePassed:   "Proposals closed on %s. For any question: %s.",
	ErrDuration:         "The duration must be between %d and %d minutes (you gave %d).",
	ErrDurationMissing:  "Start with the duration in minutes, such as 15.",
	ErrEditClosed:       "Proposals can no longer be edited since %s. Write to %s for any change.",
	ErrFieldEmpty:       "The field “%s” is empty.",
	ErrFieldTooLong:     "The field “%s” is too long: %d characters at most (you wrote %d).",
	ErrNotAccepted:      "Proposal no. %d is not accepted (or not announced yet): there is nothing to confirm.",
	ErrTooManyFields:    "Too many fields: title | abstract | administration | speakers, at most. To write a vertical bar in a text, type `\\|`.",
	ErrTooManyProposals: "You already have %s in progress, the maximum is %d. Withdraw one with `%s N` to propose another.",
	ErrWithdrawClosed:   "Since the deadline, only the team can withdraw a proposal: write to %s.",
	FieldAbstract:       "Abstract",
	FieldAdministration: "Administration",
	FieldDuration:       "Duration",
	FieldSoftware:       "Free software",
	FieldSpeakers:       "Co-speakers",
	FieldTitle:          "Title",
	MyProposalsTitle:    "Your proposals",
	NoContact:           "the team",
	NoProposals:         "You have not proposed any talk yet. To propose one: `%s`.",
	ProposalConfirmed:   "Thank you! Your talk no. %d “%s” is confirmed.",
	ProposalNext:        "Follow it with `%s`; edit it with `%s %d field value` or withdraw it with `%s %d` before the deadline.",
	ProposalStored:      "✅ Proposal no. %d stored:",
	ProposalStoredBrief: "✅ Proposal no. %d “%s” stored. I'm sending you the details in a direct message.",
	ProposalUpdated:     "✏️ Proposal no. %d updated:",
	ProposalWithdrawn:   "Proposal no. %d “%s” withdrawn.",
	ProposeUsage:        "To propose a talk in one line: `%s 15 Title | Abstract` (minutes, title, abstract; optionally `| administration | co-speakers`). Or type `%s` alone: I'll guide you step by step.",
	Proposals:           [2]string{"proposal", "proposals"},

	AskAbstract:       "Sum it up in a few sentences.",
	AskAdministration: "Which administration do you speak for? (“-” to skip)",
	AskConfirm:        "Shall I send it? Answer “yes” to store it, “no” to drop it.",
	AskMinutes:        "How long, in minutes, between %d and %d?",
	AskSoftware:       "Which free software do you use? (“-” to skip)",
	AskTitle:          "What is the title of your talk?",
	DialogCancelled:   "Dropped: nothing was stored.",
	DialogInDirect:    "I'm writing to you in a direct message to take your proposal.",
	DialogIntro:       "Let's prepare your talk proposal! I'll ask a few questions; answer “cancel” at any time to stop. Proposals are open until %s.",
	DialogSummary:     "Here is your proposal:",
	ErrDurationDialog: "Give a number of minutes between %d and %d, such as 15.",
}
