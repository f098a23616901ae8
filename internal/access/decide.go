package access

import "fmt"

// Entry is one principal of a level, from its allow, grant or deny list.
type Entry struct {
	Principal Principal
	// Key is the list the entry came from: "allow", "grant" or "deny".
	Key string
	// Line is the 1-based line of the entry in Level.File, 0 if unknown.
	Line int
}

// Deny reports whether the entry is a deny entry.
func (e Entry) Deny() bool { return e.Key == "deny" }

// Level is the [access] table of one file: a page, a section's _index.md or
// the site default.
type Level struct {
	// File is the path the level came from, for messages ("content/a/_index.md").
	File string
	// Line is the line of the [access] table header, 0 if unknown.
	Line int
	// Closed is true when the level has an allow key, even allow = [].
	Closed bool
	// Entries are the level's principals in file order.
	Entries []Entry
	// Cascade is true when the table says cascade = true: its author means
	// it for every page below (a section's [access] applies below either
	// way; the key only tells `facet check` the widening is intended).
	Cascade bool
}

// Pos returns "file:line" for the level.
func (l *Level) Pos() string { return pos(l.File, l.Line) }

// Chain is the list of levels for a page, most specific first: the page, its
// section's _index.md, each ancestor's, content/_index.md, the site default.
// Levels without an [access] table are left out (an absent level is open and
// empty, so it never decides).
type Chain []*Level

// Decision is the outcome of Decide with the reason for it.
type Decision struct {
	Visible bool
	// Level is the level that decided, nil when the chain ended undecided.
	Level *Level
	// Entries are the matching entries of the most specific class that
	// decided; empty when a closed level decided by not matching.
	Entries []Entry
}

// Reason explains the decision in one line, naming the file and line.
func (d Decision) Reason() string {
	verdict := "hidden"
	if d.Visible {
		verdict = "visible"
	}
	if d.Level == nil {
		return verdict + ": no rule matched (the chain ends hidden)"
	}
	if len(d.Entries) == 0 {
		return fmt.Sprintf("%s: %s: closed level (allow) with no matching entry", verdict, d.Level.Pos())
	}
	e := d.Entries[0]
	for _, x := range d.Entries {
		if x.Deny() {
			e = x
			break
		}
	}
	return fmt.Sprintf("%s: %s: %s %s", verdict, pos(d.Level.File, e.Line), e.Key, e.Principal)
}

// Decide walks the chain for the identity, exactly as ACCESS.md's decision:
// at each level take the matching entries; if any, keep the most specific
// class present and the page is hidden when one of those is a deny, visible
// otherwise; if none, a closed level hides the page and an open level passes
// to the next. A chain that ends undecided hides the page.
func Decide(chain Chain, id Identity) Decision {
	for _, lvl := range chain {
		if lvl == nil {
			continue
		}
		best := 0
		for _, e := range lvl.Entries {
			if s := e.Principal.Class.Specificity(); s > best && e.Principal.Matches(id) {
				best = s
			}
		}
		if best == 0 {
			if lvl.Closed {
				return Decision{Visible: false, Level: lvl}
			}
			continue
		}
		var deciding []Entry
		deny := false
		for _, e := range lvl.Entries {
			if e.Principal.Class.Specificity() == best && e.Principal.Matches(id) {
				deciding = append(deciding, e)
				deny = deny || e.Deny()
			}
		}
		return Decision{Visible: !deny, Level: lvl, Entries: deciding}
	}
	return Decision{Visible: false}
}

func pos(file string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", file, line)
	}
	return file
}
