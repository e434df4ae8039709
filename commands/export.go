package commands

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/bluehats/bluehats-bot/i18n"
	"github.com/bluehats/bluehats-bot/storage"
)

var exportCmd = &Spec{Name: "export", English: "export", Role: Organiser, Args: AnyArgs, Help: Help{
	FR: "exporter les propositions en CSV ou JSON",
	EN: "export the proposals as CSV or JSON",
}}

// Export formats.
const (
	FormatCSV  = "csv"
	FormatJSON = "json"
)

// ExportedProposal is one proposal as exports show it; the JSON names are
// the format's contract with the tools that read it.
type ExportedProposal struct {
	ID             int64    `json:"id"`
	State          string   `json:"state"`
	Author         string   `json:"author"`
	AuthorName     string   `json:"author_name"`
	Minutes        int      `json:"minutes"`
	Title          string   `json:"title"`
	Abstract       string   `json:"abstract"`
	Administration string   `json:"administration"`
	Speakers       string   `json:"speakers"`
	Software       string   `json:"software"`
	AverageScore   *float64 `json:"average_score"`
	Reviews        int      `json:"reviews"`
	Slot           string   `json:"slot,omitempty"` // RFC 3339, event zone
	Confirmed      bool     `json:"confirmed"`
	DecisionNote   string   `json:"decision_note,omitempty"`
	SubmittedAt    string   `json:"submitted_at"`
}

// Export writes every proposal as CSV or JSON. The CSV starts with a byte
// order mark so that spreadsheets read the accents right; its headers are
// in the given language.
func Export(ctx context.Context, store *storage.Store, conferenceID string, names Names, loc *time.Location, format string, lang i18n.Lang, w io.Writer) error {
	list, err := store.Proposals.All(ctx, conferenceID)
	if err != nil {
		return err
	}
	rows := make([]ExportedProposal, len(list))
	for i, p := range list {
		name := ""
		if p.Author != "" {
			name = names.DisplayName(ctx, p.Author)
		}
		rows[i] = exportProposal(p, name, loc)
	}
	switch format {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	case FormatCSV:
		return writeCSV(w, rows, i18n.Get(lang))
	default:
		return fmt.Errorf("unknown export format %q", format)
	}
}

// exportProposal is one proposal as exports show it.
func exportProposal(p *storage.Proposal, authorName string, loc *time.Location) ExportedProposal {
	row := ExportedProposal{
		ID: p.ID, State: p.DisplayState(), Author: p.Author.String(), AuthorName: authorName,
		Minutes: p.Minutes, Title: p.Title, Abstract: p.Abstract, Administration: p.Administration,
		Speakers: p.Speakers, Software: p.Software, Reviews: p.ReviewCount, Confirmed: !p.ConfirmedAt.IsZero(),
		DecisionNote: p.DecisionNote, SubmittedAt: p.CreatedAt.In(loc).Format(time.RFC3339),
	}
	if p.ReviewCount > 0 {
		avg := p.AverageScore()
		row.AverageScore = &avg
	}
	if p.Scheduled() {
		row.Slot = p.SlotStart.In(loc).Format(time.RFC3339)
	}
	return row
}

func writeCSV(w io.Writer, rows []ExportedProposal, t *i18n.Text) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.ExportHeaders); err != nil {
		return err
	}
	for _, r := range rows {
		avg := ""
		if r.AverageScore != nil {
			avg = strconv.FormatFloat(*r.AverageScore, 'f', 2, 64)
		}
		err := cw.Write([]string{
			strconv.FormatInt(r.ID, 10), r.State, r.Author, r.AuthorName, strconv.Itoa(r.Minutes), r.Title, r.Abstract,
			r.Administration, r.Speakers, r.Software, avg, strconv.Itoa(r.Reviews), r.Slot, strconv.FormatBool(r.Confirmed),
			r.DecisionNote, r.SubmittedAt,
		})
		if err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func export(ctx context.Context, env *Env, req *Request) (*Reply, error) {
	t := req.T
	format := strings.ToLower(strings.TrimSpace(req.Args))
	if format == "" {
		format = FormatCSV
	}
	if format != FormatCSV && format != FormatJSON {
		return failed(invalid(fmt.Sprintf(t.ExportUsage, req.Typed)))
	}
	var buf bytes.Buffer
	if err := Export(ctx, env.Store, env.ConferenceID, env.Names, env.Conference.Location, format, req.Lang, &buf); err != nil {
		return nil, err
	}
	mime := "text/csv; charset=utf-8"
	if format == FormatJSON {
		mime = "application/json"
	}
	file := &File{Name: "propositions-" + req.Now.In(env.Conference.Location).Format("2006-01-02") + "." + format, MIME: mime, Data: buf.Bytes()}
	if req.Direct {
		return &Reply{Parts: []Part{{File: file}}}, nil
	}
	return &Reply{Parts: []Part{{Markdown: t.AnswerInDirect}, {File: file, To: ToSender}}}, nil
}
