package commands

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"maunium.net/go/mautrix/format"
)

// FuzzRouter throws arbitrary messages at the command parser, the question
// matcher and every handler that runs without a database: no panic, no
// error, and what a member's client shows of the reply is only the markup
// the bot's markdown makes, with no script, handler or dangerous link.
func FuzzRouter(f *testing.F) {
	for _, s := range []string{
		"!salon", "!lieu", "!aide", "!help", "!dates", "!programme", "!horaires x", "!saloon", "!?", "!", "! ", "!!",
		"où a lieu le salon ?", "c'est payant", "!proposer 15 T | R", "!modifier 1 titre x", "!x`*[a](b)*`",
		"!<script>alert(1)</script>", "\u200b!salon", "!SALON\u202e", "!événement", "!planifier 1 31/02 25h99",
	} {
		f.Add(s, true)
	}
	r := newRouter(f, rehearsal())
	f.Fuzz(func(t *testing.T, body string, question bool) {
		if !utf8.ValidString(body) {
			return
		}
		// Commands that need the database are run by the proposals tests;
		// here the router has none, so they must be skipped, not crash.
		if name, _, ok := r.splitCommand(strings.TrimSpace(body)); ok {
			if rt, found := r.routes[matchKeyOf(name)]; found && (rt.Role == Organiser || needsStore[rt.Name]) {
				return
			}
		}
		reply, _, err := r.Handle(context.Background(), Input{Sender: "@u:x", Room: "!r:x", Body: body, Question: question, Direct: question})
		if err != nil {
			t.Fatalf("%q: %v", body, err)
		}
		if reply == nil {
			return
		}
		for _, p := range reply.Parts {
			formatted := format.RenderMarkdown(p.Markdown, true, false).FormattedBody
			if problem := unsafeMarkup(formatted); problem != "" {
				t.Fatalf("%q: %s in the reply: %s", body, problem, formatted)
			}
		}
	})
}

// markdownTags are the elements the bot's markdown may produce; a client
// shows anything else a reply carries.
var markdownTags = map[string]bool{
	"p": true, "br": true, "strong": true, "em": true, "del": true, "code": true, "pre": true, "a": true,
	"ul": true, "ol": true, "li": true, "blockquote": true, "hr": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
}

// unsafeMarkup parses a reply's HTML as a client would and names the first
// thing in it that markdown alone cannot have put there, "" if none.
func unsafeMarkup(formatted string) string {
	doc, err := html.Parse(strings.NewReader(formatted))
	if err != nil {
		return "unparsable HTML"
	}
	var walk func(n *html.Node) string
	walk = func(n *html.Node) string {
		if n.Type == html.ElementNode && n.Parent != nil && n.Parent.Type != html.DocumentNode &&
			!(n.Data == "head" || n.Data == "body") && !markdownTags[n.Data] {
			return "a <" + n.Data + "> element"
		}
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(key, "on"), key == "style", key == "src":
					return "a " + key + " attribute"
				case key == "href":
					u := strings.ToLower(strings.TrimSpace(a.Val))
					if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "mailto:") && !strings.HasPrefix(u, "matrix:") {
						return "a link to " + a.Val
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if problem := walk(c); problem != "" {
				return problem
			}
		}
		return ""
	}
	return walk(doc)
}

// needsStore lists the members' commands that use the database.
var needsStore = map[string]bool{
	"mespropositions": true, "rappels": true, "mesdonnees": true, "calendrier": true, "oublier": true,
	"proposer": true, "modifier": true, "retirer": true, "confirmer": true,
}

func matchKeyOf(name string) string {
	if name == "?" {
		return "?"
	}
	return matchKey(name)
}

// The check sees what a client would show, not what a string search finds.
func TestUnsafeMarkup(t *testing.T) {
	tests := []struct {
		html string
		safe bool
	}{
		{"<p><strong>Salon</strong> : <a href=\"https://example.org\">lien</a></p>", true},
		{"<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", true},
		{"<ul><li><code>!lieu</code></li></ul>", true},
		{"<p><script>alert(1)</script></p>", false},
		{"<p><img src=x onerror=alert(1)></p>", false},
		{"<p><a href=\"javascript:alert(1)\">x</a></p>", false},
		{"<p><span style=\"color:red\">x</span></p>", false},
	}
	for _, tc := range tests {
		if got := unsafeMarkup(tc.html) == ""; got != tc.safe {
			t.Errorf("unsafeMarkup(%q) safe = %v, want %v", tc.html, got, tc.safe)
		}
	}
}
