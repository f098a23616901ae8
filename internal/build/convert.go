package build

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/diag"
	"github.com/facet-docs/facet/internal/markdown"
	"github.com/facet-docs/facet/internal/siteurl"
)

// resolver maps the link destinations of one page to targets: a page's
// target id is its Index; an attachment's is len(tree.Pages) plus its
// position in tree.Attachments.
type resolver struct {
	s      *loadedSite
	page   *content.Page
	urls   *siteurl.Site // the site's own URLs: base_url and hosts
	attIDs map[*content.Attachment]int
	warn   func(error)
}

// Resolve implements markdown.Resolver.
func (r *resolver) Resolve(dest string, line int) (string, int, bool) {
	tgt, internal, found := r.target(dest)
	if !internal {
		return "", 0, false
	}
	if !found {
		if moved, to, suf, ok := r.relocated(dest); ok {
			// An address from before a page set its own url: written
			// against the page's URL, it names no folder of the old one.
			if t, ok := r.s.tree.ResolvePath(to, suf); ok {
				r.warn(diag.Errorf(r.page.File, r.page.BodyLine+line-1,
					"link %q: %s moved to %s (its url); link there", dest, moved.File, moved.URL))
				tgt, found = t, true
			} else {
				r.warn(diag.Errorf(r.page.File, r.page.BodyLine+line-1,
					"broken link %q: no page or file there (%s moved to %s)", dest, moved.File, moved.URL))
				return content.RelURL(r.page.URL, to) + suf, moved.Index, true
			}
		}
	}
	if !found {
		if page, to, suf, ok := r.aliased(dest); ok {
			// An alias redirects to its page only where the page is:
			// written against the page's URL, the link names no alias
			// of a page the build may not hold.
			if t, ok := r.s.tree.ResolvePath(to, suf); ok {
				r.warn(diag.Errorf(r.page.File, r.page.BodyLine+line-1,
					"link %q: an alias of %s, which is at %s; link there", dest, page.File, page.URL))
				tgt, found = t, true
			} else {
				r.warn(diag.Errorf(r.page.File, r.page.BodyLine+line-1,
					"broken link %q: no page or file there (an alias of %s, which is at %s)", dest, page.File, page.URL))
				return content.RelURL(r.page.URL, to) + suf, page.Index, true
			}
		}
	}
	if !found {
		r.warn(diag.Errorf(r.page.File, r.page.BodyLine+line-1, "broken link %q: no page or file there", dest))
		tgt = r.near(dest)
		if tgt.Page == nil && tgt.Attachment == nil {
			return "", 0, false
		}
		// The link stays as written, but only in builds that hold what
		// it lies under: elsewhere its path names a hidden folder. A
		// folder whose _index.md is hidden shows where its stand-in does.
		return dest, r.folderID(tgt), true
	}
	var url string
	switch {
	case tgt.Page != nil:
		if tgt.Page.Draft {
			r.warn(diag.Errorf(r.page.File, r.page.BodyLine+line-1, "link %q points to a draft", dest))
		}
		url = tgt.Page.URL
	case tgt.Attachment != nil:
		url = tgt.Attachment.URL
	default:
		return "", 0, false
	}
	id := r.id(tgt)
	if content.NamesFolder(dest) {
		id = r.folderID(tgt)
	}
	return content.RelURL(r.page.URL, url) + tgt.Suffix, id, true
}

// attachmentIDs maps each attachment to its target id.
func (s *loadedSite) attachmentIDs() map[*content.Attachment]int {
	n := len(s.tree.Pages)
	ids := make(map[*content.Attachment]int, len(s.tree.Attachments))
	for i, a := range s.tree.Attachments {
		ids[a] = n + i
	}
	return ids
}

// folderID is the target id of a link that names a page by its folder's
// address: a section page's stand-in (bodies.heldAs takes it to the
// section page where a build holds that), else the page's own id.
func (r *resolver) folderID(tgt content.Target) int {
	if sp := tgt.Page.StandinPage(); sp != nil {
		return sp.Index
	}
	return r.id(tgt)
}

// id returns the target id of a page or attachment.
func (r *resolver) id(tgt content.Target) int {
	if tgt.Page != nil {
		return tgt.Page.Index
	}
	return r.attIDs[tgt.Attachment]
}

// convert parses and renders every page's markdown once, in parallel, and
// fills missing titles from the first heading, then the file name. A page
// whose conversion prev holds (by file) for the same body, and whose links
// resolve as they did then, keeps it (rebuild_convert.go).
func (s *loadedSite) convert(ctx context.Context, workers int, warn func(error), prog *progress, prev map[string]*conversion) error {
	conv := markdown.New(s.markdownOptions())
	urls := siteurl.New(s.cfg.BaseURL, s.cfg.Hosts)
	n := len(s.tree.Pages)
	s.docs = make([]*markdown.Doc, n)
	attIDs := s.attachmentIDs()
	recs := make([]*conversion, n)
	var mu sync.Mutex
	var warnings []error
	lockedWarn := func(err error) {
		mu.Lock()
		warnings = append(warnings, err)
		mu.Unlock()
	}
	errs := make([]error, n)
	var done atomic.Int64
	prog.phase("converting", n, &done)
	var g errgroup.Group
	g.SetLimit(max(1, workers))
	for i, p := range s.tree.Pages {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if !p.Generated {
				r := &resolver{s: s, page: p, urls: urls, attIDs: attIDs, warn: lockedWarn}
				s.docs[i], recs[i], errs[i] = s.convertPage(conv, r, prev[p.File])
			}
			done.Add(1)
			return nil
		})
	}
	g.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	var list diag.List
	for _, err := range errs {
		list.Append(err)
	}
	if len(list) > 0 {
		list.Sort()
		return list
	}
	if s.convs != nil {
		for i, c := range recs {
			if c != nil {
				s.convs[s.tree.Pages[i].File] = c
			}
		}
	}
	diagSort(warnings)
	for _, w := range warnings {
		warn(w)
	}
	for i, p := range s.tree.Pages {
		if p.Title != "" {
			continue
		}
		if d := s.docs[i]; d != nil && d.Title != "" {
			p.Title = d.Title
		} else {
			p.Title = p.FileTitle
		}
	}
	return nil
}

// convertError turns Convert's error into positioned errors: one per
// refused raw-HTML construct, at its line in the page's file.
func convertError(p *content.Page, err error) error {
	var refused markdown.Refused
	if !errors.As(err, &refused) {
		return diag.Errorf(p.File, p.BodyLine, "markdown: %v", err)
	}
	var l diag.List
	for _, x := range refused {
		l = append(l, diag.Errorf(p.File, p.BodyLine+x.Line-1, "raw HTML: %s", x.Msg))
	}
	return l
}

// diagSort orders warnings by file and line, for stable output.
func diagSort(errs []error) {
	var l diag.List
	var other []error
	for _, e := range errs {
		if d, ok := e.(*diag.Error); ok {
			l = append(l, d)
		} else {
			other = append(other, e)
		}
	}
	l.Sort()
	n := 0
	for _, d := range l {
		errs[n] = d
		n++
	}
	copy(errs[n:], other)
}
