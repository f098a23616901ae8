package build

import (
	"fmt"
	"hash/maphash"
	"sync/atomic"

	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/markdown"
)

// A page's conversion is kept from one build to the next, by its file:
// its Doc depends on its body and the markdown options, and on what each
// of its links resolved to. So a Rebuild keeps a page's Doc when the body
// and options are the same and every link, asked again of the new tree,
// resolves to the same href and the same page or file (by source path, so
// that a page added before it, which moves every index, costs a remap and
// no markdown work). Asking again also repeats the warnings (broken links,
// links to drafts), so a kept page warns as a converted one does.

// conversion is a page's converted Doc and what it asked the resolver.
type conversion struct {
	body    bodyKey
	options string
	doc     *markdown.Doc
	calls   []resolveCall
	// named is the words of the body that may name an attachment
	// (fileNames.eachNamed over its variants), for the attachment names
	// of the site it was found with; nil until found. A rebuild that
	// keeps the conversion and the names tries them without reading
	// the body again (loadedSite.namedIn).
	named atomic.Pointer[namedWords]
}

// namedWords is the words of a body that may name an attachment of a
// site whose attachments' names have print names.
type namedWords struct {
	names uint64
	words [][]byte
}

// bodyKey identifies a page's markdown body.
type bodyKey struct {
	a, b uint64
	n    int
}

// bodySeeds are the seeds of bodyKey, the same for every build of a process.
var bodySeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

func keyOfBody(b []byte) bodyKey {
	return bodyKey{maphash.Bytes(bodySeeds[0], b), maphash.Bytes(bodySeeds[1], b), len(b)}
}

// resolveCall is one question a conversion asked the resolver and its
// answer; target names the page or file by source path ("" for none).
type resolveCall struct {
	dest   string
	line   int
	names  bool // a Names call (else Resolve)
	href   string
	id     int
	target string
	ok     bool
}

// convOptions are the settings a Doc depends on besides its body.
func convOptions(cfg *config.Site) string {
	return fmt.Sprintf("%t %t", cfg.Markdown.Unsafe, cfg.Markdown.Highlight)
}

// recording is a resolver that records the questions asked of it.
type recording struct {
	*resolver
	calls []resolveCall
}

// Resolve implements markdown.Resolver.
func (r *recording) Resolve(dest string, line int) (string, int, bool) {
	href, id, ok := r.resolver.Resolve(dest, line)
	r.calls = append(r.calls, resolveCall{dest: dest, line: line, href: href, id: id, target: r.source(id, ok), ok: ok})
	return href, id, ok
}

// Names implements markdown.Resolver.
func (r *recording) Names(ref string) bool {
	ok := r.resolver.Names(ref)
	r.calls = append(r.calls, resolveCall{dest: ref, names: true, ok: ok})
	return ok
}

// source is the source path of target id, "" when there is none.
func (r *resolver) source(id int, ok bool) string {
	if !ok {
		return ""
	}
	pages := r.s.tree.Pages
	if id < len(pages) {
		return "p:" + pages[id].File
	}
	return "a:" + r.s.tree.Attachments[id-len(pages)].File
}

// convertPage converts the page of r, or keeps prev's Doc (remapped to
// the new ids) when the body, the options and every link's resolution
// are the same. It returns the conversion to keep, nil when the site keeps
// none.
func (s *loadedSite) convertPage(conv *markdown.Converter, r *resolver, prev *conversion) (*markdown.Doc, *conversion, error) {
	p := r.page
	if s.convs == nil {
		doc, err := s.convertCached(conv, p, r)
		if err != nil {
			return nil, nil, convertError(p, err)
		}
		return doc, nil, nil
	}
	key, opts := keyOfBody(p.Body), convOptions(s.cfg)
	if prev != nil && prev.body == key && prev.options == opts {
		if c, ok := prev.replay(r); ok {
			return c.doc, c, nil
		}
	}
	rec := &recording{resolver: r}
	doc, err := conv.Convert(p.Body, rec)
	if err != nil {
		return nil, nil, convertError(p, err)
	}
	return doc, &conversion{body: key, options: opts, doc: doc, calls: rec.calls}, nil
}

// replay asks r every question c asked; when every answer is the same
// (targets by source path), it returns c with its Doc remapped to the new
// ids. Warnings go to r as they did when c was made.
func (c *conversion) replay(r *resolver) (*conversion, bool) {
	var warnings []error
	quiet := *r
	quiet.warn = func(err error) { warnings = append(warnings, err) }
	out, ok := c.ask(&quiet)
	if ok {
		for _, w := range warnings {
			r.warn(w)
		}
	}
	return out, ok
}

// ask is replay with warnings going to r.
func (c *conversion) ask(r *resolver) (*conversion, bool) {
	moved := map[int]int{}
	calls := make([]resolveCall, len(c.calls))
	for i, q := range c.calls {
		a := q
		if q.names {
			a.ok = r.Names(q.dest)
		} else {
			a.href, a.id, a.ok = r.Resolve(q.dest, q.line)
			a.target = r.source(a.id, a.ok)
		}
		if a.ok != q.ok || a.href != q.href || a.target != q.target {
			return nil, false
		}
		if !q.names && q.ok && a.id != q.id {
			moved[q.id] = a.id
		}
		calls[i] = a
	}
	if len(moved) == 0 {
		return c, true
	}
	doc := c.doc.Remap(func(t int) int {
		if n, ok := moved[t]; ok {
			return n
		}
		return t
	})
	return &conversion{body: c.body, options: c.options, doc: doc, calls: calls}, true
}
