package i18n

// PrivacyText lets a member see and erase what the bot keeps about them.
// An erasure leaves a published talk's public traces, so the texts say
// what remains, to the member and to the organisers.
type PrivacyText struct {
	// My data (!mesdonnees) and forget (!oublier).
	MyDataIntro         string
	ForgetAsk           string
	Forgotten           string
	ForgottenKept       string
	ForgottenOrganisers string
}

var privacyFR = PrivacyText{
	MyDataIntro:         "Voici tout ce que je garde sur vous, dans le fichier ci-dessous. Pour l'effacer : `%s`.",
	ForgetAsk:           "Cela effacera vos propositions, vos préférences de rappel et nos échanges enregistrés. Si l'une de vos interventions figure déjà au programme publié, seuls son titre, son horaire et le nom d'intervenant affiché y resteront. Pour confirmer : `%s`.",
	Forgotten:           "🗑️ C'est fait : vos données sont effacées.",
	ForgottenKept:       "Restent au programme publié, sans vos autres données : « %s ».",
	ForgottenOrganisers: "🗑️ %s a demandé l'effacement de ses données. Restent au programme, sous le nom affiché : « %s ».",
}

var privacyEN = PrivacyText{
	MyDataIntro:         "Here is everything I keep about you, in the file below. To erase it: `%s`.",
	ForgetAsk:           "This erases your proposals, your reminder settings and our stored exchanges. A talk already in the published programme keeps only its title, time and the name shown. To confirm: `%s`.",
	Forgotten:           "🗑️ Done: your data is erased.",
	ForgottenKept:       "Still in the published programme, without your other data: “%s”.",
	ForgottenOrganisers: "🗑️ %s asked for their data to be erased. Still in the programme, under the name shown: “%s”.",
}
