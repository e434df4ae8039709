package match

// Cue weights. A question needs minScore to get an answer, so a single
// "specific" word is enough, a "hint" needs help (another cue, or the
// question being about the event), and "faint" cues only break ties between
// intents already suggested by something else.
const (
	strong   = 3.5  // multi-word cue that leaves no doubt ("date limite", "how much")
	specific = 3.0  // a word only this intent uses ("horaires", "badge", "metro")
	good     = 2.5  // usually this intent, sometimes not
	medium   = 2.0  // leans towards this intent
	hint     = 1.5  // needs company to count
	faint    = 1.25 // question words: "quand", "when"
	weakest  = 1.0  // "où"/"ou" is also "or" once accents are gone
)

// Pseudo-intents: they take part in matching (so their words are not
// re-read as other cues) but are never returned.
const (
	domain   Intent = "\x00domain"   // words naming the event itself
	offTopic Intent = "\x00offtopic" // clearly about something else
)

type cueFlag uint8

const (
	// needsDomain cues ("c'est quoi", "what is") are too generic to count
	// unless the question also names the event, or "what is the capital of
	// France" would be about the event.
	needsDomain cueFlag = 1 << iota
	// whole cues count only when they are (nearly) the whole question:
	// "what time is it" is off topic, "what time is it open" is not.
	whole
)

type cueSet struct {
	intent  Intent
	lang    Lang // "" when both languages use the cue
	weight  float64
	flags   cueFlag
	phrases []string
}

const (
	fr   Lang = French
	en   Lang = English
	both Lang = ""
)

// cueTable is written in plain French and English, accents included: New
// normalises and stems every phrase the same way as questions, so the table
// stays readable and cannot drift from the matching rules. Words in a phrase
// must appear in order, with at most maxGap other words between them.
var cueTable = []cueSet{
	// Venue: where the event is.
	{Venue, fr, strong, 0, []string{
		"où a lieu", "a lieu où", "où se trouve", "où se situe", "où se déroule", "où se passe",
		"où se tient", "c'est où", "où est-ce", "quelle adresse", "quel lieu", "quel endroit",
		"dans quelle ville", "quelle salle", "où ça se passe", "se déroule où", "se passe où", "se trouve où",
	}},
	{Venue, fr, specific, 0, []string{"adresse", "localisation", "emplacement", "endroit"}},
	{Venue, fr, good, 0, []string{"lieu", "situé", "se trouve"}},
	{Venue, both, good, 0, []string{"palais des congrès", "porte maillot"}},
	{Venue, fr, hint, 0, []string{"où est", "où ça", "a lieu"}},
	{Venue, fr, weakest, 0, []string{"où"}},
	{Venue, en, strong, 0, []string{
		"where is it", "where is the event", "where does it take place", "where will it be",
		"where is it held", "where is the event held", "where does the event take place", "which city", "which building", "which room", "where are you",
	}},
	{Venue, en, specific, 0, []string{"address", "location", "venue"}},
	{Venue, en, good, 0, []string{"located"}},
	{Venue, en, hint, 0, []string{"where is"}},
	{Venue, en, weakest, 0, []string{"where"}},

	// Access: how to get there.
	{Access, fr, strong, 0, []string{
		"comment venir", "comment y aller", "comment aller", "comment se rendre", "comment s'y rendre",
		"comment accéder", "comment on y va", "comment y accéder", "quelle ligne", "quel métro",
		"quelle station", "quel bus", "quel rer", "transports en commun", "moyens de transport",
		"fauteuil roulant",
	}},
	{Access, fr, specific, 0, []string{
		"itinéraire", "gare", "stationner", "garer", "accès", "accessibilité", "pmr", "accessible",
	}},
	{Access, both, specific, 0, []string{"métro", "rer", "bus", "station", "parking", "tram", "tramway"}},
	{Access, fr, good, 0, []string{"y aller", "se rendre", "accéder", "transport", "sortie", "pour venir"}},
	{Access, fr, hint, 0, []string{"voiture", "vélo"}},
	{Access, both, good, 0, []string{"taxi"}},
	// "en train de" is French for "in the middle of", and people buy cars.
	{Access, both, hint, 0, []string{"train"}},
	{Access, fr, strong, 0, []string{"en voiture", "à vélo", "prendre le train", "venir en train", "en taxi"}},
	{Access, en, strong, 0, []string{"by car", "by bike", "by train", "by taxi", "by metro", "by bus"}},
	{Access, fr, hint, 0, []string{"venir"}},
	{Access, en, strong, 0, []string{
		"how do i get there", "how to get there", "how can i get there", "get there", "getting there",
		"how to get to", "how do i get to", "how can i get to", "how to reach", "public transport",
		"which line", "which station", "nearest station", "which metro", "which bus", "how to come",
	}},
	{Access, en, specific, 0, []string{
		"directions", "subway", "underground", "wheelchair", "accessibility", "commute",
	}},
	{Access, en, good, 0, []string{"get to", "transportation", "access"}},
	{Access, en, hint, 0, []string{"car", "bike", "reach"}},

	// Price: is it free.
	{Price, fr, strong, 0, []string{
		"c'est payant", "c'est gratuit", "combien ça coûte", "combien coûte", "ça coûte", "faut-il payer",
		"est-ce gratuit", "est-ce payant", "prix d'entrée", "combien ça fait", "il faut payer",
		"c'est combien",
	}},
	{Price, fr, specific, 0, []string{
		"payant", "payante", "gratuit", "gratuite", "gratuitement", "gratuité", "prix", "tarif",
		"coût", "coûte", "payer", "cher",
	}},
	{Price, both, specific, 0, []string{"euros", "euro"}},
	{Price, fr, good, 0, []string{"billet", "frais"}},
	{Price, fr, hint, 0, []string{"combien", "entrée"}},
	{Price, en, strong, 0, []string{
		"how much", "is it free", "free of charge", "entrance fee", "admission fee", "do i have to pay",
		"do i need to pay", "ticket price", "for free",
	}},
	{Price, en, specific, 0, []string{"free", "price", "cost", "fee", "pay", "paid", "pricing", "expensive"}},
	{Price, en, good, 0, []string{"ticket", "cheap"}},
	{Price, en, medium, 0, []string{"admission", "charge"}},

	// Hours: opening times.
	{Hours, fr, strong, 0, []string{
		"à quelle heure", "quelle heure", "heures d'ouverture", "horaires d'ouverture", "heure d'ouverture",
		"heure de fermeture", "jusqu'à quelle heure", "à partir de quelle heure", "quand ouvre",
		"quand ferme", "ça ouvre", "ça ferme", "ouvre à",
	}},
	{Hours, fr, specific, 0, []string{"horaires", "horaire", "ouverture", "fermeture"}},
	{Hours, fr, good, 0, []string{"ouvre", "ouvert", "ouverte", "ouvrent", "ferme", "ferment"}},
	{Hours, fr, medium, 0, []string{"heure"}},
	{Hours, fr, weakest, 0, []string{"matin", "soir", "midi", "tôt", "tard", "commence", "finit", "termine"}},
	{Hours, en, strong, 0, []string{
		"what time", "opening hours", "opening times", "when does it open", "when does it close",
		"when open", "when close", "how late", "how early", "until what time", "doors open",
		"start time", "end time", "what hours", "closing time",
	}},
	{Hours, en, specific, 0, []string{"hours"}},
	{Hours, en, good, 0, []string{"open", "opens", "close", "closes", "closing", "opening"}},
	{Hours, en, weakest, 0, []string{"morning", "evening", "start", "starts", "end", "finish"}},

	// Deadline: last day for proposals.
	{Deadline, fr, strong, 0, []string{
		"date limite", "jusqu'à quand", "dernier délai", "avant quand", "date butoir", "quand proposer",
		"quand envoyer", "quand soumettre", "quand candidater", "quel délai",
	}},
	{Deadline, fr, specific, 0, []string{"limite", "délai", "clôture", "butoir"}},
	// When authors hear back is a milestone of the call, answered with it.
	{Deadline, fr, good, 0, []string{"acceptée", "accepté", "retenue", "retenu", "sélectionnée"}},
	{Deadline, en, good, 0, []string{"accepted", "selected"}},
	{Deadline, both, strong, 0, []string{"deadline"}},
	{Deadline, en, strong, 0, []string{
		"due date", "until when", "last day to", "when submit", "when should i send", "cut off",
		"closing date", "latest date", "how long do i have", "by when", "last date",
	}},
	{Deadline, en, specific, 0, []string{"cutoff", "due"}},

	// Dates: when the event is.
	{Dates, fr, strong, 0, []string{
		"quelles dates", "quel jour", "quelle date", "quand a lieu", "a lieu quand", "quand se déroule",
		"quand se tient", "quand commence", "quand finit", "quand se termine", "combien de jours",
		"quel mois", "combien de temps", "c'est quand le salon", "se déroule quand", "se passe quand",
	}},
	{Dates, fr, specific, 0, []string{"dates", "date"}},
	{Dates, fr, good, 0, []string{"c'est quand", "quand est-ce", "décembre", "durée"}},
	{Dates, fr, medium, 0, []string{"jour", "calendrier"}},
	{Dates, fr, faint, 0, []string{"quand"}},
	{Dates, en, strong, 0, []string{
		"when is it", "when is the event", "when is the conference", "what day", "which day",
		"what date", "what dates", "when does it take place", "when does the event take place", "when does it start", "when does it end",
		"how many days", "how long does it last", "when will it be", "when is it happening",
	}},
	{Dates, en, good, 0, []string{"december", "duration"}},
	{Dates, en, medium, 0, []string{"how long", "day"}},
	{Dates, en, faint, 0, []string{"when"}},

	// Registration: badge, sign-up.
	{Registration, fr, strong, 0, []string{
		"comment s'inscrire", "où s'inscrire", "s'inscrire", "créer mon badge", "créer un badge",
		"obtenir un badge", "avoir un badge", "inscription obligatoire", "faut-il s'inscrire",
		"s'inscrire pour venir", "inscrire pour venir", "badge pour venir",
	}},
	{Registration, fr, specific, 0, []string{
		"inscrire", "inscription", "inscrit", "inscrite", "enregistrer", "réserver", "réservation",
	}},
	{Registration, both, specific, 0, []string{"badge"}},
	{Registration, fr, good, 0, []string{"billetterie"}},
	{Registration, fr, hint, 0, []string{"obligatoire"}},
	// Whether anyone may come: the answer is the registration rule.
	{Registration, fr, strong, 0, []string{"ouvert à tous", "ouvert au public", "ouvert aux", "ouvert à tout le monde"}},
	{Registration, en, strong, 0, []string{"open to everyone", "open to the public", "open to anyone", "open to all"}},
	{Registration, en, strong, 0, []string{
		"how do i register", "sign up", "get a badge", "registration link", "where do i register",
		"register to attend", "register to come", "badge to get in",
	}},
	{Registration, en, specific, 0, []string{"register", "registration", "registered", "signup", "rsvp"}},
	{Registration, en, good, 0, []string{"booking", "enroll"}},
	{Registration, en, medium, 0, []string{"book"}},
	{Registration, en, hint, 0, []string{"attend"}},

	// Contact: who to write to.
	{Contact, fr, strong, 0, []string{
		"qui contacter", "à qui écrire", "à qui m'adresser", "à qui s'adresser", "adresse mail",
		"adresse email", "adresse e-mail", "adresse électronique", "adresse de contact",
		"joindre l'équipe", "contacter l'équipe", "numéro de téléphone", "écrire à l'équipe",
	}},
	{Contact, fr, specific, 0, []string{"contacter", "joindre", "courriel", "téléphone", "adresser"}},
	{Contact, both, specific, 0, []string{"contact", "email", "e-mail", "mail"}},
	{Contact, fr, good, 0, []string{"écrire", "poser une question"}},
	{Contact, fr, hint, 0, []string{"organisateurs", "équipe", "responsable"}},
	{Contact, en, strong, 0, []string{
		"how can i contact", "get in touch", "reach out", "who should i contact", "who can i ask",
		"who to contact", "email address", "contact the team", "reach the team", "phone number",
		"talk to someone", "write to the team", "reach you", "contact you",
	}},
	{Contact, en, good, 0, []string{"phone", "write to"}},
	{Contact, en, hint, 0, []string{"team", "organizers", "organisers"}},

	// Programme: which talks.
	{Programme, fr, strong, 0, []string{
		"quel est le programme", "quelles conférences", "quels intervenants", "qui intervient",
		"qui parle", "qui présente", "programme des conférences", "liste des conférences",
		"quels ateliers", "quels sujets", "programme publié", "publication du programme",
	}},
	{Programme, both, specific, 0, []string{"programme", "agenda", "sessions", "session"}},
	{Programme, fr, specific, 0, []string{"conférences", "conférence", "intervenants", "ateliers", "planning", "orateurs"}},
	{Programme, both, good, 0, []string{"talks", "talk"}},
	{Programme, fr, medium, 0, []string{"sujets", "présentations"}},
	{Programme, fr, hint, 0, []string{"publié", "publication"}},
	{Programme, en, strong, 0, []string{
		"what's the schedule", "which talks", "what talks", "who is speaking", "who are the speakers",
		"list of talks", "programme published", "program published", "when programme",
	}},
	{Programme, en, specific, 0, []string{"program", "schedule", "speakers", "lineup", "workshops", "timetable"}},
	{Programme, en, good, 0, []string{"presentations", "keynote", "line up"}},
	{Programme, en, hint, 0, []string{"published"}},

	// Propose: call for talks.
	{Propose, fr, strong, 0, []string{
		"proposer une intervention", "proposer un talk", "proposer une conférence", "faire un talk",
		"faire une conférence", "faire une présentation", "donner une conférence", "donner un talk",
		"appel à conférences", "appel à propositions", "appel à communications", "appel à interventions",
		"appel à participation", "intervenir sur le stand", "je veux parler", "présenter mon projet",
		"présenter un projet", "envoyer une proposition",
	}},
	{Propose, fr, specific, 0, []string{
		"proposer", "proposition", "propositions", "intervenir", "candidater", "soumettre", "soumission",
	}},
	{Propose, both, specific, 0, []string{"propose", "cfp"}},
	{Propose, fr, good, 0, []string{"intervention", "candidature", "présenter"}},
	{Propose, fr, hint, 0, []string{"participer"}},
	{Propose, en, strong, 0, []string{
		"submit a talk", "give a talk", "call for talks", "call for papers", "call for proposals",
		"propose a talk", "be a speaker", "become a speaker", "speak at", "present my project",
		"apply to speak",
	}},
	{Propose, en, specific, 0, []string{"submit", "submission", "proposal", "proposals"}},
	{Propose, en, good, 0, []string{"speak"}},
	{Propose, en, medium, 0, []string{"present", "pitch", "apply"}},

	// Event: what the event is, who is there.
	{Event, fr, strong, 0, []string{
		"c'est quoi ce salon", "c'est quoi le salon", "de quoi s'agit-il", "de quoi ça parle",
		"qui sera sur le stand", "qui sera présent sur le stand", "qui sera présent", "seront présents", "qui organise", "qui est présent", "qui sera là",
		"présentation du salon", "à propos du salon", "but du salon", "objectif du salon",
		"quel est le thème", "mission logiciels libres",
	}},
	{Event, fr, specific, 0, []string{"exposants", "thème", "thématique"}},
	{Event, fr, good, 0, []string{"objectif", "objectifs"}},
	{Event, both, good, 0, []string{"dgse"}},
	{Event, fr, medium, 0, []string{"interministériel", "ministère"}},
	{Event, fr, hint, needsDomain, []string{"c'est quoi", "qu'est-ce que", "qu'est-ce", "infos", "informations"}},
	{Event, en, strong, 0, []string{
		"what is this event", "what is the event", "what is it about", "tell me about",
		"about the event", "who will be there", "who will be at the stand", "who will be on the stand",
		"who is organizing", "who organizes", "who runs",
	}},
	{Event, en, specific, 0, []string{"exhibitors", "theme", "purpose"}},
	{Event, en, medium, 0, []string{"topic"}},
	{Event, en, hint, needsDomain, []string{"what is", "about", "info", "information", "details"}},

	// The event's own names: they say the question is about the event.
	{domain, both, weakest, 0, []string{
		"salon", "stand", "osxp", "open source experience", "open source", "opensource", "bluehats",
		"blue hats", "dinum", "expo",
	}},
	{domain, fr, weakest, 0, []string{"événement"}},
	{domain, en, weakest, 0, []string{"event", "exhibition", "the show", "fair", "free software"}},
	{domain, fr, weakest, 0, []string{"logiciel libre", "logiciels libres"}},

	// Questions the bot must not take for its own.
	{offTopic, fr, strong, 0, []string{"quel temps", "météo", "capitale", "recette", "blague"}},
	{offTopic, fr, strong, whole, []string{"quelle heure est-il", "il est quelle heure", "comment ça va", "ça va"}},
	{offTopic, en, strong, 0, []string{"weather", "capital", "recipe", "joke"}},
	{offTopic, en, strong, whole, []string{"what time is it", "how are you"}},
}

// absorbs lists, in order of precedence, intents whose cues read as a detail
// of another intent when both are present: "date limite pour proposer" is
// about the deadline, "comment venir au palais des congrès" about access,
// "where do I get a badge" about registration.
var absorbs = []struct{ into, from Intent }{
	{Propose, Contact},
	{Propose, Programme},
	{Deadline, Propose},
	{Deadline, Programme},
	{Deadline, Dates},
	{Hours, Dates},
	{Programme, Dates},
	{Access, Venue},
	{Registration, Venue},
	{Contact, Venue},
	{Price, Registration},
}

// Function words, for language detection and to tell content words apart.
// Words both languages use ("a", "on", "me", "as") are in neither list.
var frFunctionWords = []string{
	"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "est", "sont", "c", "ce", "cet",
	"cette", "ces", "ca", "quand", "ou", "comment", "quel", "quelle", "quels", "quelles", "qui",
	"que", "qu", "quoi", "pour", "par", "avec", "sur", "dans", "au", "aux", "et", "je", "j", "tu",
	"il", "elle", "nous", "vous", "ils", "elles", "mon", "ma", "mes", "ton", "ta", "tes", "sa",
	"ses", "notre", "votre", "nos", "vos", "leur", "leurs", "se", "s", "y", "en", "pas", "ne", "n",
	"faut", "peut", "peux", "puis", "combien", "bonjour", "bonsoir", "merci", "salut", "oui", "svp",
	"stp", "etre", "fait", "faire", "veux", "voudrais", "savoir", "jusqu", "aussi", "tres", "bien",
	"ici", "donc", "alors", "mais", "car", "dois", "doit", "sera", "seront", "avez", "avons", "ai",
	"suis", "sommes", "etes", "cela", "ceci", "moi", "toi", "lui", "va", "vais", "aller", "peut",
	"chez", "sans", "sous", "plait", "ont", "avoir",
}

var enFunctionWords = []string{
	"the", "an", "is", "are", "was", "were", "be", "been", "am", "when", "where", "how", "what",
	"which", "who", "whom", "whose", "why", "do", "does", "did", "can", "could", "would", "should",
	"will", "shall", "i", "you", "he", "she", "it", "we", "they", "my", "your", "his", "her", "its",
	"our", "their", "this", "that", "these", "those", "there", "here", "to", "of", "for", "with",
	"at", "in", "from", "by", "and", "any", "much", "many", "get", "got", "hello", "hi", "hey",
	"thanks", "thank", "please", "yes", "not", "if", "than", "then", "just", "also", "some",
	"need", "want", "know", "tell", "have", "has", "don", "doesn", "isn", "ll", "ve", "re",
}

// otherStopWords are neither language's but carry no meaning here; like the
// function words they are never corrected as typos of a cue ("there" is not
// a misspelt "where", "femme" not a misspelt "ferme").
var otherStopWords = []string{
	"a", "on", "me", "as", "or", "ok", "okay", "lol", "mdr", "ah", "oh", "hmm", "no", "non",
	"three", "femme", "comme", "homme", "sales", "heureux", "heureuse", "whether", "while",
	"other", "place", "plus", "code",
}

// bilingualWords are spelt the same in French and English, so they say
// nothing about the language even though only one side's cues use them.
var bilingualWords = []string{
	"question", "questions", "accessible", "presentation", "long", "public", "transport",
	"minute", "minutes", "simple", "important", "information", "parking", "date", "dates",
}

// ignorable words may surround a whole cue ("bonjour, il est quelle heure ?").
var ignorableWords = []string{
	"bonjour", "bonsoir", "salut", "hello", "hi", "hey", "merci", "thanks", "thank", "you",
	"please", "svp", "stp", "s", "il", "vous", "plait", "now", "maintenant", "ok",
}
