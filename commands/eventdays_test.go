package commands

import (
	"strings"
	"testing"
	"time"
)

// eventDays is a published programme: two talks on the first day, one on
// the second.
func eventDays(t *testing.T) *world {
	t.Helper()
	loc := paris()
	w := newWorld(t, time.Date(2023, 11, 10, 10, 0, 0, 0, loc))
	w.env.Conference.Proposals.NotifyImmediately = true
	w.env.FollowNotice = 10 * time.Minute
	for _, p := range []string{"!proposer 15 Premier | Résumé", "!proposer 20 Second | Résumé", "!proposer 10 Troisième | Résumé"} {
		w.dm(alice, p)
	}
	for _, cmd := range []string{"!accepter 1", "!accepter 2", "!accepter 3", "!planifier 1 2023-12-06 14:30",
		"!planifier 2 2023-12-06 15:00", "!planifier 3 2023-12-07 10:00", "!publier"} {
		w.dm(orga, cmd)
	}
	return w
}

func TestNow(t *testing.T) {
	loc := paris()
	w := eventDays(t)
	tests := []struct {
		at         time.Time
		want, lack []string
	}{
		{time.Date(2023, 12, 5, 12, 0, 0, 0, loc), []string{"Premières interventions, mercredi 6 décembre 2023", "14h30 · « Premier »", "15h · « Second »"}, []string{"Troisième", "En ce moment"}},
		{time.Date(2023, 12, 6, 14, 35, 0, 0, loc), []string{"En ce moment** sur le stand, jusqu'à 14h45 : « Premier »", "Ensuite", "15h · « Second »"}, []string{"Troisième"}},
		{time.Date(2023, 12, 6, 14, 50, 0, 0, loc), []string{"Pas d'intervention sur le stand en ce moment", "15h · « Second »"}, []string{"Premier"}},
		{time.Date(2023, 12, 6, 16, 0, 0, 0, loc), []string{"Premières interventions, jeudi 7 décembre 2023", "10h · « Troisième »"}, []string{"Second"}},
		{time.Date(2023, 12, 7, 12, 0, 0, 0, loc), []string{"Plus d'intervention prévue", "`!programme`"}, nil},
		{time.Date(2023, 12, 8, 12, 0, 0, 0, loc), []string{"Le salon est terminé", "`!programme`"}, nil},
	}
	for _, tc := range tests {
		w.clock.Set(tc.at)
		reply, _ := w.do(bob, "!maintenant")
		for _, s := range tc.want {
			if !strings.Contains(all(reply), s) {
				t.Errorf("%s: missing %q in %s", tc.at, s, all(reply))
			}
		}
		for _, s := range tc.lack {
			if strings.Contains(all(reply), s) {
				t.Errorf("%s: %q should not show in %s", tc.at, s, all(reply))
			}
		}
	}
	w.env.PublicURL = "https://bot.example.org/"
	if reply, _ := w.do(bob, "!now"); !strings.Contains(all(reply), "The event is over") || !strings.Contains(all(reply), "https://bot.example.org/programme") {
		t.Errorf("after the event, in English with a public page: %s", all(reply))
	}
}

func TestNowBeforePublication(t *testing.T) {
	w := newWorld(t, rehearsal())
	if reply, _ := w.do(bob, "!maintenant"); !strings.Contains(all(reply), "pas encore publié") || !strings.Contains(all(reply), "`!programme`") {
		t.Errorf("before the programme: %s", all(reply))
	}
}

func TestFollow(t *testing.T) {
	loc := paris()
	w := eventDays(t)
	w.clock.Set(time.Date(2023, 12, 6, 9, 0, 0, 0, loc))
	steps := []struct{ body, want string }{
		{"!suivre", "Vous ne suivez aucune intervention"},
		{"!suivre 9", "n'est pas au programme publié"},
		{"!suivre x", "Syntaxe : `!suivre N`"},
		{"!suivre 1 peut-être", "Syntaxe"},
		{"!suivre 1", "Vous suivez « Premier » (mercredi 6 décembre 2023, 14h30) : je vous écrirai en message privé 10 minutes avant"},
		{"!suivre 1", "Vous suivez déjà « Premier »"},
		{"!follow 2", "You follow “Second”"},
		{"!suivre", "n°1 · mercredi 6 décembre 2023, 14h30 · « Premier »"},
		{"!suivre 2 non", "Vous ne suivez plus « Second »"},
		{"!suivre 2 non", "Vous ne suiviez pas l'intervention n°2"},
	}
	for _, s := range steps {
		reply, _ := w.dm(bob, s.body)
		if !strings.Contains(all(reply), s.want) {
			t.Errorf("%q: missing %q in %s", s.body, s.want, all(reply))
		}
	}
	// A move is told to the followers, in their language, once per move.
	reply, _ := w.dm(orga, "!deplacer 1 2023-12-06 16:00")
	var told int
	for _, p := range reply.Parts {
		if p.To == ToUser && p.User == bob {
			told++
			if !strings.Contains(p.Markdown, "passe du mercredi 6 décembre 2023, 14h30 au mercredi 6 décembre 2023, 16h") || p.Key == "" {
				t.Errorf("the follower's notice: %+v", p)
			}
		}
	}
	if told != 1 {
		t.Errorf("the follower was told %d times of the move", told)
	}
	// Followed within the notice's lead, the notice goes at once.
	w.clock.Set(time.Date(2023, 12, 6, 14, 55, 0, 0, loc))
	reply, _ = w.dm(bob, "!suivre 2")
	var notice *Part
	for i, p := range reply.Parts {
		if p.To == ToUser && p.Key != "" {
			notice = &reply.Parts[i]
		}
	}
	if notice == nil || !strings.Contains(notice.Markdown, "Dans 10 minutes sur le stand : « Second »") {
		t.Errorf("no notice within the lead: %s", all(reply))
	}
	// The programme tells how to follow.
	if reply, _ := w.do(bob, "!programme"); !strings.Contains(all(reply), "`!suivre N`") || !strings.Contains(all(reply), "#1") {
		t.Errorf("the programme does not say how to follow: %s", all(reply))
	}
}
