package commands

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/clock"
	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/storage"
)

// world is a router on a real SQLite database, with a settable clock.
type world struct {
	t      testing.TB
	r      *Router
	store  *storage.Store
	clock  *clock.Fake
	env    *Env
	dbPath string
}

func paris() *time.Location {
	loc, _ := time.LoadLocation("Europe/Paris")
	return loc
}

func newWorld(t testing.TB, now time.Time) *world {
	t.Helper()
	dbPath := filepath.Join(t.TempDir(), "bot.db")
	store, err := storage.Open(context.Background(), storage.Options{Type: "sqlite3", URI: dbPath}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ev := seedEvent(t)
	ev.Proposals.MaxPerPerson = 5
	fake := clock.NewFake(now)
	env := &Env{Conference: ev, Store: store, Clock: fake, Prefix: "!", DefaultLang: i18n.FR, Names: IDNames{}}
	return &world{t: t, r: NewRouter(env), store: store, clock: fake, env: env, dbPath: dbPath}
}

// restart builds a new router on the same database, as after a crash.
func (w *world) restart() { w.r = NewRouter(w.env) }

const (
	alice = id.UserID("@alice:example.org")
	bob   = id.UserID("@bob:example.org")
	orga  = id.UserID("@orga:example.org")
)

// do runs a message as user in a room ("" for a direct chat) and returns
// the reply; commits are recorded like the bot does, minus the sending.
func (w *world) do(user id.UserID, body string) (*Reply, Outcome) {
	w.t.Helper()
	in := Input{Sender: user, Room: "!room:example.org", Body: body, Organiser: user == orga}
	return w.run(in)
}

func (w *world) dm(user id.UserID, body string) (*Reply, Outcome) {
	w.t.Helper()
	in := Input{Sender: user, Room: id.RoomID("!dm-" + user.Localpart() + ":example.org"), Body: body, Direct: true, Question: true, Organiser: user == orga}
	return w.run(in)
}

func (w *world) run(in Input) (*Reply, Outcome) {
	w.t.Helper()
	reply, out, err := w.r.Handle(context.Background(), in)
	if err != nil {
		w.t.Fatalf("%q: %v", in.Body, err)
	}
	if reply == nil {
		w.t.Fatalf("%q: no reply", in.Body)
	}
	return reply, out
}

func all(r *Reply) string {
	var parts []string
	for _, p := range r.Parts {
		parts = append(parts, p.Markdown)
	}
	return strings.Join(parts, "\n---\n")
}

func (w *world) count(t *testing.T) int {
	t.Helper()
	list, err := w.store.Proposals.All(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestProposeOneLine(t *testing.T) {
	long := strings.Repeat("é", MaxTitle+1)
	tests := []struct {
		name   string
		body   string
		stored bool
		want   string
		title  string
	}{
		{"simple", "!proposer 15 Logiciels libres à l'État | Retour d'expérience", true, "Proposition n°1 enregistrée", "Logiciels libres à l'État"},
		{"minutes suffix", "!proposer 15min Titre | Résumé", true, "Proposition n°1", "Titre"},
		{"minutes word", "!proposer 20 min Titre | Résumé | DINUM | Bob", true, "**Co-intervenants** : Bob", "Titre"},
		{"escaped bar", `!proposer 10 Shell \| pipes | Résumé avec \| aussi`, true, "Shell | pipes", "Shell | pipes"},
		{"unicode", "!proposer 5 🎩 BlueHats ❤ λ | Ünïcödé", true, "🎩 BlueHats ❤ λ", "🎩 BlueHats ❤ λ"},
		{"english", "!propose 15 Free software | Abstract", true, "Proposal no. 1 stored", "Free software"},
		{"no duration", "!proposer Titre | Résumé", false, "Commencez par la durée en minutes", ""},
		{"too short", "!proposer 3 Titre | Résumé", false, "entre 5 et 20 minutes (vous avez indiqué 3)", ""},
		{"too long", "!proposer 25 Titre | Résumé", false, "entre 5 et 20 minutes (vous avez indiqué 25)", ""},
		{"no abstract", "!proposer 15 Titre", false, "Il manque le résumé", ""},
		{"empty abstract", "!proposer 15 Titre |   ", false, "« Résumé » est vide", ""},
		{"empty title", "!proposer 15 | Résumé", false, "« Titre » est vide", ""},
		{"invisible title", "!proposer 15 \u200b\u200f | Résumé", false, "« Titre » est vide", ""},
		{"title too long", "!proposer 15 " + long + " | Résumé", false, "200 caractères au plus (vous en avez écrit 201)", ""},
		{"abstract too long", "!proposer 15 T | " + strings.Repeat("a", MaxAbstract+1), false, "4000 caractères au plus", ""},
		{"too many fields", "!proposer 15 T | R | A | B | C", false, "Trop de champs", ""},
		{"injection", "!proposer 15 '); DROP TABLE proposal; -- | <script>alert(1)</script>", true, "Proposition n°1", "'); DROP TABLE proposal; --"},
		{"english: no duration", "!propose Title | Abstract", false, "Start with the duration in minutes", ""},
		{"english: too long", "!propose 25 Title | Abstract", false, "between 5 and 20 minutes (you gave 25)", ""},
		{"english: no abstract", "!propose 15 Title", false, "The abstract is missing", ""},
		{"english: empty title", "!propose 15 | Abstract", false, "The field “Title” is empty", ""},
		{"english: title too long", "!propose 15 " + long + " | Abstract", false, "200 characters at most (you wrote 201)", ""},
		{"english: too many fields", "!propose 15 T | A | B | C | D", false, "Too many fields", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, rehearsal())
			reply, _ := w.dm(alice, tc.body)
			if !strings.Contains(all(reply), tc.want) {
				t.Errorf("missing %q in:\n%s", tc.want, all(reply))
			}
			if n := w.count(t); (n == 1) != tc.stored {
				t.Fatalf("stored %d proposals, want stored=%v", n, tc.stored)
			}
			if tc.stored {
				p, _ := w.store.Proposals.Get(context.Background(), 1)
				if p.Title != tc.title || p.Author != alice {
					t.Errorf("stored title %q by %s, want %q by %s", p.Title, p.Author, tc.title, alice)
				}
			}
		})
	}
}

func TestProposalDeadlineIsInclusiveToTheSecond(t *testing.T) {
	loc := paris()
	tests := []struct {
		now    time.Time
		stored bool
	}{
		{time.Date(2023, 11, 20, 23, 59, 0, 0, loc), true},
		{time.Date(2023, 11, 20, 23, 59, 59, 0, loc), true},
		{time.Date(2023, 11, 20, 23, 59, 59, 900_000_000, loc), true},
		{time.Date(2023, 11, 21, 0, 0, 0, 0, loc), false},
		{time.Date(2023, 11, 22, 10, 0, 0, 0, loc), false},
	}
	for _, tc := range tests {
		w := newWorld(t, tc.now)
		reply, _ := w.dm(alice, "!proposer 15 Titre | Résumé")
		if got := w.count(t) == 1; got != tc.stored {
			t.Errorf("at %s: stored %v, want %v: %s", tc.now, got, tc.stored, all(reply))
		}
		if !tc.stored && !strings.Contains(all(reply), "clos depuis le lundi 20 novembre 2023 à 23h59, heure de Paris (UTC+1)") {
			t.Errorf("refusal lacks the deadline: %s", all(reply))
		}
		if !tc.stored && !strings.Contains(all(reply), "contact@code.gouv.fr") {
			t.Errorf("refusal lacks the contact: %s", all(reply))
		}
	}
}

// The deadline holds on the rehearsal clock organisers rehearse with (it
// flows in real time from its start, so the first case starts half a minute
// early), and in English too. The last second itself is tested above.
func TestDeadlineOnTheRehearsalClock(t *testing.T) {
	tests := []struct {
		start  time.Time
		body   string
		stored bool
		want   string
	}{
		{time.Date(2023, 11, 20, 23, 59, 30, 0, paris()), "!proposer 15 Juste à temps | Résumé", true, "Proposition n°1 enregistrée"},
		{time.Date(2023, 11, 21, 0, 0, 0, 0, paris()), "!propose 15 Too late | Abstract", false, "Proposals closed on Monday 20 November 2023 at 23:59, Paris time (UTC+1)"},
	}
	for _, tc := range tests {
		w := newWorld(t, tc.start)
		w.env.Clock = clock.NewRehearsal(tc.start)
		w.restart()
		reply, _ := w.dm(alice, tc.body)
		if (w.count(t) == 1) != tc.stored || !strings.Contains(all(reply), tc.want) {
			t.Errorf("rehearsal from %s: %d stored, %s", tc.start.Format(time.TimeOnly), w.count(t), all(reply))
		}
	}
}

// Before the deadline an author may edit and withdraw; after it, the
// refusal says whom to write to, in the author's language.
func TestEditAndWithdrawCloseAtTheDeadline(t *testing.T) {
	w := newWorld(t, rehearsal())
	w.dm(alice, "!proposer 15 Titre | Résumé")
	w.dm(bob, "!propose 15 Title | Abstract")
	w.clock.Set(time.Date(2023, 11, 21, 0, 0, 0, 0, paris()))
	tests := []struct {
		user       id.UserID
		body, want string
	}{
		{alice, "!modifier 1 titre Nouveau", "ne sont plus modifiables depuis"},
		{alice, "!retirer 1", "seule l'équipe peut retirer une proposition"},
		{bob, "!edit 2 title New", "can no longer be edited since"},
		{bob, "!withdraw 2", "only the team can withdraw a proposal"},
	}
	for _, tc := range tests {
		reply, _ := w.dm(tc.user, tc.body)
		if !strings.Contains(all(reply), tc.want) || !strings.Contains(all(reply), "contact@code.gouv.fr") {
			t.Errorf("%s: %s", tc.body, all(reply))
		}
	}
	for _, n := range []int64{1, 2} {
		p, err := w.store.Proposals.Get(context.Background(), n)
		if err != nil || p.State != storage.StateSubmitted || (p.Title != "Titre" && p.Title != "Title") {
			t.Errorf("proposal %d changed after the deadline: %+v %v", n, p, err)
		}
	}
}

func TestProposalsPerPersonLimit(t *testing.T) {
	w := newWorld(t, rehearsal())
	for i := range 5 {
		w.dm(alice, fmt.Sprintf("!proposer 15 Titre %d | Résumé", i))
	}
	reply, _ := w.dm(alice, "!proposer 15 Sixième | Résumé")
	if w.count(t) != 5 || !strings.Contains(all(reply), "déjà 5 propositions en cours ; le maximum est de 5") {
		t.Fatalf("sixth proposal: %d stored, %s", w.count(t), all(reply))
	}
	// Someone else is not limited by Alice's proposals.
	w.dm(bob, "!proposer 15 De Bob | Résumé")
	// Withdrawn proposals do not count.
	w.dm(alice, "!retirer 2")
	reply, _ = w.dm(alice, "!proposer 15 Sixième | Résumé")
	if !strings.Contains(all(reply), "Proposition n°7 enregistrée") {
		t.Errorf("after withdrawing: %s", all(reply))
	}
}

func TestProposalInRoomIsBriefThereAndDetailedPrivately(t *testing.T) {
	w := newWorld(t, rehearsal())
	reply, _ := w.do(alice, "!proposer 15 Titre | Un résumé confidentiel")
	if len(reply.Parts) != 2 || reply.Parts[0].To != Here || reply.Parts[1].To != ToSender {
		t.Fatalf("want a brief part here and details by direct chat, got %+v", reply.Parts)
	}
	if strings.Contains(reply.Parts[0].Markdown, "confidentiel") || !strings.Contains(reply.Parts[1].Markdown, "confidentiel") {
		t.Errorf("details leaked into the room: %+v", reply.Parts)
	}
}

func TestOwnershipOfProposals(t *testing.T) {
	w := newWorld(t, rehearsal())
	w.dm(alice, "!proposer 15 Titre | Résumé")
	tests := []struct {
		user id.UserID
		body string
		want string
	}{
		{bob, "!modifier 1 titre Volé", "Je ne trouve aucune proposition n°1"},
		{bob, "!retirer 1", "Je ne trouve aucune proposition n°1"},
		{bob, "!voir 1", "réservée aux organisateurs"},
		{bob, "!accepter 1", "réservée aux organisateurs"},
		{alice, "!accepter 1", "réservée aux organisateurs"},
		{alice, "!modifier 1 couleur bleu", "Syntaxe : `!modifier N champ valeur`"},
		{alice, "!modifier 1 duree 30", "entre 5 et 20 minutes"},
		{alice, "!modifier x titre Y", "Syntaxe : `!modifier N champ valeur`"},
		{alice, "!modifier 1 titre Nouveau titre", "Proposition n°1 modifiée"},
		{orga, "!modifier 1 résumé Corrigé par l'équipe", "Proposition n°1 modifiée"},
	}
	for _, tc := range tests {
		reply, _ := w.dm(tc.user, tc.body)
		if !strings.Contains(all(reply), tc.want) {
			t.Errorf("%s %q: missing %q in %s", tc.user, tc.body, tc.want, all(reply))
		}
	}
	p, _ := w.store.Proposals.Get(context.Background(), 1)
	if p.Title != "Nouveau titre" || p.Abstract != "Corrigé par l'équipe" || p.State != storage.StateSubmitted {
		t.Errorf("after edits: %+v", p)
	}
}

func TestDialogSurvivesRestart(t *testing.T) {
	w := newWorld(t, rehearsal())
	reply, _ := w.do(alice, "!proposer")
	if reply.Parts[0].To != Here || reply.Parts[1].To != ToSender || !strings.Contains(reply.Parts[1].Markdown, "Quelle durée") {
		t.Fatalf("dialog must start by direct chat: %+v", reply.Parts)
	}
	steps := []struct{ answer, want string }{
		{"une heure", "Indiquez un nombre de minutes entre 5 et 20"},
		{"15", "Quel est le titre"},
		{"Libérer le code de l'État", "Résumez-la"},
		{"", ""},
		{"Comment nous publions nos sources.", "Pour quelle administration"},
		{"-", "Quel logiciel libre"},
		{"GitLab", "On l'envoie ?"},
		{"peut-être", "On l'envoie ?"},
		{"oui", "Proposition n°1 enregistrée"},
	}
	for i, s := range steps {
		if s.answer == "" {
			w.restart()
			continue
		}
		reply, out := w.dm(alice, s.answer)
		if out.Kind != "dialog" || !strings.Contains(all(reply), s.want) {
			t.Fatalf("step %d %q: %s %q", i, s.answer, out.Kind, all(reply))
		}
	}
	p, _ := w.store.Proposals.Get(context.Background(), 1)
	if p == nil || p.Minutes != 15 || p.Title != "Libérer le code de l'État" || p.Administration != "" || p.Software != "GitLab" {
		t.Fatalf("stored: %+v", p)
	}
	// The dialog is over: the next message is a question again.
	if _, out := w.dm(alice, "où a lieu le salon ?"); out.Kind != "question" {
		t.Errorf("after the dialog: %+v", out)
	}
}

func TestDialogCancel(t *testing.T) {
	w := newWorld(t, rehearsal())
	w.dm(bob, "!propose")
	w.dm(bob, "10")
	reply, _ := w.dm(bob, "cancel")
	if !strings.Contains(all(reply), "Dropped") || w.count(t) != 0 {
		t.Errorf("cancel: %s, %d stored", all(reply), w.count(t))
	}
}

func TestReviewDecideScheduleAndPublish(t *testing.T) {
	loc := paris()
	w := newWorld(t, rehearsal())
	w.dm(alice, "!proposer 15 Premier | Résumé")
	w.dm(bob, "!propose 20 Second | Abstract")
	w.dm(alice, "!proposer 10 Troisième | Résumé")

	// Reviews are private, averaged in the list.
	w.dm(orga, "!noter 1 4 Très bien")
	reply, _ := w.dm(orga, "!noter 1 9")
	if !strings.Contains(all(reply), "note de 1 à 5") {
		t.Errorf("bad score accepted: %s", all(reply))
	}
	reply, _ = w.dm(orga, "!propositions")
	for _, want := range []string{"n°1 · soumise · 15 min · « Premier » — @alice:example.org · ★ 4,0 (1 avis)", "n°2 · soumise · 20 min · « Second »"} {
		if !strings.Contains(all(reply), want) {
			t.Errorf("list lacks %q:\n%s", want, all(reply))
		}
	}
	reply, _ = w.do(orga, "!voir 1")
	if reply.Parts[1].To != ToSender || !strings.Contains(reply.Parts[1].Markdown, "Très bien") {
		t.Errorf("!voir in a public room must answer privately: %+v", reply.Parts)
	}

	// Decisions are told on the response date at 9:00, once.
	reply, _ = w.dm(orga, "!accepter 1 Bravo !")
	var notice *Part
	for i := range reply.Parts {
		if reply.Parts[i].To == ToUser {
			notice = &reply.Parts[i]
		}
	}
	if notice == nil || notice.User != alice || notice.Key != "decision:1:1" || !notice.At.Equal(time.Date(2023, 11, 27, 9, 0, 0, 0, loc)) {
		t.Fatalf("decision notice: %+v", notice)
	}
	if !strings.Contains(notice.Markdown, "est acceptée") || !strings.Contains(notice.Markdown, "Bravo !") || !strings.Contains(notice.Markdown, "`!confirmer 1`") {
		t.Errorf("decision text: %s", notice.Markdown)
	}
	if !strings.Contains(all(reply), "L'auteur sera prévenu le lundi 27 novembre 2023, 9h") {
		t.Errorf("organiser not told when: %s", all(reply))
	}
	// Changing one's mind before the response date cancels the first notice.
	reply, _ = w.dm(orga, "!refuser 2")
	reply2, _ := w.dm(orga, "!accepter 2 Finalement oui")
	if len(reply2.Cancel) != 1 || reply2.Cancel[0] != "decision:2:1" {
		t.Errorf("second decision must cancel the first notice: %v", reply2.Cancel)
	}
	w.dm(orga, "!refuser 3")

	// The author sees no decision before the response date.
	reply, _ = w.dm(alice, "!mespropositions")
	if !strings.Contains(all(reply), "n°1 · 15 min · « Premier » — soumise") {
		t.Errorf("decision visible too early: %s", all(reply))
	}
	if reply, _ := w.dm(alice, "!confirmer 1"); !strings.Contains(all(reply), "pas encore annoncée") {
		t.Errorf("confirm before the decision is out: %s", all(reply))
	}
	w.clock.Set(time.Date(2023, 11, 27, 9, 0, 0, 0, loc))
	reply, _ = w.dm(alice, "!mespropositions")
	if !strings.Contains(all(reply), "acceptée · non confirmée") || !strings.Contains(all(reply), "« Troisième » — refusée") {
		t.Errorf("after the response date: %s", all(reply))
	}
	if reply, _ := w.dm(alice, "!confirmer 1"); !strings.Contains(all(reply), "est confirmée") {
		t.Errorf("confirm: %s", all(reply))
	}
	if reply, _ := w.dm(bob, "!confirmer 1"); !strings.Contains(all(reply), "Je ne trouve aucune proposition") {
		t.Errorf("someone else confirmed: %s", all(reply))
	}

	// Scheduling: inside the hours, on the event's days, without overlap.
	slots := []struct{ body, want string }{
		{"!planifier 3 2023-12-06 10:00", "est refusée : seule une proposition acceptée"},
		{"!planifier 1 2023-12-05 10:00", "en dehors des dates du salon"},
		{"!planifier 1 2023-12-06 08:30", "déborde des horaires d'ouverture (de 9h à 18h)"},
		{"!planifier 1 2023-12-06 17:50", "déborde des horaires"},
		{"!planifier 1 demain", "Syntaxe : `!planifier N 2023-12-06 14:30`"},
		{"!planifier 1 31/11/2023 10h", "Syntaxe"},
		{"!planifier 1 2023-12-06 14:30", "programmée le mercredi 6 décembre 2023, 14h30"},
		{"!planifier 2 06/12/2023 14h40", "chevauche celui de l'intervention n°1 « Premier » (14h30 – 14h45)"},
		{"!planifier 2 6/12 14h45", "programmée le mercredi 6 décembre 2023, 14h45"},
		{"!planifier 1 2023-12-07 10:00", "déjà programmée"},
		{"!publier", "Programme publié (2 interventions)"},
	}
	for _, s := range slots {
		reply, _ := w.dm(orga, s.body)
		if !strings.Contains(all(reply), s.want) {
			t.Errorf("%q: missing %q in %s", s.body, s.want, all(reply))
		}
	}
	reply, _ = w.dm(bob, "!programme")
	for _, want := range []string{"**Mercredi 6 décembre 2023**", "- 14h30 – 14h45 · « Premier » — @alice:example.org (15 min)", "- 14h45 – 15h05 · « Second » — @bob:example.org (20 min)"} {
		if !strings.Contains(all(reply), want) {
			t.Errorf("programme lacks %q:\n%s", want, all(reply))
		}
	}
	// Once published, a move is announced in the rooms and to the speaker.
	reply, _ = w.dm(orga, "!deplacer 1 2023-12-07 10:00")
	var rooms, speaker bool
	for _, p := range reply.Parts {
		rooms = rooms || (p.To == ToRooms && strings.Contains(p.Markdown, "passe du mercredi 6 décembre 2023, 14h30 au jeudi 7 décembre 2023, 10h"))
		speaker = speaker || (p.To == ToUser && p.User == alice && p.Key != "")
	}
	if !rooms || !speaker {
		t.Errorf("move not announced: %+v", reply.Parts)
	}
	reply, _ = w.dm(orga, "!deprogrammer 2")
	if !strings.Contains(all(reply), "est retirée du programme") {
		t.Errorf("unslot not announced: %s", all(reply))
	}
}

func TestDecisionsImmediately(t *testing.T) {
	w := newWorld(t, rehearsal())
	w.env.Conference.Proposals.NotifyImmediately = true
	w.dm(alice, "!proposer 15 Titre | Résumé")
	reply, _ := w.dm(orga, "!accept 1")
	for _, p := range reply.Parts {
		if p.To == ToUser && !p.At.IsZero() {
			t.Errorf("immediate decision held until %s", p.At)
		}
	}
	if !strings.Contains(all(reply), "The author is told now") {
		t.Errorf("organiser reply: %s", all(reply))
	}
}

func TestExport(t *testing.T) {
	w := newWorld(t, rehearsal())
	w.dm(alice, "!proposer 15 Éléphants, « guillemets » et virgules | Résumé sur\nplusieurs lignes")
	w.dm(orga, "!noter 1 5")
	var buf bytes.Buffer
	if err := Export(context.Background(), w.store, "", IDNames{}, paris(), FormatCSV, i18n.FR, &buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff")) {
		t.Error("CSV lacks the byte order mark spreadsheets need for accents")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][0] != "numéro" || rows[1][5] != "Éléphants, « guillemets » et virgules" || rows[1][6] != "Résumé sur\nplusieurs lignes" || rows[1][10] != "5.00" {
		t.Errorf("CSV rows: %q", rows)
	}
	buf.Reset()
	if err := Export(context.Background(), w.store, "", IDNames{}, paris(), FormatJSON, i18n.EN, &buf); err != nil {
		t.Fatal(err)
	}
	var got []ExportedProposal
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Author != alice.String() || got[0].AverageScore == nil || *got[0].AverageScore != 5 || got[0].State != "submitted" {
		t.Errorf("JSON: %+v", got)
	}
	reply, _ := w.do(orga, "!export json")
	if len(reply.Parts) != 2 || reply.Parts[1].File == nil || reply.Parts[1].To != ToSender || !strings.HasSuffix(reply.Parts[1].File.Name, ".json") {
		t.Errorf("!export in a room: %+v", reply.Parts)
	}
	if reply, _ := w.dm(orga, "!export xml"); !strings.Contains(all(reply), "Syntaxe : `!export csv`") {
		t.Errorf("bad format: %s", all(reply))
	}
}

func TestMyDataAndForget(t *testing.T) {
	w := newWorld(t, rehearsal())
	w.env.Organisers = []id.UserID{orga}
	w.dm(alice, "!proposer 15 Gardée | Résumé privé | Ministère")
	w.dm(alice, "!proposer 10 Effacée | Autre résumé")
	w.dm(alice, "!rappels oui")
	w.dm(orga, "!noter 1 4 Bien")
	w.dm(orga, "!accepter 1")
	w.clock.Set(time.Date(2023, 11, 28, 10, 0, 0, 0, paris()))
	w.dm(orga, "!planifier 1 2023-12-06 10:00")
	w.dm(orga, "!publier")
	w.dm(alice, "!suivre 1")

	reply, _ := w.do(alice, "!mesdonnees")
	var file *File
	for _, p := range reply.Parts {
		if p.File != nil {
			file = p.File
			if p.To != ToSender {
				t.Error("personal data must go by direct chat")
			}
		}
	}
	if file == nil {
		t.Fatalf("no file: %+v", reply.Parts)
	}
	var data personalData
	if err := json.Unmarshal(file.Data, &data); err != nil {
		t.Fatal(err)
	}
	if data.User != alice || len(data.Proposals) != 2 || data.Proposals[0].Abstract != "Résumé privé" || data.Reminders == nil || !data.Reminders.Enabled ||
		len(data.Following) != 1 || data.Following[0] != 1 {
		t.Errorf("personal data: %+v", data)
	}

	if reply, _ := w.dm(alice, "!oublier"); !strings.Contains(all(reply), "`!oublier confirmer`") || w.count(t) != 2 {
		t.Fatalf("forget must ask first: %s", all(reply))
	}
	reply, _ = w.dm(alice, "!oublier confirmer")
	if !strings.Contains(all(reply), "vos données sont effacées") || !strings.Contains(all(reply), "« Gardée »") {
		t.Errorf("forget reply: %s", all(reply))
	}
	var told, toldRooms bool
	for _, p := range reply.Parts {
		told = told || (p.To == ToUser && p.User == orga && strings.Contains(p.Markdown, "Gardée"))
		toldRooms = toldRooms || (p.To == ToOrganiserRooms && strings.Contains(p.Markdown, "Gardée"))
		if p.To == ToRooms {
			t.Errorf("a member's erasure announced in the public rooms: %s", p.Markdown)
		}
	}
	if !told || !toldRooms {
		t.Errorf("organisers not told (by name %v, in the organiser rooms %v)", told, toldRooms)
	}
	list, _ := w.store.Proposals.All(context.Background(), "")
	if len(list) != 1 || list[0].Title != "Gardée" || list[0].Author != "" || list[0].Abstract != "" || list[0].Administration != "" || list[0].ReviewCount != 0 {
		t.Fatalf("after forget: %+v", list)
	}
	if pref, _ := w.store.Prefs.Get(context.Background(), alice); pref != nil {
		t.Error("reminder preference kept")
	}
	if follows, _ := w.store.Follows.Of(context.Background(), alice); len(follows) != 0 {
		t.Error("followed talks kept")
	}
	reply, _ = w.dm(bob, "!programme")
	if !strings.Contains(all(reply), "« Gardée » — @alice:example.org (15 min)") {
		t.Errorf("programme after forget: %s", all(reply))
	}
}

func TestCalendarCommand(t *testing.T) {
	w := newWorld(t, rehearsal())
	w.env.Domain = "example.org"
	w.dm(alice, "!proposer 15 Libérer le code | Résumé")
	w.dm(orga, "!accepter 1")
	w.clock.Set(time.Date(2023, 11, 28, 10, 0, 0, 0, paris()))
	w.dm(orga, "!planifier 1 2023-12-06 14:30")
	reply, _ := w.do(bob, "!calendrier")
	file := reply.Parts[len(reply.Parts)-1].File
	if file == nil || !strings.HasSuffix(file.Name, ".ics") || strings.Contains(string(file.Data), "talk-1@") {
		t.Fatalf("before publication the talk must not be in the calendar: %+v", reply.Parts)
	}
	w.dm(orga, "!publier")
	reply, _ = w.do(bob, "!calendar")
	file = reply.Parts[len(reply.Parts)-1].File
	if !strings.Contains(string(file.Data), "UID:bluehats-20231206-talk-1@example.org") || !strings.Contains(string(file.Data), "Libérer le code") {
		t.Errorf("published talk missing:\n%s", file.Data)
	}
}

// With several events, the bot answers about the current one, lists the
// others, and files proposals and programmes under the current one.
func TestSeveralEvents(t *testing.T) {
	w := newWorld(t, rehearsal())
	loc := paris()
	meetup := seedEvent(t)
	meetup.Title = "Rencontre BlueHats de printemps"
	meetup.Start, meetup.End = time.Date(2024, 4, 10, 14, 0, 0, 0, loc), time.Date(2024, 4, 10, 18, 0, 0, 0, loc)
	meetup.Proposals.Deadline = time.Date(2024, 3, 20, 23, 59, 59, 0, loc)
	meetup.Proposals.ResponseDate = time.Date(2024, 3, 25, 0, 0, 0, 0, loc)
	w.env.Conferences = []ConferenceInfo{{ID: "ose2023", Conference: w.env.Conference}, {ID: "printemps-2024", Conference: meetup}}
	w.env.ConferenceID = "ose2023"
	w.restart()

	reply, _ := w.do(bob, "!salon")
	if !strings.Contains(all(reply), "La DINUM à l'Open Source Experience") || !strings.Contains(all(reply), "- Rencontre BlueHats de printemps — mercredi 10 avril 2024") {
		t.Errorf("!salon before the fair:\n%s", all(reply))
	}
	w.dm(alice, "!proposer 15 Pour le salon | Résumé")

	w.clock.Set(time.Date(2023, 12, 8, 10, 0, 0, 0, loc))
	reply, _ = w.do(bob, "!salon")
	if !strings.Contains(all(reply), "**Rencontre BlueHats de printemps**") || !strings.Contains(all(reply), "- La DINUM à l'Open Source Experience") {
		t.Errorf("!salon after the fair:\n%s", all(reply))
	}
	w.dm(alice, "!proposer 10 Pour la rencontre | Résumé")
	reply, _ = w.dm(orga, "!propositions")
	if !strings.Contains(all(reply), "Pour la rencontre") || strings.Contains(all(reply), "Pour le salon") {
		t.Errorf("the list mixes events:\n%s", all(reply))
	}
	list, _ := w.store.Proposals.All(context.Background(), "ose2023")
	if len(list) != 1 || list[0].Title != "Pour le salon" {
		t.Errorf("proposals of ose2023: %+v", list)
	}
	// An author's own list shows all of theirs.
	if reply, _ := w.dm(alice, "!mespropositions"); !strings.Contains(all(reply), "Pour le salon") || !strings.Contains(all(reply), "Pour la rencontre") {
		t.Errorf("!mespropositions: %s", all(reply))
	}
}

// Organiser confirmations and refusals name a proposal and its fate: in a
// public room they go to the organiser by direct chat, with a brief note in
// the room, so that an author does not learn a decision there before the
// response date. In a private room they stay in place.
func TestOrganiserConfirmationsStayPrivate(t *testing.T) {
	w := newWorld(t, rehearsal())
	w.dm(alice, "!proposer 15 Titre secret | Résumé")
	w.dm(alice, "!proposer 15 Autre titre | Résumé")
	w.dm(orga, "!accepter 2")
	tests := []struct{ command, detail, note string }{
		{"!noter 1 4 Bien", "4/5", "message privé"},
		{"!accepter 1", "Titre secret", "message privé"},
		{"!accepter 1", "déjà acceptée", "message privé"},
		{"!planifier 1 2023-12-06 10:00", "Titre secret", "message privé"},
		{"!planifier 2 2023-12-06 10:05", "Titre secret", "message privé"}, // refused: overlaps n°1
		{"!deplacer 1 2023-12-06 11:00", "Titre secret", "message privé"},
		{"!deprogrammer 1", "Titre secret", "message privé"},
		{"!reject 2", "Autre titre", "direct message"},
	}
	for _, tc := range tests {
		t.Run(tc.command, func(t *testing.T) {
			reply, _ := w.do(orga, tc.command)
			for _, p := range reply.Parts {
				if p.To == Here && strings.Contains(p.Markdown, tc.detail) {
					t.Errorf("%q shown in the public room: %s", tc.detail, p.Markdown)
				}
			}
			if reply.Parts[0].To != Here || !strings.Contains(reply.Parts[0].Markdown, tc.note) {
				t.Errorf("no note in the room: %+v", reply.Parts[0])
			}
			private := false
			for _, p := range reply.Parts {
				private = private || (p.To == ToSender && strings.Contains(p.Markdown, tc.detail))
			}
			if !private {
				t.Errorf("%q not sent to the organiser: %s", tc.detail, all(reply))
			}
		})
	}
	// In a direct chat the confirmation is the answer itself.
	reply, _ := w.dm(orga, "!noter 1 5")
	if reply.Parts[0].To != Here || !strings.Contains(reply.Parts[0].Markdown, "5/5") {
		t.Errorf("in a direct chat: %+v", reply.Parts)
	}
}

// A preview is never posted, even with its text; it reaches the organiser
// by direct chat. Without "apercu" the text goes to every room.
func TestAnnouncePreviewAndPost(t *testing.T) {
	w := newWorld(t, rehearsal())
	tests := []struct {
		name, body string
		direct     bool
		posted     bool   // a part goes to every room
		want       string // in the organiser's part (preview) or the rooms' (post)
	}{
		{"preview of the standard announcement", "!annonce apercu", false, false, "Palais des Congrès"},
		{"preview with an accent", "!annonce aperçu", false, false, "Palais des Congrès"},
		{"preview of a text", "!annonce apercu Venez **nombreux** !", false, false, "Venez **nombreux** !"},
		{"preview in English", "!announce preview Come along", false, false, "Come along"},
		{"preview, text on the next line", "!annonce aperçu\nVenez **nombreux** !", false, false, "Venez **nombreux** !"},
		{"preview in a direct chat", "!annonce apercu", true, false, "Palais des Congrès"},
		{"standard announcement", "!annonce", false, true, "Palais des Congrès"},
		{"free text", "!annonce Venez au stand", false, true, "Venez au stand"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var reply *Reply
			if tc.direct {
				reply, _ = w.dm(orga, tc.body)
			} else {
				reply, _ = w.do(orga, tc.body)
			}
			found := false
			for _, p := range reply.Parts {
				if p.To == ToRooms && !tc.posted {
					t.Fatalf("a preview was posted to the rooms: %s", p.Markdown)
				}
				if strings.Contains(p.Markdown, tc.want) {
					found = true
					switch {
					case tc.posted && p.To != ToRooms:
						t.Errorf("announcement not for the rooms: %+v", p)
					case !tc.posted && tc.direct && p.To != Here:
						t.Errorf("preview in a direct chat must answer there: %+v", p)
					case !tc.posted && !tc.direct && p.To != ToSender:
						t.Errorf("preview must go by direct chat: %+v", p)
					}
				}
			}
			if !found {
				t.Errorf("%q missing: %s", tc.want, all(reply))
			}
		})
	}
}
