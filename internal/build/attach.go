package build

import (
	"slices"

	"github.com/facet-docs/facet/internal/access"
)

// Which attachments a build holds. An attachment (a non-markdown file
// under content/) is in a build when its owner page is visible there and,
// if any page of the site links to it, embeds it or references it in raw
// HTML, at least one of those pages is present there too. So a file that
// only hidden pages use is not published with the section that owns it.
// The same set decides what emitBuild copies, which links bodies keep
// (bodies.holds) and what the verifier treats as hidden.

// attachmentUsers lists, for each attachment by its position in
// tree.Attachments, the pages whose converted body refers to it, in page
// order. Pages not converted (generated ones) refer to nothing.
func (s *site) attachmentUsers() [][]int {
	n := len(s.tree.Pages)
	users := make([][]int, len(s.tree.Attachments))
	for i, d := range s.docs {
		if d == nil {
			continue
		}
		for _, t := range d.Targets() {
			if a := t - n; a >= 0 && a < len(users) {
				users[a] = append(users[a], i)
			}
		}
	}
	return users
}

// heldAttachments is the set of attachments, by position in
// tree.Attachments, that a build with visible and present pages holds.
func (s *site) heldAttachments(visible, present access.Set, users [][]int) access.Set {
	held := access.NewSet(len(s.tree.Attachments))
	for i, a := range s.tree.Attachments {
		if !visible.Has(a.Owner.Index) {
			continue
		}
		if len(users[i]) == 0 || slices.ContainsFunc(users[i], present.Has) {
			held.Add(i)
		}
	}
	return held
}

// Unused is an attachment that builds hold although no page links to it,
// embeds it or references it in raw HTML.
type Unused struct {
	// File is the attachment's path from the site root ("content/a/x.csv").
	File string
	// Builds are the folders of the builds that hold it, in manifest order.
	Builds []string
}

// Unused lists the attachments some build holds that no page of the site
// refers to, in tree order: files published only because their owner is
// visible, which a reader reaches only by guessing the URL.
func (s *Site) Unused() []Unused {
	p := s.s.plan(nil)
	var out []Unused
	for i, a := range s.s.tree.Attachments {
		if len(p.users[i]) > 0 {
			continue
		}
		u := Unused{File: a.File}
		for _, bp := range p.builds {
			if bp.atts.Has(i) {
				u.Builds = append(u.Builds, bp.r.Dir)
			}
		}
		if len(u.Builds) > 0 {
			out = append(out, u)
		}
	}
	return out
}
