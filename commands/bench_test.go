package commands

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"

	"maunium.net/go/mautrix/id"

	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/storage"
)

// fill stores n proposals from n/3 authors, a third of them reviewed.
func fill(b *testing.B, w *world, n int) {
	ctx := context.Background()
	err := w.store.Txn(ctx, func(ctx context.Context) error {
		for i := range n {
			p := &storage.Proposal{Author: id.UserID(fmt.Sprintf("@speaker%d:example.org", i/3)), Lang: "fr", Minutes: 5 + i%16,
				Title: fmt.Sprintf("Intervention n°%d sur les logiciels libres de l'État", i), Abstract: "Un résumé de quelques phrases, avec des accents : é, è, à, ç.",
				Administration: "DINUM", CreatedAt: w.clock.Now()}
			if err := w.store.Proposals.Insert(ctx, p); err != nil {
				return err
			}
			if i%3 == 0 {
				if err := w.store.Reviews.Put(ctx, &storage.Review{ProposalID: p.ID, Reviewer: orga, Score: 1 + i%5, UpdatedAt: w.clock.Now()}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

func BenchmarkStoreProposal(b *testing.B) {
	w := newWorld(b, rehearsal())
	w.env.Conference.Proposals.MaxPerPerson = 0
	b.ReportAllocs()
	for b.Loop() {
		w.dm(alice, "!proposer 15 Logiciels libres à l'État | Retour d'expérience")
	}
}

// BenchmarkListProposals10k is one page of !propositions among 10,000.
func BenchmarkListProposals10k(b *testing.B) {
	w := newWorld(b, rehearsal())
	fill(b, w, 10000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w.dm(orga, "!propositions soumises 250")
	}
}

// BenchmarkExportCSV10k exports 10,000 proposals, reporting the database size.
func BenchmarkExportCSV10k(b *testing.B) {
	w := newWorld(b, rehearsal())
	fill(b, w, 10000)
	var buf bytes.Buffer
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		if err := Export(context.Background(), w.store, "", IDNames{}, paris(), FormatCSV, i18n.FR, &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(buf.Len())/1024, "csv-KiB")
	// With WAL, recent pages live beside the file until a checkpoint.
	var size int64
	for _, f := range []string{w.dbPath, w.dbPath + "-wal"} {
		if st, err := os.Stat(f); err == nil {
			size += st.Size()
		}
	}
	b.ReportMetric(float64(size)/1024/1024, "db-MiB")
}
