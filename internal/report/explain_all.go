package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/build"
)

// Listing is ExplainAll's answer: every page one identity sees, each with
// the rule that admits it.
type Listing struct {
	// Identity, Notes, Build and Exact are as in Explanation.
	Identity access.Identity
	Notes    []string
	Build    *build.PlannedBuild
	Exact    bool
	// Pages are the visible pages in site order (drafts and generated
	// section pages left out), each with its deciding rule.
	Pages []Admitted

	exp *Explanation
}

// ExplainAll lists every page q.As sees (q.Page is not used), with the
// rule that decided each, resolving the identity as Explain does.
func ExplainAll(s *build.Site, q Query) (*Listing, error) {
	e := &Explanation{site: s}
	if err := e.identify(s, q); err != nil {
		return nil, err
	}
	e.Build, e.Exact = serveBuild(s, e.Identity, q.Now)
	l := &Listing{Identity: e.Identity, Notes: e.Notes, Build: e.Build, Exact: e.Exact, Pages: []Admitted{}, exp: e}
	for _, p := range s.Tree.Pages {
		if !counted(p) || p.Index >= len(s.Rules.Chains) {
			continue
		}
		d := access.Decide(s.Rules.Chains[p.Index], e.Identity)
		if d.Visible {
			l.Pages = append(l.Pages, Admitted{URL: p.URL, Title: p.Title, File: p.File,
				Rule: strings.TrimPrefix(d.Reason(), "visible: "), Personal: personal(d)})
		}
	}
	return l, nil
}

// WriteText writes the listing: who, the identity, the notes, the build
// the gateway would serve, then one page a line with its rule.
func (l *Listing) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	e := l.exp
	ew.printf("every page visible as %s: %s\n\n", e.who(), plural(len(l.Pages), "page"))
	rows := [][]string{{"identity:", e.identityLine()}}
	for _, n := range l.Notes {
		rows = append(rows, []string{"note:", n})
	}
	writeTable(ew, append(rows, []string{"build:", l.buildLine()}))
	ew.printf("\n")
	writeAdmitted(ew, l.Pages, "  ")
	return ew.err
}

// buildLine names the build the gateway would serve.
func (l *Listing) buildLine() string {
	if l.Build == nil {
		return "none: no build is a subset of what this identity may see, so the gateway serves nothing"
	}
	how := "its visible set equals this identity's"
	if !l.Exact {
		how = "no build matches exactly; the largest one within what this identity may see, which lacks some of these pages"
	}
	return fmt.Sprintf("%s/ (%s)", l.Build.Dir, how)
}
