package storage

import (
	"context"
	"testing"
	"time"
)

func TestProposalsReviewsDialogs(t *testing.T) { eachDB(t, testProposalsReviewsDialogs) }

func testProposalsReviewsDialogs(t *testing.T, open func() *Store) {
	ctx := context.Background()
	s := open()
	now := time.UnixMilli(time.Now().UnixMilli())
	var ids []int64
	for i, title := range []string{"Un", "Deux ‮rtl", "Trois 🎩", "Quatre"} {
		p := &Proposal{Author: "@a:x", Lang: "fr", Minutes: 10 + i, Title: title, Abstract: "R", CreatedAt: now}
		if i == 3 {
			p.Author = "@b:x"
		}
		if err := s.Proposals.Insert(ctx, p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	if ids[0] != 1 || ids[3] != 4 {
		t.Errorf("numbers: %v, want 1 to 4", ids)
	}
	p, err := s.Proposals.Get(ctx, 2)
	if err != nil || p.Title != "Deux ‮rtl" || !p.CreatedAt.Equal(now) || !p.DecidedAt.IsZero() {
		t.Fatalf("get: %+v %v", p, err)
	}
	p.State, p.DecidedAt, p.SlotStart, p.UpdatedAt = StateAccepted, now, now.Add(time.Hour), now
	if err := s.Proposals.Update(ctx, p); err != nil {
		t.Fatal(err)
	}
	q, _ := s.Proposals.Get(ctx, 3)
	q.State = StateWithdrawn
	if err := s.Proposals.Update(ctx, q); err != nil {
		t.Fatal(err)
	}
	if missing, err := s.Proposals.Get(ctx, 99); missing != nil || err != nil {
		t.Errorf("missing proposal: %+v %v", missing, err)
	}
	for _, r := range []*Review{{ProposalID: 1, Reviewer: "@o:x", Score: 4}, {ProposalID: 1, Reviewer: "@p:x", Score: 5, Comment: "très bien"}, {ProposalID: 1, Reviewer: "@o:x", Score: 2}} {
		r.UpdatedAt = now
		if err := s.Reviews.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	list, total, err := s.Proposals.List(ctx, "", "", 2, 0)
	if err != nil || total != 4 || len(list) != 2 || list[0].ReviewCount != 2 || list[0].AverageScore() != 3.5 {
		t.Fatalf("list: %d %+v %v", total, list, err)
	}
	for _, tc := range []struct {
		state string
		want  int
	}{{StateSubmitted, 2}, {StateScheduled, 1}, {StateAccepted, 0}, {StateWithdrawn, 1}} {
		if _, n, err := s.Proposals.List(ctx, "", tc.state, 20, 0); err != nil || n != tc.want {
			t.Errorf("%s: %d (%v), want %d", tc.state, n, err, tc.want)
		}
	}
	counts, err := s.Proposals.CountByState(ctx)
	if err != nil || counts[StateSubmitted] != 2 || counts[StateScheduled] != 1 || counts[StateWithdrawn] != 1 {
		t.Errorf("counts: %v %v", counts, err)
	}
	if n, _ := s.Proposals.CountActive(ctx, "", "@a:x"); n != 2 {
		t.Errorf("active of @a:x: %d, want 2", n)
	}
	if sch, _ := s.Proposals.Scheduled(ctx, ""); len(sch) != 1 || sch[0].ID != 2 || !sch[0].SlotStart.Equal(now.Add(time.Hour)) {
		t.Errorf("scheduled: %+v", sch)
	}
	if by, _ := s.Reviews.By(ctx, "@o:x"); len(by) != 1 || by[0].Score != 2 {
		t.Errorf("reviews by @o:x: %+v", by)
	}

	d := &Dialog{User: "@a:x", Lang: "en", Step: "title", Draft: Draft{Minutes: 15}, UpdatedAt: now}
	if err := s.Dialogs.Put(ctx, d); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Dialogs.Get(ctx, "@a:x"); got == nil || got.Step != "title" || got.Draft.Minutes != 15 {
		t.Errorf("dialog: %+v", got)
	}
	if err := s.DirectRooms.Put(ctx, "@a:x", "!dm:x"); err != nil {
		t.Fatal(err)
	}

	kept, err := s.Forget(ctx, "@a:x", true, "Alice")
	if err != nil || len(kept) != 1 || kept[0] != "Deux ‮rtl" {
		t.Fatalf("forget: %v %v", kept, err)
	}
	left, _ := s.Proposals.All(ctx, "")
	if len(left) != 2 || left[0].Author != "" || left[0].Speakers != "Alice" || left[0].Abstract != "" || left[1].Author != "@b:x" {
		t.Errorf("after forget: %+v", left)
	}
	if got, _ := s.Dialogs.Get(ctx, "@a:x"); got != nil {
		t.Error("dialog kept")
	}
	if room, _ := s.DirectRooms.Get(ctx, "@a:x"); room != "" {
		t.Error("direct room kept")
	}
}

// A SQLite installation moves to PostgreSQL (or another SQLite file)
// without loss, proposal numbers included.
func TestCopy(t *testing.T) {
	ctx := context.Background()
	src := openStore(t, Options{Type: "sqlite3", URI: t.TempDir() + "/from.db"})
	now := time.UnixMilli(time.Now().UnixMilli())
	for range 3 {
		if err := src.Proposals.Insert(ctx, &Proposal{Author: "@a:x", Lang: "fr", Minutes: 10, Title: "T", Abstract: "A", CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := src.DB.Exec(ctx, `DELETE FROM proposal WHERE id=2`); err != nil {
		t.Fatal(err)
	}
	_ = src.Reviews.Put(ctx, &Review{ProposalID: 3, Reviewer: "@o:x", Score: 4, UpdatedAt: now})
	_ = src.Prefs.Put(ctx, ReminderPref{User: "@a:x", Enabled: true, Lang: "fr"}, now)
	_ = src.State.Set(ctx, KeyNextBatch, "s1")
	_ = src.State.Set(ctx, KeyDeviceID, "DEV")
	eachDB(t, func(t *testing.T, open func() *Store) {
		dst := open()
		counts, err := Copy(ctx, src, dst)
		if err != nil {
			t.Fatal(err)
		}
		if counts["proposal"] != 2 || counts["review"] != 1 || counts["reminder_pref"] != 1 || counts["bot_state"] < 1 {
			t.Errorf("counts: %v", counts)
		}
		if v, _ := dst.State.Get(ctx, KeyNextBatch); v != "" {
			t.Error("the sync token must not be copied")
		}
		if v, _ := dst.State.Get(ctx, KeyDeviceID); v != "DEV" {
			t.Error("device not copied")
		}
		if p, _ := dst.Proposals.Get(ctx, 3); p == nil {
			t.Error("proposal numbers not kept")
		}
		next := &Proposal{Author: "@b:x", Lang: "fr", Minutes: 10, Title: "T", Abstract: "A", CreatedAt: now}
		if err := dst.Proposals.Insert(ctx, next); err != nil || next.ID != 4 {
			t.Errorf("next proposal: %d %v, want 4", next.ID, err)
		}
		if r, _ := dst.Prefs.Recipients(ctx, false, ""); len(r) != 1 {
			t.Errorf("preference not copied as enabled: %v", r)
		}
		if _, err := Copy(ctx, src, dst); err == nil {
			t.Error("copy into a non-empty database accepted")
		}
	})
}
