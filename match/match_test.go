package match

import (
	"strings"
	"sync"
	"testing"
)

var testMatcher = New()

type matchCase struct {
	q    string
	want Intent
	lang Lang
}

var frPositives = []matchCase{
	// Venue
	{"Où a lieu le salon ?", Venue, French},
	{"ou a lieu le salon", Venue, French},
	{"OÙ A LIEU LE SALON ?", Venue, French},
	{"ou se trouve le slaon", Venue, French},
	{"c'est où ?", Venue, French},
	{"C'est ou", Venue, French},
	{"quelle adresse ?", Venue, French},
	{"Quelle est l'adresse du salon ?", Venue, French},
	{"le salon a lieu où ?", Venue, French},
	{"le salon se déroule où", Venue, French},
	{"bonjour, où a lieu le salon svp ?", Venue, French},
	{"ADRESSE DU SALON ???", Venue, French},
	{"Où est le stand de la DINUM ?", Venue, French},
	// Access
	{"Comment venir ?", Access, French},
	{"comment venir au salon", Access, French},
	{"Comment y aller ?", Access, French},
	{"quel métro ?", Access, French},
	{"Quel metro pour le palais des congres", Access, French},
	{"comment se rendre au Palais des Congrès ?", Access, French},
	{"il y a un parking ?", Access, French},
	{"Quelle station de RER ?", Access, French},
	{"comment faire pour venir ?", Access, French},
	{"comment venri ?", Access, French},
	{"comment s'y rendre en transports en commun ?", Access, French},
	{"il y a un accès PMR ?", Access, French},
	// Price
	{"c'est payant ?", Price, French},
	{"c est payant", Price, French},
	{"Combien ça coûte ?", Price, French},
	{"combien ca coute", Price, French},
	{"Entrée gratuite ?", Price, French},
	{"est-ce que l'entrée est gratuite ?", Price, French},
	{"quel est le prix du billet ?", Price, French},
	{"Faut-il payer pour entrer ?", Price, French},
	{"Bonjour, j'aimerais savoir s'il faut payer l'entrée du salon. Merci d'avance !", Price, French},
	{"c'est combien ?", Price, French},
	{"l'inscription est payante ?", Price, French},
	// Hours
	{"à quelle heure ça ouvre ?", Hours, French},
	{"a quelle heure ca ouvre", Hours, French},
	{"Horaires ?", Hours, French},
	{"quels sont les horraires ?", Hours, French},
	{"Le salon est ouvert jusqu'à quelle heure le jeudi ?", Hours, French},
	{"quelle heure", Hours, French},
	{"jusqu'à quelle heure est ouvert le salon ?", Hours, French},
	{"Le stand ferme à quelle heure ?", Hours, French},
	{"quand est-ce que ça ouvre ?", Hours, French},
	{"le salon ouvre quand ?", Hours, French},
	// Deadline
	{"Quand est la date limite ?", Deadline, French},
	{"quand est la date limte", Deadline, French},
	{"date limite pour proposer ?", Deadline, French},
	{"jusqu'à quand peut-on proposer ?", Deadline, French},
	{"quelle est la date limite pour envoyer une proposition ?", Deadline, French},
	{"Il reste combien de temps pour candidater, c'est quoi le délai ?", Deadline, French},
	// Dates
	{"Quelles sont les dates ?", Dates, French},
	{"c'est quand le salon ?", Dates, French},
	{"C EST QUAND LE SALON", Dates, French},
	{"quel jour ?", Dates, French},
	{"Le salon a lieu quand ?", Dates, French},
	{"quand a lieu l'événement ?", Dates, French},
	{"ça dure combien de jours ?", Dates, French},
	{"le salon se déroule quand", Dates, French},
	{"quand commence le salon ?", Dates, French},
	// Registration
	{"comment s'inscrire ?", Registration, French},
	{"comment s inscrire", Registration, French},
	{"Faut-il un badge ?", Registration, French},
	{"où est-ce que je m'inscris ?", Registration, French},
	{"l'inscription est obligatoire ?", Registration, French},
	{"Comment obtenir mon badge ?", Registration, French},
	{"Est-ce que je dois m'inscrire pour venir ?", Registration, French},
	{"je voudrais m'incsrire", Registration, French},
	{"inscriptoin ?", Registration, French},
	{"c'est ouvert au public ?", Registration, French},
	// Contact
	{"Qui contacter ?", Contact, French},
	{"adresse mail ?", Contact, French},
	{"quelle est l'adresse e-mail de l'équipe ?", Contact, French},
	{"comment contacter l'équipe ?", Contact, French},
	{"à qui écrire pour une question ?", Contact, French},
	// Programme
	{"Quel est le programme ?", Programme, French},
	{"quelles conférences ?", Programme, French},
	{"qui intervient sur le stand ?", Programme, French},
	{"Le programme est-il publié ?", Programme, French},
	{"quand sera publié le programme ?", Programme, French},
	// Propose
	{"Comment proposer une intervention ?", Propose, French},
	{"je veux faire un talk", Propose, French},
	{"je voudrais présenter mon projet sur le stand", Propose, French},
	{"comment soumettre une proposition ?", Propose, French},
	{"à qui envoyer ma proposition ?", Propose, French},
	{"Y a-t-il un appel à conférences ?", Propose, French},
	// Event
	{"C'est quoi ce salon ?", Event, French},
	{"c est quoi ce salon", Event, French},
	{"qui sera sur le stand ?", Event, French},
	{"c'est quoi l'Open Source Experience ?", Event, French},
	{"qui organise le salon ?", Event, French},
	{"qui sera présent sur le stand ?", Event, French},
	{"quel est le thème du salon ?", Event, French},
	{"quels ministères seront présents ?", Event, French},
}

var enPositives = []matchCase{
	// Venue
	{"Where is it?", Venue, English},
	{"where is the venue", Venue, English},
	{"What's the address?", Venue, English},
	{"Where does the event take place?", Venue, English},
	{"where's the stand located?", Venue, English},
	// Access
	{"How do I get there?", Access, English},
	{"which metro?", Access, English},
	{"Which bus or RER should I take?", Access, English},
	{"how do i get to the palais des congres", Access, English},
	{"Is there parking nearby?", Access, English},
	{"can I come by car?", Access, English},
	{"How do I get to the Palais des Congrès?", Access, English},
	{"Hi, could you tell me how to get to the venue from Gare du Nord? Thanks", Access, English},
	// Price
	{"Is it free?", Price, English},
	{"how much is a ticket", Price, English},
	{"HOW MUCH DOES IT COST??", Price, English},
	{"Do I have to pay to get in?", Price, English},
	{"are tickets free?", Price, English},
	// Hours
	{"What time does it open?", Hours, English},
	{"what time does it close", Hours, English},
	{"Opening hours?", Hours, English},
	{"when does it open", Hours, English},
	{"What are the opneing hours?", Hours, English},
	// Deadline
	{"When is the deadline?", Deadline, English},
	{"what is the deadline to submit a talk", Deadline, English},
	{"Until when can I send a proposal?", Deadline, English},
	{"when are proposals due?", Deadline, English},
	{"when will I know if my talk is accepted?", Deadline, English},
	// Dates
	{"When is the event?", Dates, English},
	{"what are the dates", Dates, English},
	{"Which days is it on?", Dates, English},
	{"when is it", Dates, English},
	{"what dates is the event on?", Dates, English},
	{"how many days does it last?", Dates, English},
	// Registration
	{"How do I register?", Registration, English},
	{"where do I get a badge", Registration, English},
	{"Do I need to sign up?", Registration, English},
	{"is registraton required?", Registration, English},
	// Contact
	{"How can I contact the team?", Contact, English},
	{"what's your email address", Contact, English},
	{"Who should I contact?", Contact, English},
	{"how can I reach you?", Contact, English},
	// Programme
	{"What's the schedule?", Programme, English},
	{"which talks are planned", Programme, English},
	{"Who are the speakers?", Programme, English},
	{"when will the programme be published?", Programme, English},
	// Propose
	{"How do I submit a talk?", Propose, English},
	{"I want to give a talk", Propose, English},
	{"is there a call for papers", Propose, English},
	// Event
	{"What is this event about?", Event, English},
	{"who will be at the stand?", Event, English},
	{"what is BlueHats?", Event, English},
	{"what's the event about?", Event, English},
}

var negatives = []string{
	"",
	"????",
	"bonjour",
	"Bonjour !",
	"merci",
	"merci beaucoup !!",
	"lol",
	"ok",
	"quel temps fait-il demain ?",
	"What is the capital of France",
	"quelle est la capitale de la France ?",
	"il est quelle heure ?",
	"comment ça va ?",
	"how are you?",
	"hello there",
	"thanks!",
	"où est Charlie ?",
	"quand ?",
	"où et quand ?",
	"c'est payant ? et les horaires ?",
	"j'aime les pommes",
	"I love open source",
	"tu es un robot ?",
	"how do I cook pasta",
	"where is Brian",
	"where is the nearest hospital?",
	"quelle heure est-il ?",
	"what time is it?",
	"I want to buy a car",
	"free software is great",
	"je suis en train de lire",
	"c'est quoi ?",
	"what is this?",
	"comment participer ?",
	"jusqu'à quand peut-on s'inscrire ?", // no registration deadline: Deadline and Registration tie
	"le salon",
	"is there wifi?",
	"do you provide lunch?",
	"can I volunteer?",
	"combien de personnes sont attendues ?",
	"🎉🎉🎉",
	"Le chat domestique est un mammifère carnivore de la famille des félidés. Il vit dans de " +
		"nombreux foyers à travers le monde, où il est apprécié pour sa compagnie, et il est " +
		"gratuit de l'adopter dans certains refuges qui ouvrent le matin et ferment le soir.",
	"Linux is a family of open source Unix-like operating systems based on the Linux kernel, " +
		"first released on September 17, 1991, by Linus Torvalds. Linux is typically packaged " +
		"as a distribution, which includes the kernel and supporting system software and " +
		"libraries, many of which are free software and open to anyone who wants to contribute.",
}

func TestMatchPositives(t *testing.T) {
	if len(frPositives) < 40 || len(enPositives) < 25 {
		t.Fatalf("need ≥40 French and ≥25 English cases, have %d and %d", len(frPositives), len(enPositives))
	}
	covered := map[Intent][2]bool{}
	for _, cases := range [][]matchCase{frPositives, enPositives} {
		for _, c := range cases {
			got := testMatcher.Match(c.q)
			if got.Intent != c.want || got.Lang != c.lang {
				t.Errorf("Match(%q) = %s/%s (score %.2f, %v), want %s/%s",
					c.q, got.Intent, got.Lang, got.Score, got.Matched, c.want, c.lang)
				continue
			}
			if got.Score <= 0 || got.Score > 1 {
				t.Errorf("Match(%q).Score = %v, want in (0,1]", c.q, got.Score)
			}
			cov := covered[c.want]
			cov[b2i(c.lang == English)] = true
			covered[c.want] = cov
		}
	}
	for _, in := range intentOrder[:nReal] {
		if cov := covered[in]; !cov[0] || !cov[1] {
			t.Errorf("intent %s lacks a French or an English case: %v", in, cov)
		}
	}
}

func TestMatchNegatives(t *testing.T) {
	if len(negatives) < 15 {
		t.Fatalf("need ≥15 negative cases, have %d", len(negatives))
	}
	for _, q := range negatives {
		if got := testMatcher.Match(q); got.Intent != None || got.Score != 0 {
			t.Errorf("Match(%q) = %s (score %.2f, %v), want None", q, got.Intent, got.Score, got.Matched)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	m := New()
	qs := []string{
		"Où a lieu le salon ?",
		"comment venir au palais des congrès en métro ?",
		"How much is a ticket?",
		"quand est la date limite pour proposer un talk ?",
		"What time does it open?",
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Match(qs[i%len(qs)])
		i++
	}
}

// The pairs the brief singles out: the same words, different questions.
func TestMatchDisambiguation(t *testing.T) {
	for q, want := range map[string]Intent{
		"quand est la date limite ?":  Deadline,
		"c'est quand le salon ?":      Dates,
		"où a lieu le salon":          Venue,
		"comment venir au salon":      Access,
		"quelle heure":                Hours,
		"where is it?":                Venue,
		"how do I get there":          Access,
		"when is the deadline":        Deadline,
		"when is the event":           Dates,
		"quelle est l'adresse mail ?": Contact, // not Venue's "adresse"
		"how do I submit a talk":      Propose, // not Programme's "talk"
		"where do I get a badge":      Registration,
	} {
		if got := testMatcher.Match(q); got.Intent != want {
			t.Errorf("Match(%q) = %s %v, want %s", q, got.Intent, got.Matched, want)
		}
	}
}

func TestTypoTolerance(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		limit int
		want  bool
	}{
		{"slaon", "salon", 1, true},      // transposition
		{"limte", "limite", 1, true},     // deletion
		{"horraire", "horaire", 1, true}, // insertion
		{"pagant", "payant", 1, true},    // substitution
		{"inscirptoin", "inscription", 2, true},
		{"inscirptoin", "inscription", 1, false},
		{"salon", "salut", 1, false},
		{"abc", "abc", 0, true},
	} {
		if got := withinOSA(c.a, c.b, c.limit); got != c.want {
			t.Errorf("withinOSA(%q, %q, %d) = %v, want %v", c.a, c.b, c.limit, got, c.want)
		}
	}
	for n, want := range map[int]int{3: 0, 4: 0, 5: 1, 8: 1, 9: 2, 14: 2} {
		if got := typoLimit(n); got != want {
			t.Errorf("typoLimit(%d) = %d, want %d", n, got, want)
		}
	}
	// One edit turns a short word into another word: never corrected.
	for _, q := range []string{"quel bis ?", "quel pris ?", "c'est quant ?"} {
		if got := testMatcher.Match(q); got.Intent != None {
			t.Errorf("Match(%q) = %s %v: short words must not be typo-corrected", q, got.Intent, got.Matched)
		}
	}
	// Two edits only for long words.
	if got := testMatcher.Match("inscirptoin ?"); got.Intent != Registration {
		t.Errorf("Match(inscirptoin) = %s, want registration", got.Intent)
	}
	if got := testMatcher.Match("hroaries ?"); got.Intent != None {
		t.Errorf("Match(hroaries) = %s %v: two edits on an 8-letter word", got.Intent, got.Matched)
	}
}

func TestDetectLang(t *testing.T) {
	for text, want := range map[string]Lang{
		"Où a lieu le salon ?": French,
		"c'est quand ?":        French,
		"comment venir":        French,
		"horaires":             French,
		"merci":                French,
		"Where is it?":         English,
		"is it free?":          English,
		"what's the schedule":  English,
		"hours?":               English,
		"thanks":               English,
		"How do I get to the Palais des Congrès?": English,
		"quand est la deadline ?":                 French,
		"badge ?":                                 French, // no evidence: French
		"RER":                                     French,
		"":                                        French,
		"🎉":                                       French,
	} {
		if got := DetectLang(text); got != want {
			t.Errorf("DetectLang(%q) = %s, want %s", text, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"OÙ A LIEU LE SALON ?":         "ou a lieu le salon",
		"s'inscrire":                   "s inscrire",
		"jusqu’à quand":                "jusqu a quand",
		"lʼéquipe":                     "l equipe",
		"Ça coûte combien ?":           "ca coute combien",
		"cœur, Œuvre, ex æquo":         "coeur oeuvre ex aequo",
		"naïve façade à Noël":          "naive facade a noel",
		"Straße":                       "strasse",
		"e\u0301te\u0301":              "ete", // decomposed accents
		"  plein   d'espaces\t\n":      "plein d espaces",
		"e-mail: contact@code.gouv.fr": "e mail contact code gouv fr",
		"9h-18h":                       "9h 18h",
		"????":                         "",
		"":                             "",
		"🎉 salon 🎉":                    "salon",
		"Tiếng Việt":                   "tieng viet",
		"ПРИВЕТ":                       "привет",
		"a\xffb":                       "a b",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// The cue table is edited by hand: catch phrases that collide once
// normalised, and intents left without cues in one language.
func TestCueTable(t *testing.T) {
	owner := map[string]Intent{}
	langs := map[Intent]map[Lang]bool{}
	for _, set := range cueTable {
		if langs[set.intent] == nil {
			langs[set.intent] = map[Lang]bool{}
		}
		langs[set.intent][set.lang] = true
		for _, p := range set.phrases {
			var stems []string
			for _, w := range tokenize(Normalize(p), nil) {
				stems = append(stems, stem(w))
			}
			key := strings.Join(stems, " ")
			if key == "" {
				t.Errorf("cue %q is empty once normalised", p)
			}
			if o, ok := owner[key]; ok && o != set.intent {
				t.Errorf("cue %q is both %s and %s", p, o, set.intent)
			}
			owner[key] = set.intent
		}
	}
	for _, in := range intentOrder[:nReal] {
		if l := langs[in]; !l[French] && !l[both] || !l[English] && !l[both] {
			t.Errorf("intent %s lacks cues in a language: %v", in, l)
		}
	}
}

func TestMatchConcurrent(t *testing.T) {
	all := append(append([]matchCase{}, frPositives...), enPositives...)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, c := range all {
				if got := testMatcher.Match(c.q); got.Intent != c.want {
					t.Errorf("concurrent Match(%q) = %s, want %s", c.q, got.Intent, c.want)
				}
			}
		})
	}
	wg.Wait()
}

// A huge message must stay cheap and unanswered.
func TestMatchLongInput(t *testing.T) {
	long := strings.Repeat("blah où est le salon gratuit horaires ", 5000)
	if got := testMatcher.Match(long); got.Intent != None {
		t.Errorf("Match(long) = %s %.2f, want None", got.Intent, got.Score)
	}
	_ = DetectLang(long)
}
