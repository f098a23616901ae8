package render

import (
	"bytes"
	"fmt"
	"html/template"
)

// Markers a layout prints for what is filled in after it runs:
// html/template escapes NUL in every context, so only these values put
// NUL bytes in a layout's output. assemble replaces them.
const (
	bodyMark   = template.HTML("\x00B\x00")
	crumbsMark = template.HTML("\x00C\x00")
	// A site partial is "\x00P" + template name + "\x00".
)

// Page skeletons. Data holds nothing of the build on a content page
// (layouts/page.html): with the body and the breadcrumbs printed as
// markers, the layout's output is a function of the page alone (and of
// whether it has a body and breadcrumbs at all). So the layout runs once per
// page; every build then assembles the stored skeleton with its own body
// and breadcrumbs, which costs a copy. Builds that see a page the same way
// get the same bytes, which the caller may store once. Only skeletons are
// kept (a few KB a page), never finished files, so memory does not grow
// with the number of builds.

// skelKey says which skeleton of a page a build needs: whether there is a
// body, breadcrumbs, backlinks and an edit link at all (a build under one
// of whose sections the page's source lies without holding that section
// has none: see pageMeta), and the meta description, which falls back to
// the start of the build's body text.
func skelKey(body []byte, crumbs, back template.HTML, edit bool, description string) string {
	k := []byte{'0', '0', '0', '0'}
	if len(body) > 0 {
		k[0] = '1'
	}
	if crumbs != "" {
		k[1] = '1'
	}
	if back != "" {
		k[2] = '1'
	}
	if edit {
		k[3] = '1'
	}
	return string(k) + description
}

// maxSkeletons bounds the skeletons kept per page.
const maxSkeletons = 4

// skeleton returns the kept skeleton of page i for key, nil if none.
func (r *Renderer) skeleton(i int, key string) []byte {
	pp := &r.parts[i]
	pp.mu.Lock()
	defer pp.mu.Unlock()
	return pp.skel[key]
}

// keep stores a copy of out as page i's skeleton for key.
func (r *Renderer) keep(i int, key string, out []byte) {
	pp := &r.parts[i]
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if pp.skel == nil {
		pp.skel = map[string][]byte{}
	}
	if pp.skel[key] == nil && len(pp.skel) < maxSkeletons {
		pp.skel[key] = bytes.Clone(out)
	}
}

// layout runs the layout of s.data.Kind, or takes the kept skeleton of a
// content page, and emits the assembled file; the page's backlinks are
// s.back.
func (s *pass) layout(crumbs template.HTML, body []byte, out string) error {
	if len(body) > 0 {
		s.data.Body = bodyMark
	}
	if crumbs != "" {
		s.data.Breadcrumbs = crumbsMark
	}
	back := s.back
	s.back = ""
	if back != "" {
		s.data.Backlinks = backlinksMark
	}
	shared := s.data.Kind == "page" && s.data.page != nil
	key := skelKey(body, crumbs, back, s.data.EditURL != "", s.data.Description)
	var skel []byte
	if shared {
		skel = s.r.skeleton(s.data.page.Index, key)
	}
	// Other layouts (sections, tags, home, 404) are kept in the memo
	// alone: their pages are one per build, not shared between builds.
	memo := skel == nil && s.r.memo != nil
	var mk [2]uint64
	if memo {
		mk = s.r.skeletonKey(&s.data)
		if sk, ok := s.r.memo.skels.get(mk); ok {
			skel, memo = sk, false
			if shared {
				s.r.keep(s.data.page.Index, key, skel)
			}
		}
	}
	if skel == nil {
		s.buf.Reset()
		if err := s.r.th.layouts[s.data.Kind].Execute(&s.buf, &s.data); err != nil {
			return fmt.Errorf("render: %s: theme layouts/%s.html: %w", out, s.data.Kind, err)
		}
		skel = s.buf.Bytes()
		if shared {
			s.r.keep(s.data.page.Index, key, skel)
		}
		if memo {
			s.r.memo.skels.put(mk, bytes.Clone(skel), int64(len(skel))+64)
		}
	}
	data, err := s.r.assemble(s.page[:0], skel, fills{body: body, crumbs: crumbs, back: back}, s.data.Root)
	if err != nil {
		return fmt.Errorf("render: %s: %w", out, err)
	}
	s.page = data
	return s.write(out, data)
}

// fills are what a page's markers stand for.
type fills struct {
	body         []byte
	crumbs, back template.HTML
}

// assemble appends a layout's output to dst, replacing markers;
// root is the page's root link, for site partials.
// A NUL that starts no marker is dropped: it is never valid in HTML.
func (r *Renderer) assemble(dst, out []byte, f fills, root string) ([]byte, error) {
	for {
		i := bytes.IndexByte(out, 0)
		if i < 0 {
			return append(dst, out...), nil
		}
		dst = append(dst, out[:i]...)
		out = out[i+1:]
		j := bytes.IndexByte(out, 0)
		if j < 1 {
			continue
		}
		arg := out[1:j]
		switch {
		case out[0] == 'B' && len(arg) == 0:
			dst = append(dst, f.body...)
		case out[0] == 'C' && len(arg) == 0:
			dst = append(dst, f.crumbs...)
		case out[0] == 'L' && len(arg) == 0:
			dst = append(dst, f.back...)
		case out[0] == 'P':
			h, err := r.sitePartial(string(arg), root)
			if err != nil {
				return nil, err
			}
			dst = append(dst, h...)
		default:
			continue
		}
		out = out[j+1:]
	}
}
