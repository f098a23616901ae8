package build

import (
	"context"
	"runtime"
	"slices"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/manifest"
)

// Site is a loaded and checked site, for commands that inspect a site
// (explain, audit, check) rather than build it.
type Site struct {
	// Config is config/site.toml.
	Config *config.Site
	// Access is config/access.toml.
	Access *config.Access
	// Tree is the content, titles filled in.
	Tree *content.Tree
	// Rules hold every page's chain, in Tree.Pages order (drafts get a
	// chain that hides them from everyone).
	Rules *access.Rules
	// Warnings are the problems a build only warns about (broken links).
	Warnings []error

	s *loadedSite
	// wanted are the combinations the gateway recorded in the output
	// folder a build would replace (ReadWanted).
	wanted []manifest.WantedCombination
}

// ReadWanted reads the group combinations the gateway recorded as wanted
// in out, the output folder `facet build` would replace (its wanted.json),
// so that Builds and BuildsAt plan them as a build into out does. A
// missing or unreadable file means none.
func (s *Site) ReadWanted(out string) { s.wanted = readWanted(out) }

// reportPlan plans every audience at now, expired guests' included, with
// the combinations still wanted at now, as Build would.
func (s *Site) reportPlan(now time.Time) *plan {
	return s.s.reportPlan(wantedGroups(s.s.stillWanted(s.wanted, now)), now)
}

// Load reads, checks and converts the site in dir exactly as Build does,
// without writing anything.
func Load(ctx context.Context, dir string) (*Site, error) {
	s, err := load(dir)
	if err != nil {
		return nil, err
	}
	out := &Site{Config: s.cfg, Access: s.acc, Tree: s.tree, Rules: s.rules, s: s}
	if err := s.convert(ctx, runtime.GOMAXPROCS(0), func(err error) { out.Warnings = append(out.Warnings, err) }, nil, nil); err != nil {
		return nil, err
	}
	return out, nil
}

// PlannedBuild is one distinct build of a site, as Build would write it.
type PlannedBuild struct {
	// Dir is the build folder name.
	Dir string
	// Audiences share the build.
	Audiences []access.Audience
	// Visible are the pages the audiences may see; Present the pages the
	// build holds (generated section pages only with something beneath).
	Visible, Present access.Set
	// Attachments are the attachments the build holds, by position in
	// Tree.Attachments (see HeldAttachments).
	Attachments access.Set
	// Expired is true when every audience of the build is a guest whose
	// expiry has passed: Build writes no such build (the gateway serves
	// them as outsiders); it is listed for what they had while valid.
	Expired bool
}

// Builds plans the site's audiences and builds as Build would now, with
// the builds of expired guests too (Build.Expired).
func (s *Site) Builds() []PlannedBuild {
	return s.BuildsAt(time.Now())
}

// BuildsAt is Builds with the clock at now: a build that exists at now has
// the folder name Build gives it; builds only guests expired at now have
// take the next free names.
func (s *Site) BuildsAt(now time.Time) []PlannedBuild {
	p := s.reportPlan(now)
	var out []PlannedBuild
	for _, bp := range p.builds {
		out = append(out, PlannedBuild{Dir: bp.r.Dir, Audiences: bp.audiences, Visible: bp.visible, Present: bp.r.Present,
			Attachments: bp.atts, Expired: bp.expiredOnly(now)})
	}
	return out
}

// HeldAttachments is the set of attachments, by position in
// Tree.Attachments, that id may fetch: those a build whose visible set is
// exactly id's holds (ACCESS.md: the owner is visible, and nothing uses
// the file or a page or file of that build does).
func (s *Site) HeldAttachments(id access.Identity) access.Set {
	ls := s.s
	vis := ls.rules.Visible(id)
	down := slices.Clone(vis)
	ls.passedDown(down, id)
	return ls.heldAttachments(vis, down, ls.present(vis), ls.attachmentUsers())
}

// AttachmentUsed reports whether a page or file of the site uses the
// attachment at position i of Tree.Attachments (ACCESS.md: links to it,
// embeds it or names it).
func (s *Site) AttachmentUsed(i int) bool { return s.s.attachmentUsers().referenced(i) }
