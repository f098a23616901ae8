package config

import (
	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/diag"
)

// CheckLevel reports the principals of lvl that dir does not know, at
// their lines: an undeclared group, or a user who is neither a declared
// guest nor in a member domain (a typo must never silently hide or expose a
// page). A nil level has no problems.
func CheckLevel(lvl *access.Level, dir *access.Directory) diag.List {
	if lvl == nil {
		return nil
	}
	var errs diag.List
	for _, e := range lvl.Entries {
		if err := dir.CheckPrincipal(e.Principal); err != nil {
			line := e.Line
			if line == 0 {
				line = lvl.Line
			}
			errs.Addf(lvl.File, line, "%s: %v", e.Key, err)
		}
	}
	return errs
}
