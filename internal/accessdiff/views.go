package accessdiff

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Empty reports whether no page changed audience.
func (r *Report) Empty() bool { return len(r.Pages) == 0 }

// FailOn values: the changes that make `facet diff --fail-on` exit 1.
const (
	FailAnonymous = "anonymous" // a page becomes visible to anonymous visitors
	FailGuest     = "guest"     // a guest gains a page (or anonymous does)
	FailAny       = "any"       // any audience gains or loses any page
)

// Fails reports whether the report holds a change of the kind what names
// (FailAnonymous, FailGuest, FailAny); "" never fails.
func (r *Report) Fails(what string) bool {
	switch what {
	case FailAnonymous:
		return len(r.Public) > 0
	case FailGuest:
		return len(r.Public) > 0 || len(r.Guests) > 0
	case FailAny:
		return !r.Empty()
	}
	return false
}

// WriteJSON writes the report as indented JSON (docs/CONTRACT.md gives
// the schema).
func (r *Report) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteText writes the report for a terminal.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	if r.Empty() {
		fmt.Fprintf(&b, "No access changes from %s to %s.\n", r.Base, r.Head)
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "Access changes from %s to %s: %d %s\n", r.Base, r.Head, len(r.Pages), plural(len(r.Pages), "page", "pages"))
	for _, p := range r.Pages {
		fmt.Fprintf(&b, "\n%s %s%s\n", p.Path, pageURL(p), titleOf(p))
		if p.Status != Changed || p.OldURL != "" {
			fmt.Fprintf(&b, "  %s\n", statusLine(p))
		}
		for _, c := range p.Gained {
			fmt.Fprintf(&b, "  + %s (%s)  %s\n", c.Audience, c.Kind, c.Rule)
		}
		for _, c := range p.Lost {
			fmt.Fprintf(&b, "  - %s (%s)  %s\n", c.Audience, c.Kind, c.Rule)
		}
	}
	if len(r.Public) > 0 || len(r.Guests) > 0 {
		b.WriteString("\n")
	}
	if len(r.Public) > 0 {
		fmt.Fprintf(&b, "Newly visible to anonymous visitors: %s\n", strings.Join(r.Public, ", "))
	}
	for _, g := range r.guestIDs() {
		fmt.Fprintf(&b, "Guest %s gains: %s\n", strings.TrimPrefix(g, "user:"), strings.Join(r.Guests[g], ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the report as a pull-request comment.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Access changes: %s → %s\n\n", mdCell(r.Base), mdCell(r.Head))
	if r.Empty() {
		b.WriteString("No page changes audience.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "%d %s", len(r.Pages), plural(len(r.Pages), "page changes audience", "pages change audience"))
	if n := len(r.Public); n > 0 {
		fmt.Fprintf(&b, "; **%d newly visible to anonymous visitors**", n)
	}
	if n := len(r.Guests); n > 0 {
		fmt.Fprintf(&b, "; **%d %s**", n, plural(n, "guest gains pages", "guests gain pages"))
	}
	b.WriteString(".\n\n| Page | | Audience | Rule |\n|---|---|---|---|\n")
	for _, p := range r.Pages {
		page := fmt.Sprintf("`%s`%s<br>%s", mdCode(p.URL), mdCell(titleOf(p)), mdCell(statusLine(p)))
		for _, c := range p.Gained {
			fmt.Fprintf(&b, "| %s | gains | %s (%s) | %s |\n", page, mdCell(c.Audience), c.Kind, mdCell(c.Rule))
			page = "〃"
		}
		for _, c := range p.Lost {
			fmt.Fprintf(&b, "| %s | loses | %s (%s) | %s |\n", page, mdCell(c.Audience), c.Kind, mdCell(c.Rule))
			page = "〃"
		}
		if len(p.Gained)+len(p.Lost) == 0 {
			fmt.Fprintf(&b, "| %s | | | |\n", page)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// guestIDs are the guest audiences that gain pages, sorted.
func (r *Report) guestIDs() []string {
	ids := make([]string, 0, len(r.Guests))
	for g := range r.Guests {
		ids = append(ids, g)
	}
	slices.Sort(ids)
	return ids
}

func pageURL(p PageDiff) string {
	if p.Path == p.URL {
		return ""
	}
	return p.URL
}

func titleOf(p PageDiff) string {
	if p.Title == "" {
		return ""
	}
	return fmt.Sprintf(" %q", p.Title)
}

// statusLine says what happened to the page.
func statusLine(p PageDiff) string {
	switch {
	case p.Status == Moved && p.OldURL != "":
		return fmt.Sprintf("moved from %s (%s)", p.OldPath, p.OldURL)
	case p.Status == Moved:
		return "moved from " + p.OldPath
	case p.OldURL != "":
		return "changed (was at " + p.OldURL + ")"
	}
	return string(p.Status)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// mdCell escapes text for a markdown table cell.
func mdCell(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "'", "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

// mdCode makes s safe inside a code span.
func mdCode(s string) string { return strings.NewReplacer("`", "'", "|", `\|`, "\n", " ").Replace(s) }
