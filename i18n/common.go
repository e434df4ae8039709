package i18n

// CommonText holds the texts no single family owns: what the router and
// the bot say around every command, and the proposal words that speakers'
// and organisers' commands share.
type CommonText struct {
	// Around every command: limits, the router's errors, replies moved to
	// direct messages.
	TooManyMessages string
	MessageTooLong  string
	UnknownCommand  string // %s command as typed, %s help command
	DidYouMean      string // %s suggestion
	NoArguments     string // %s command
	OrganisersOnly  string
	InternalError   string
	AnswerInDirect  string

	// Help (!aide).
	HelpTitle     string
	HelpQuestions string

	// Proposals by number, for speakers and organisers alike.
	IDUsage           string
	ErrNoSuchProposal string
	ErrWithdrawn      string
	States            map[string]string // proposal state -> word
}

var commonFR = CommonText{
	TooManyMessages: "Vous m'écrivez beaucoup : je fais une pause d'une minute avant de vous répondre à nouveau.",
	MessageTooLong:  "Ce message est trop long pour moi (16 ko au plus). Pouvez-vous le raccourcir ?",
	UnknownCommand:  "Je ne connais pas la commande `%s`. Tapez `%s` pour la liste des commandes.",
	DidYouMean:      "Vouliez-vous dire `%s` ?",
	NoArguments:     "La commande `%s` ne prend pas d'argument : tapez-la seule.",
	OrganisersOnly:  "La commande `%s` est réservée aux organisateurs.",
	InternalError:   "Désolé, je n'ai pas pu traiter votre demande. Réessayez dans un instant.",
	AnswerInDirect:  "Je vous ai répondu en message privé.",

	HelpTitle:     "Ce que je sais faire",
	HelpQuestions: "Vous pouvez aussi me poser une question, en français ou en anglais, en me mentionnant dans un salon Matrix ou directement en message privé. Par exemple : « où a lieu le salon ? » ou « c'est payant ? ».",

	IDUsage:           "Syntaxe : `%s N`, où N est le numéro de la proposition.",
	ErrNoSuchProposal: "Je ne trouve aucune proposition n°%d à laquelle vous avez accès.",
	ErrWithdrawn:      "La proposition n°%d a été retirée.",
	States: map[string]string{
		"submitted": "soumise", "accepted": "acceptée", "rejected": "refusée", "withdrawn": "retirée", "scheduled": "programmée",
	},
}

var commonEN = CommonText{
	TooManyMessages: "You are writing a lot: I am pausing for a minute before answering you again.",
	MessageTooLong:  "This message is too long for me (16 kB at most). Could you shorten it?",
	UnknownCommand:  "I don't know the command `%s`. Type `%s` for the list of commands.",
	DidYouMean:      "Did you mean `%s`?",
	NoArguments:     "The command `%s` takes no argument: type it alone.",
	OrganisersOnly:  "The command `%s` is for organisers only.",
	InternalError:   "Sorry, I could not handle your request. Please try again in a moment.",
	AnswerInDirect:  "I answered you in a direct message.",

	HelpTitle:     "What I can do",
	HelpQuestions: "You can also ask me a question in English or French, such as “where is the fair?” or “is it free?”: mention me in a room, or write to me directly.",

	IDUsage:           "Usage: `%s N`, where N is the proposal's number.",
	ErrNoSuchProposal: "I can't find a proposal no. %d that you may see.",
	ErrWithdrawn:      "Proposal no. %d was withdrawn.",
	States: map[string]string{
		"submitted": "submitted", "accepted": "accepted", "rejected": "rejected", "withdrawn": "withdrawn", "scheduled": "scheduled",
	},
}
