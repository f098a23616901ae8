// Package place tells whether a path lies inside a folder, however either
// is spelled: relative or absolute, with dot segments, or through
// symbolic links. facet uses it to keep what it writes (build output,
// caches, the sign-in ledger) out of the folders whose files a build
// publishes.
package place

import (
	"path/filepath"
	"strings"
)

// Published returns the folders of the site at site whose files every
// build publishes: content/ (pages' attachments) and themes/ (a theme's
// assets). What facet writes must stay out of them.
func Published(site string) []string {
	return []string{filepath.Join(site, "content"), filepath.Join(site, "themes")}
}

// Within returns the first of dirs that path lies in (or is), "" when
// none or when path is "".
func Within(path string, dirs ...string) string {
	if path == "" {
		return ""
	}
	p := Real(path)
	for _, d := range dirs {
		if d == "" {
			continue
		}
		rd := Real(d)
		if p == rd || strings.HasPrefix(p, strings.TrimSuffix(rd, string(filepath.Separator))+string(filepath.Separator)) {
			return d
		}
	}
	return ""
}

// Real is path made absolute and clean, with symbolic links resolved in
// its longest leading part that exists (the rest need not exist yet).
func Real(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	rest := ""
	for dir := abs; ; {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}
