package verify

import (
	"bytes"
	"strings"
	"sync"
)

// resolveRel resolves a relative reference against the folder URL dir.
// It works in a recycled buffer, so that the many relative links of a
// site's pages cost no allocation (see cleanRooted).
func (ix *Index) resolveRel(dir, ref string) (int, bool) {
	raw, _ := splitSuffix(ref)
	bp := pathBufs.Get().(*[]byte)
	defer pathBufs.Put(bp)
	b := append(append((*bp)[:0], dir...), raw...)
	for i := len(dir); i < len(b); i++ {
		if b[i] == '\\' {
			b[i] = '/'
		}
	}
	if bytes.IndexByte(b, '%') >= 0 {
		b = unescapePercent(b)
	}
	id, ok := ix.lookupRooted(b)
	*bp = b[:0]
	return id, ok
}

var pathBufs = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// lookupRooted is lookup for a decoded path that starts with "/", cleaned
// in place.
func (ix *Index) lookupRooted(p []byte) (int, bool) {
	dir := bytes.HasSuffix(p, []byte("/")) || bytes.HasSuffix(p, []byte("/.")) || bytes.HasSuffix(p, []byte("/.."))
	c := cleanRooted(p)
	if dir && len(c) > 1 {
		c = append(c, '/')
	}
	if k, ok := ix.urls[string(c)]; ok {
		return int(k), true
	}
	if bytes.HasSuffix(c, []byte("/index.html")) {
		if k, ok := ix.urls[string(c[:len(c)-len("index.html")])]; ok {
			return int(k), true
		}
	}
	if c[len(c)-1] != '/' {
		if k, ok := ix.urls[string(append(c, '/'))]; ok {
			return int(k), true
		}
	}
	return 0, false
}

// cleanRooted is path.Clean for a path that starts with "/", in place:
// doubled slashes, "." and ".." segments and a final slash go.
func cleanRooted(b []byte) []byte {
	n, w, r := len(b), 1, 1
	for r < n {
		switch {
		case b[r] == '/':
			r++
		case b[r] == '.' && (r+1 == n || b[r+1] == '/'):
			r++
		case b[r] == '.' && b[r+1] == '.' && (r+2 == n || b[r+2] == '/'):
			r += 2
			if w > 1 {
				w--
				for w > 1 && b[w] != '/' {
					w--
				}
			}
		default:
			if w != 1 {
				b[w] = '/'
				w++
			}
			for ; r < n && b[r] != '/'; r++ {
				b[w] = b[r]
				w++
			}
		}
	}
	return b[:w]
}

// lookup finds the item at a path, percent-decoded and cleaned; a page is
// found with or without its final slash and with "index.html".
func (ix *Index) lookup(p string) (int, bool) {
	p = cleanPath(p)
	if k, ok := ix.urls[p]; ok {
		return int(k), true
	}
	if q, ok := strings.CutSuffix(p, "/index.html"); ok {
		if k, ok := ix.urls[q+"/"]; ok {
			return int(k), true
		}
	}
	if !strings.HasSuffix(p, "/") {
		if k, ok := ix.urls[p+"/"]; ok {
			return int(k), true
		}
	}
	return 0, false
}
