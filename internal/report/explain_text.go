package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/facet-docs/facet/internal/access"
)

// WriteText writes the explanation: what was asked, the answer with the
// rule that decided (file:line) on its own line, then the identity, the
// notes, the chain level by level and the build the gateway would serve.
//
//	content/eng/api.md (/eng/api/ "Partner API") as guest carol@partner.example
//	visible: content/eng/api.md:5: grant user:carol@partner.example
func (e *Explanation) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	subject := fmt.Sprintf("%s (%s %q)", e.Page.File, e.Page.URL, e.Page.Title)
	if a := e.Attachment; a != nil {
		subject = fmt.Sprintf("%s (%s), attachment of %s", a.File, a.URL, subject)
	}
	ew.printf("%s as %s\n", subject, e.who())
	ew.printf("%s\n\n", e.answer())
	rows := [][]string{{"identity:", e.identityLine()}}
	if e.Identity.Kind != access.Anonymous {
		rows = append(rows, []string{"assumes:", "a verified address (email_verified true); unverified, the gateway takes " +
			e.Identity.Email + " as an outsider"})
	}
	for _, n := range e.Notes {
		rows = append(rows, []string{"note:", n})
	}
	writeTable(ew, append(rows, []string{"build:", e.buildLine()}))
	ew.printf("\nchain, most specific first:\n")
	e.writeChain(ew)
	return ew.err
}

// who names the identity in a few words.
func (e *Explanation) who() string {
	if e.Identity.Kind == access.Anonymous {
		return "anonymous"
	}
	return string(e.Identity.Kind) + " " + e.Identity.Email
}

// answer is the verdict line: "visible: FILE:LINE: KEY PRINCIPAL", or why
// the page is hidden.
func (e *Explanation) answer() string {
	reason := e.Decision.Reason()
	if e.Unused {
		return fmt.Sprintf("hidden: %s: %s (its owner alone would be %s)", e.Attachment.File, e.unusedWhy(), reason)
	}
	if !e.Draft {
		return reason
	}
	return fmt.Sprintf("hidden: %s: a draft, in no build (once published it would be %s)", e.Page.File, reason)
}

// identityLine describes the identity's kind, groups and where they come
// from.
func (e *Explanation) identityLine() string {
	id := e.Identity
	groups := "no groups"
	if len(id.Groups) > 0 {
		groups = "groups " + strings.Join(id.Groups, ", ")
	}
	switch id.Kind {
	case access.Anonymous:
		return "anonymous: not signed in; matches anyone only"
	case access.Member:
		return fmt.Sprintf("member %s, %s (the provider's claim); matches anyone, members, its groups and user:%s", id.Email, groups, id.Email)
	case access.Guest:
		s := "guest " + id.Email
		if e.Guest != nil && e.Guest.Name != "" {
			s += fmt.Sprintf(" %q", e.Guest.Name)
		}
		s += ", " + groups + " (from config/access.toml)"
		if e.Expires != "" {
			s += ", expires " + e.Expires
		}
		return s + "; matches anyone, guests, its groups and user:" + id.Email
	}
	return fmt.Sprintf("outsider %s; matches anyone only", id.Email)
}

// buildLine names the build the gateway would serve and whether it holds
// the page.
func (e *Explanation) buildLine() string {
	b := e.Build
	if b == nil {
		return "none: no build is a subset of what this identity may see, so the gateway serves nothing"
	}
	var ids []string
	for _, a := range b.Audiences {
		ids = append(ids, a.ID)
	}
	how := "its visible set equals this identity's"
	if !e.Exact {
		how = "no build matches exactly; the largest one within what this identity may see"
	}
	what := "the page"
	if e.Attachment != nil {
		what = "the file"
	}
	holds := "holds " + what
	if !e.Present {
		holds = "does not hold " + what
	}
	return fmt.Sprintf("%s/ (%s; audiences %s), which %s", b.Dir, how, strings.Join(ids, ", "), holds)
}

// writeChain writes each level with its position, kind and outcome, and
// under it each entry with its position and how it bears on the identity.
func (e *Explanation) writeChain(ew *errWriter) {
	var rows [][]string
	if len(e.Chain) == 0 {
		rows = append(rows, []string{"  (no level: no page, section or site default has an [access] table)"})
	}
	reached := true
	for _, l := range e.Chain {
		state := "closed"
		if !l.Closed {
			state = "open"
		}
		outcome := "not reached"
		switch {
		case !reached:
		case l == e.Decision.Level:
			outcome = "decides"
			reached = false
		default:
			outcome = "no entry matches: passes to the next level"
		}
		rows = append(rows, []string{"  " + l.Pos(), e.levelName(l) + ", " + state, outcome})
		if len(l.Entries) == 0 {
			rows = append(rows, []string{"    " + l.Pos(), "(no entries)", ""})
		}
		for _, en := range l.Entries {
			rows = append(rows, []string{"    " + entryPos(l, en), en.Key + " " + en.Principal.String(), e.entryState(l, en)})
		}
	}
	if e.Decision.Level == nil {
		rows = append(rows, []string{"  end of chain: no level decided, so the page is hidden"})
	}
	writeTable(ew, rows)
}

// entryPos is "file:line" of an entry, the level's position when unknown.
func entryPos(l *access.Level, en access.Entry) string {
	if en.Line > 0 {
		return fmt.Sprintf("%s:%d", l.File, en.Line)
	}
	return l.Pos()
}

// unusedWhy says why an attachment whose owner the identity sees is
// hidden from them.
func (e *Explanation) unusedWhy() string {
	if e.used {
		return "used only by pages and files hidden from this identity"
	}
	return "used by nothing, in a folder whose section page this identity sees through its [page_access] alone, which admits no other file"
}
