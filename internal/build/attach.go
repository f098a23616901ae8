package build

import (
	"slices"
	"time"

	"github.com/facet-docs/facet/internal/access"
)

// Which attachments a build holds. An attachment (a non-markdown file
// under content/) is in a build when its owner page is visible there and
// either nothing refers to it, or a page that links to it, embeds it or
// references it in raw HTML is present there, or an attachment held there
// refers to it (a stylesheet's url(), an SVG's image: attachrefs.go). So a
// file that only hidden pages use, directly or through files they use, is
// not published with the section that owns it, and a file a visible
// stylesheet loads is. The same set decides what emitBuild copies, which
// links bodies keep (bodies.holds) and what the verifier treats as hidden.

// uses is who refers to each attachment, by its position in
// tree.Attachments: pages (by index, in page order) and other attachments
// (by position).
type uses struct {
	pages [][]int
	files [][]int
	// refs is the converse of files: the attachments each one refers to.
	refs [][]int
}

// referenced reports whether any page or attachment refers to attachment i.
func (u uses) referenced(i int) bool { return len(u.pages[i]) > 0 || len(u.files[i]) > 0 }

// attachmentUsers finds, for each attachment, the pages whose converted
// body refers to it or whose text names it (attachrefs.go), and the
// attachments whose text does. Generated pages refer to nothing.
func (s *loadedSite) attachmentUsers() uses {
	n := len(s.tree.Pages)
	u := uses{pages: make([][]int, len(s.tree.Attachments)), files: make([][]int, len(s.tree.Attachments))}
	if s.usedBefore != nil {
		// a warm build's: what each page used in the recorded build
		for i, as := range s.usedBefore {
			for _, a := range as {
				if a >= 0 && a < len(u.pages) {
					u.pages[a] = append(u.pages[a], i)
				}
			}
		}
		s.attachmentRefs(&u)
		return u
	}
	for i, d := range s.docs {
		if d == nil {
			continue
		}
		for _, t := range d.Targets() {
			if a := t - n; a >= 0 && a < len(u.pages) {
				u.pages[a] = append(u.pages[a], i)
			}
		}
	}
	for j, ps := range s.pageWords() {
		u.pages[j] = append(u.pages[j], ps...)
		slices.Sort(u.pages[j])
		u.pages[j] = slices.Compact(u.pages[j])
	}
	s.attachmentRefs(&u)
	return u
}

// attachmentRefs fills u with the attachments each attachment refers to.
func (s *loadedSite) attachmentRefs(u *uses) {
	u.refs = s.fileRefs()
	for i, rs := range u.refs {
		for _, j := range rs {
			u.files[j] = append(u.files[j], i)
		}
	}
}

// heldAttachments is the set of attachments, by position in
// tree.Attachments, that a build with visible and present pages holds:
// first those no one refers to (where their owner passes down to the
// build: down, see passedDown) and those a present page refers to (where
// their owner is visible), then, until nothing changes, those a held
// attachment refers to (each only where its owner is visible).
func (s *loadedSite) heldAttachments(visible, down, present access.Set, u uses) access.Set {
	atts := s.tree.Attachments
	held := access.NewSet(len(atts))
	var work []int
	for i, a := range atts {
		unused := !u.referenced(i) && down.Has(a.Owner.Index)
		if unused || visible.Has(a.Owner.Index) && slices.ContainsFunc(u.pages[i], present.Has) {
			held.Add(i)
			work = append(work, i)
		}
	}
	for len(work) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		for _, j := range u.refs[i] {
			if !held.Has(j) && visible.Has(atts[j].Owner.Index) {
				held.Add(j)
				work = append(work, j)
			}
		}
	}
	return held
}

// Unused is an attachment that builds hold although no page links to it,
// embeds it or references it in raw HTML, and no other file refers to it.
type Unused struct {
	// File is the attachment's path from the site root ("content/a/x.csv").
	File string
	// Builds are the folders of the builds that hold it, in manifest order.
	Builds []string
}

// Unused lists the attachments some build holds that no page or file of
// the site refers to, in tree order: files published only because their owner is
// visible, which a reader reaches only by guessing the URL.
func (s *Site) Unused() []Unused {
	p := s.reportPlan(time.Now())
	var out []Unused
	for i, a := range s.s.tree.Attachments {
		if p.users.referenced(i) {
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

// passedDown clears from down, a build's visible set, each section page
// that id sees only through the page's own [page_access]: the section
// passes nothing down to id, so files in its folder that no page uses are
// not id's (those its page uses follow the page). down holds the pages
// whose section every audience of the build sees with the rules the
// section passes down.
func (s *loadedSite) passedDown(down access.Set, id access.Identity) {
	for i, p := range s.tree.Pages {
		if p.PageAccess == nil || p.Draft || !down.Has(i) || i >= len(s.rules.Chains) {
			continue
		}
		if c := s.rules.Chains[i]; len(c) > 0 && c[0] == p.PageAccess && !access.Decide(c[1:], id).Visible {
			down.Remove(i)
		}
	}
}
