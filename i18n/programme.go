package i18n

// ProgrammeText turns accepted proposals into a programme. Once it is
// published, every change is told to the rooms and to the speaker, hence
// the Change texts.
type ProgrammeText struct {
	// Slots and publication (!planifier, !deplacer, !deprogrammer, !publier).
	ChangeAdded         string
	ChangeMoved         string
	ChangeRemoved       string
	ErrAlreadyScheduled string
	ErrNotAcceptedSlot  string
	ErrNotScheduled     string
	ErrNothingScheduled string
	ErrSlotOutsideEvent string
	ErrSlotOutsideHours string
	ErrSlotOverlap      string
	ProgrammeTitle      string
	Published           string
	Republished         string
	SlotUsage           string
	Slotted             string
	Unslotted           string
	// Talks is a count's noun, singular then plural.
	Talks [2]string
}

var programmeFR = ProgrammeText{
	ChangeAdded:         "📢 Programme modifié : l'intervention « %s » (%s) est ajoutée, le %s.",
	ChangeMoved:         "📢 Programme modifié : « %s » (%s) passe du %s au %s.",
	ChangeRemoved:       "📢 Programme modifié : l'intervention « %s » (%s) est retirée du programme.",
	ErrAlreadyScheduled: "La proposition n°%d est déjà programmée le %s : utilisez `%s` pour la déplacer.",
	ErrNotAcceptedSlot:  "La proposition n°%d est %s : seule une proposition acceptée peut être programmée.",
	ErrNotScheduled:     "La proposition n°%d n'est pas programmée : utilisez d'abord `%s`.",
	ErrNothingScheduled: "Aucune intervention n'est programmée : utilisez d'abord `%s N date heure`.",
	ErrSlotOutsideEvent: "Ce créneau est en dehors des dates du salon (%s).",
	ErrSlotOutsideHours: "Ce créneau déborde des horaires d'ouverture (%s).",
	ErrSlotOverlap:      "Ce créneau chevauche celui de l'intervention n°%d « %s » (%s – %s) : le stand n'accueille qu'une intervention à la fois.",
	ProgrammeTitle:      "Programme — %s",
	Published:           "📢 Programme publié (%s) et annoncé dans les salons Matrix.",
	Republished:         "📢 Programme republié (%s) dans les salons Matrix.",
	SlotUsage:           "Syntaxe : `%s N 2023-12-06 14:30` (numéro, date, heure).",
	Slotted:             "🗓️ Proposition n°%d « %s » programmée le %s.",
	Unslotted:           "Proposition n°%d « %s » retirée du programme.",
	Talks:               [2]string{"intervention", "interventions"},
}

var programmeEN = ProgrammeText{
	ChangeAdded:         "📢 Programme: “%s” (%s) is added on %s.",
	ChangeMoved:         "📢 Programme change: “%s” (%s) moves from %s to %s.",
	ChangeRemoved:       "📢 Programme change: “%s” (%s) is removed from the programme.",
	ErrAlreadyScheduled: "Proposal no. %d is already scheduled on %s: use `%s` to move it.",
	ErrNotAcceptedSlot:  "Proposal no. %d is %s: only an accepted proposal can be scheduled.",
	ErrNotScheduled:     "Proposal no. %d is not scheduled: use `%s` first.",
	ErrNothingScheduled: "No talk is scheduled: use `%s N date time` first.",
	ErrSlotOutsideEvent: "This slot is outside the fair (%s).",
	ErrSlotOutsideHours: "This slot goes beyond the opening hours (%s).",
	ErrSlotOverlap:      "This slot overlaps proposal no. %d “%s” (%s – %s): there is one stand.",
	ProgrammeTitle:      "Programme — %s",
	Published:           "📢 Programme published (%s) and announced in the rooms.",
	Republished:         "📢 Programme published again (%s) in the rooms.",
	SlotUsage:           "Usage: `%s N 2023-12-06 14:30` (number, date, time).",
	Slotted:             "🗓️ Proposal no. %d “%s” scheduled on %s.",
	Unslotted:           "Proposal no. %d “%s” removed from the programme.",
	Talks:               [2]string{"talk", "talks"},
}
