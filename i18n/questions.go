package i18n

// QuestionText answers free questions, asked in a sentence rather than a
// command, when no command's answer fits them as is.
type QuestionText struct {
	// Free questions whose answer is no command's.
	AnswerResponse     string // %s date, %s countdown
	AnswerResponsePast string // %s date
	AnswerResponseDM   string // %s !mespropositions
	AnswerResponseNone string
	AnswerPropose      string // %d min, %d max, %s !proposer, %s deadline, %s countdown
	AnswerProposeMail  string // %s contact address
	AnswerProposeNext  string // %s response date, %s programme date
	AnswerProposeShut  string // %s deadline
	AnswerUnknown      string
	AnswerAskTeam      string // %s contact address
	AnswerMoreInfo     string // %s link
	QuestionFallback   string // %s help command

	// Organisers' FAQ (!faq).
	FAQTitle string
	FAQNone  string
}

var questionsFR = QuestionText{
	AnswerResponse:     "📬 L'équipe répond aux propositions d'intervention le %s (%s).",
	AnswerResponsePast: "📬 L'équipe a répondu aux propositions d'intervention le %s.",
	AnswerResponseDM:   "Si vous avez proposé avec le bot, la réponse vous arrive en message privé ; `%s` montre où en sont vos propositions.",
	AnswerResponseNone: "📬 Je n'ai pas la date de réponse aux propositions.",
	AnswerPropose:      "🎤 Pour proposer une intervention de %d à %d minutes, tapez `%s` : je vous guide pas à pas. Date limite : %s (%s).",
	AnswerProposeMail:  "Vous pouvez aussi écrire à %s.",
	AnswerProposeNext:  "Réponse le %s, programme publié le %s.",
	AnswerProposeShut:  "🎤 L'appel à interventions est clos depuis le %s.",
	AnswerUnknown:      "Je n'ai pas cette information.",
	AnswerAskTeam:      "L'équipe pourra vous répondre : %s.",
	AnswerMoreInfo:     "Plus d'informations : %s.",
	QuestionFallback:   "Je ne suis pas sûr d'avoir compris. Je peux vous renseigner sur le salon et ses dates, le lieu et l'accès, les horaires, l'entrée et l'inscription, le programme, les propositions d'intervention et la date de réponse, et le contact. Essayez par exemple « comment venir ? », ou tapez `%s`.",

	FAQTitle: "Questions fréquentes",
	FAQNone:  "Les organisateurs n'ont pas encore ajouté de questions fréquentes.",
}

var questionsEN = QuestionText{
	AnswerResponse:     "📬 The team answers talk proposals on %s (%s).",
	AnswerResponsePast: "📬 The team answered talk proposals on %s.",
	AnswerResponseDM:   "If you proposed through the bot, the answer comes to you by direct message; `%s` shows where your proposals stand.",
	AnswerResponseNone: "📬 I don't have the date of the answers to proposals.",
	AnswerPropose:      "🎤 To propose a %d to %d minute talk, type `%s`: I'll guide you step by step. Deadline: %s (%s).",
	AnswerProposeMail:  "You can also write to %s.",
	AnswerProposeNext:  "Answers on %s, programme published on %s.",
	AnswerProposeShut:  "🎤 The call for talks closed on %s.",
	AnswerUnknown:      "I don't have that information.",
	AnswerAskTeam:      "The team can answer you: %s.",
	AnswerMoreInfo:     "More information: %s.",
	QuestionFallback:   "I'm not sure I understood. I can tell you about the fair and its dates, the venue and how to get there, opening hours, entry and registration, the programme, talk proposals and when they are answered, and the contact address. Try for instance “how do I get there?”, or type `%s`.",

	FAQTitle: "Frequently asked questions",
	FAQNone:  "The organisers have not added any frequently asked questions yet.",
}
