package tomlx

import (
	"cmp"
	"slices"

	"github.com/facet-docs/facet/internal/access"
)

// levelKeys are the principal keys of an [access] table, in the order they
// are read (besides them, the table may say cascade = true).
var levelKeys = []string{"allow", "grant", "deny"}

// ParseLevel reads the [access] table at key of t (config/site.toml's
// [access] or a page's frontmatter [access]) into a level of t's file. It
// returns nil when t has no such key. The level is closed when it has an
// allow key, even allow = []; allow and grant principals become allow
// entries, deny principals deny entries, each with the line it is written
// on, in file order. Unknown principals and unknown keys are recorded as
// problems of t's document at their lines and left out of the level.
//
// It checks principals only for form: whether a group is declared or a user
// known depends on config/access.toml (see config.CheckLevel).
func ParseLevel(t *Table, key string) *access.Level {
	a := t.Table(key)
	if a == nil {
		return nil
	}
	lvl := &access.Level{File: t.doc.File, Line: t.Line(key), Closed: a.Has("allow")}
	for _, k := range levelKeys {
		vals, lines, _ := a.Strings(k)
		for i, s := range vals {
			p, err := access.ParsePrincipal(s)
			if err != nil {
				t.ErrorAt(lines[i], "%v", err)
				continue
			}
			lvl.Entries = append(lvl.Entries, access.Entry{Principal: p, Key: k, Line: lines[i]})
		}
	}
	slices.SortStableFunc(lvl.Entries, func(x, y access.Entry) int { return cmp.Compare(x.Line, y.Line) })
	a.Bool("cascade", &lvl.Cascade)
	a.Finish()
	return lvl
}
