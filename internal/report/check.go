package report

import (
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/diag"
)

// Findings are what Check finds in a site that loads: errors make
// `facet check` fail, warnings are reported and let it pass (unless it is
// run with --strict).
type Findings struct {
	// Errors are every problem `facet build` only warns about: links to
	// nothing and links to drafts. Each is "file:line: message".
	Errors diag.List
	// Warnings are the pages no audience's build holds (drafts excluded),
	// the guests whose expiry has passed at the instant checked and the
	// attachments builds hold that no page refers to.
	Warnings diag.List
}

// Check lints a loaded site at the instant now. (Problems that stop a site from loading, such as unknown principals, are
// build.Load's errors: the caller reports those.)
func Check(s *build.Site, now time.Time) Findings {
	var f Findings
	for _, w := range s.Warnings {
		f.Errors.Append(w)
	}
	f.Errors.Sort()
	f.unseen(s, now)
	f.hiddenSlugs(s, now)
	f.expired(s, now)
	f.unused(s)
	f.widening(s, now)
	f.Warnings.Sort()
	return f
}

// unseen warns about every page no audience's build holds, with why
// members do not see it.
func (f *Findings) unseen(s *build.Site, now time.Time) {
	seen := access.NewSet(len(s.Tree.Pages))
	for _, b := range s.BuildsAt(now) {
		if b.Expired {
			continue // never written: its guests are outsiders now
		}
		for i := range seen {
			seen[i] |= b.Present[i]
		}
	}
	member := access.Identity{Kind: access.Member}
	for _, p := range s.Tree.Pages {
		if !counted(p) || seen.Has(p.Index) {
			continue
		}
		line := 0
		if p.Access != nil {
			line = p.Access.Line
		}
		why := access.Decide(s.Rules.Chains[p.Index], member).Reason()
		f.Warnings.Addf(p.File, line, "nobody can see this page: no audience's build holds it (for members: %s)", why)
	}
}

// expired warns about every guest whose expiry has passed.
func (f *Findings) expired(s *build.Site, now time.Time) {
	for _, g := range s.Access.Directory.Guests {
		if !g.Expired(now) {
			continue
		}
		f.Warnings.Addf(config.AccessFile, s.Access.GuestExpiresLine[g.Email],
			"guest %q expired on %s: signs in as an outsider and sees only what anonymous sees (remove the entry or extend expires)",
			g.Email, s.Access.GuestExpires[g.Email])
	}
}

// unused warns about every attachment that builds hold although no page
// links to it, embeds it or references it in raw HTML, naming the builds.
func (f *Findings) unused(s *build.Site) {
	for _, u := range s.Unused() {
		where := "build " + u.Builds[0]
		if len(u.Builds) > 1 {
			where = "builds " + strings.Join(u.Builds, ", ")
		}
		f.Warnings.Addf(u.File, 0,
			"no page links to or embeds this file, yet it is published in %s (readers reach it only by its URL; link it from a page, or remove it)",
			where)
	}
}

// Failed reports whether the findings fail the check: any error, or with
// strict any warning too.
func (f Findings) Failed(strict bool) bool {
	return len(f.Errors) > 0 || strict && len(f.Warnings) > 0
}
