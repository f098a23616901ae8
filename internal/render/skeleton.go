package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
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

// Finished pages. Data holds nothing of the build on a content page
// (layouts/page.html): its file is a function of the page, its body and
// its breadcrumbs. So it is made once per page and (body, breadcrumbs),
// kept, and handed to every later build that sees the page the same way:
// those builds emit the very same bytes, which the caller may then store
// once. The key is a SHA-256 of the body and the breadcrumbs; the page is
// the slot of Renderer.parts.

// maxFiles bounds the finished files kept per page.
const maxFiles = 4

// fileKey is the key of a content page's finished file.
func fileKey(body []byte, crumbs template.HTML) [32]byte {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	h.Write(n[:binary.PutUvarint(n[:], uint64(len(body)))])
	h.Write(body)
	h.Write([]byte(crumbs))
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// finished returns the kept file of page i for key, nil if none.
func (r *Renderer) finished(i int, key [32]byte) []byte {
	pp := &r.parts[i]
	pp.mu.Lock()
	defer pp.mu.Unlock()
	return pp.files[key]
}

// keep stores data as page i's file for key. data is never modified
// afterwards: it is emitted as is by every build that finds it.
func (r *Renderer) keep(i int, key [32]byte, data []byte) {
	pp := &r.parts[i]
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if len(pp.files) >= maxFiles {
		return
	}
	if pp.files == nil {
		pp.files = map[[32]byte][]byte{}
	}
	pp.files[key] = data
}

// layout runs the layout of s.data.Kind and emits the assembled file,
// or emits the kept file of a content page.
func (s *state) layout(crumbs template.HTML, body []byte, out string) error {
	if len(body) > 0 {
		s.data.Body = bodyMark
	}
	if crumbs != "" {
		s.data.Breadcrumbs = crumbsMark
	}
	shared := s.data.Kind == "page" && s.data.page != nil
	var key [32]byte
	if shared {
		key = fileKey(body, crumbs)
		if data := s.r.finished(s.data.page.Index, key); data != nil {
			return s.write(out, data)
		}
	}
	s.buf.Reset()
	if err := s.r.th.layouts[s.data.Kind].Execute(&s.buf, &s.data); err != nil {
		return fmt.Errorf("render: %s: theme layouts/%s.html: %w", out, s.data.Kind, err)
	}
	data, err := s.r.assemble(s.buf.Bytes(), body, crumbs, s.data.Root)
	if err != nil {
		return fmt.Errorf("render: %s: %w", out, err)
	}
	if shared {
		s.r.keep(s.data.page.Index, key, data)
	}
	return s.write(out, data)
}

// assemble copies a layout's output into a new slice, replacing markers;
// root is the page's root link, for site partials.
// A NUL that starts no marker is dropped: it is never valid in HTML.
func (r *Renderer) assemble(out, body []byte, crumbs template.HTML, root string) ([]byte, error) {
	dst := make([]byte, 0, len(out)+len(body)+len(crumbs)+4096)
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
			dst = append(dst, body...)
		case out[0] == 'C' && len(arg) == 0:
			dst = append(dst, crumbs...)
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
