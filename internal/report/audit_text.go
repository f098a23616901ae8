package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes the audit as indented JSON with the field names of
// Audit's documentation.
func (a *Audit) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteText writes the audit for a terminal: a summary, the matrix of
// audiences against spaces ("visible/total" in each cell), every guest
// with their expiry and pages, and the pages nobody sees.
func (a *Audit) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("facet audit of %q at %s\n", a.Site, a.At)
	drafts := ""
	if a.Drafts > 0 {
		drafts = fmt.Sprintf(" (and %s, in no build)", plural(a.Drafts, "draft"))
	}
	ew.printf("%s in %s%s; %s sharing %s\n\n", plural(a.Pages, "page"), plural(len(a.Spaces), "space"),
		drafts, plural(len(a.Audiences), "audience"), plural(a.Builds, "build"))
	ew.printf("Who sees what (visible/total pages in each space):\n")
	head := []string{"  audience", "build"}
	for _, sp := range a.Spaces {
		head = append(head, sp.URL)
	}
	rows := [][]string{append(head, "all")}
	for _, r := range a.Audiences {
		id := r.ID
		if r.Expired {
			id += " (expired)"
		}
		cols := []string{"  " + id, r.Build + "/"}
		for _, c := range r.Spaces {
			cols = append(cols, fmt.Sprintf("%d/%d", c.Visible, c.Total))
		}
		rows = append(rows, append(cols, fmt.Sprintf("%d/%d", r.Visible, a.Pages)))
	}
	writeTable(ew, rows)
	a.writeGuests(ew)
	a.writeGroups(ew)
	a.writeExpiring(ew)
	a.writeLedger(ew)
	if len(a.Unseen) > 0 {
		ew.printf("\nNobody sees %s (no audience's build holds it):\n", plural(len(a.Unseen), "page"))
		writeRefs(ew, a.Unseen, "  ")
	}
	return ew.err
}

// writeGuests writes the guests section of the text form.
func (a *Audit) writeGuests(ew *errWriter) {
	if len(a.Guests) == 0 {
		ew.printf("\nNo guests are declared.\n")
		return
	}
	ew.printf("\nGuests (%d):\n", len(a.Guests))
	for _, g := range a.Guests {
		name := ""
		if g.Name != "" {
			name = fmt.Sprintf(" %q", g.Name)
		}
		groups := "no groups"
		if len(g.Groups) > 0 {
			groups = "groups " + strings.Join(g.Groups, ", ")
		}
		expiry := "never expires"
		if g.Expires != "" {
			expiry = "expires " + g.Expires
		}
		ew.printf("  %s%s: %s, %s, %s\n", g.Email, name, g.Kind, groups, expiry)
		if g.Expired {
			ew.printf("    EXPIRED: signs in as an outsider and sees only what anonymous sees; remove the entry or extend expires\n")
			ew.printf("    while valid, build %s/ gave them %s:\n", g.Build, plural(len(g.Pages), "page"))
		} else {
			ew.printf("    build %s/, %s:\n", g.Build, plural(len(g.Pages), "page"))
		}
		writeRefs(ew, g.Pages, "      ")
		if len(g.Beyond) > 0 {
			ew.printf("    beyond anonymous, %s (%d shared with them alone), and why:\n", plural(len(g.Beyond), "page"), personalCount(g.Beyond))
			writeAdmitted(ew, g.Beyond, "      ")
		}
	}
}

// writeGroups writes, for each declared group, what it alone adds to
// anonymous and why.
func (a *Audit) writeGroups(ew *errWriter) {
	if len(a.Groups) == 0 {
		return
	}
	ew.printf("\nGroups (what each adds to anonymous on its own, and why):\n")
	for _, g := range a.Groups {
		title := ""
		if g.Title != "" && g.Title != g.Group {
			title = fmt.Sprintf(" %q", g.Title)
		}
		ew.printf("  %s%s: %s\n", g.Group, title, plural(len(g.Beyond), "page"))
		writeAdmitted(ew, g.Beyond, "    ")
	}
}

// writeExpiring writes the guests whose access ends within 30 days.
func (a *Audit) writeExpiring(ew *errWriter) {
	if len(a.Expiring) == 0 {
		return
	}
	ew.printf("\nGuests expiring within 30 days:\n")
	for _, g := range a.Expiring {
		name := ""
		if g.Name != "" {
			name = fmt.Sprintf(" %q", g.Name)
		}
		ew.printf("  %s%s: %s (%s left)\n", g.Email, name, g.Expires, plural(g.Days, "day"))
	}
}

// writeAdmitted writes one page a line: URL, title, the rule, and
// "(them alone)" for a page shared with one person.
func writeAdmitted(ew *errWriter, pages []Admitted, indent string) {
	var rows [][]string
	for _, p := range pages {
		who := ""
		if p.Personal {
			who = "(them alone)"
		}
		rows = append(rows, []string{indent + p.URL, p.Title, p.Rule, who})
	}
	writeTable(ew, rows)
}

// personalCount counts the pages shared with one person.
func personalCount(pages []Admitted) int {
	n := 0
	for _, p := range pages {
		if p.Personal {
			n++
		}
	}
	return n
}

// writeRefs writes one page a line, URL then title, aligned.
func writeRefs(ew *errWriter, refs []PageRef, indent string) {
	var rows [][]string
	for _, r := range refs {
		rows = append(rows, []string{indent + r.URL, r.Title})
	}
	writeTable(ew, rows)
}

// writeTable writes rows with their columns aligned, two spaces apart,
// and no trailing spaces.
func writeTable(ew *errWriter, rows [][]string) {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 2, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush() // a strings.Builder does not fail
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		if line != "" {
			ew.printf("%s\n", strings.TrimRight(line, " \n"))
		}
	}
}

// plural writes "1 page" or "2 pages".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// errWriter remembers the first write error so that a report is written
// without checking every line.
type errWriter struct {
	w   io.Writer
	err error
}

// Write implements io.Writer; after an error it writes nothing.
func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }

var _ io.Writer = (*errWriter)(nil)

// writeLedger writes what the sign-in ledger says of the guests.
func (a *Audit) writeLedger(ew *errWriter) {
	l := a.Ledger
	if l == nil {
		return
	}
	ew.printf("\nSign-ins of guests (ledger, %s):\n", plural(l.Entries, "line"))
	var rows [][]string
	for _, g := range l.Guests {
		line := plural(g.SignIns, "sign-in")
		if g.Last != "" {
			line += ", last " + g.Last
		}
		if g.Outsider > 0 {
			line += fmt.Sprintf("; %d more with this address not as the guest (unverified or expired)", g.Outsider)
		}
		rows = append(rows, []string{"  " + g.Email, line})
	}
	writeTable(ew, rows)
	if len(l.Never) > 0 {
		ew.printf("Never signed in: %s\n", strings.Join(l.Never, ", "))
	}
}
