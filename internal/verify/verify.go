// Package verify is facet's release gate: it finds, in a file a build
// emits, every page or attachment of the site that the file refers to, by
// URL or by title, so that the caller can fail the build when one of them is
// hidden from that build. It knows nothing of how builds are made or who may
// see what: the caller holds the rules, and decides which references are
// traces (see Index.Refs, Index.Mentions and Leak).
//
// What it reads as a reference (the rules, each tested):
//   - HTML, SVG and XML are tokenized (golang.org/x/net/html): every URL
//     attribute (href, src, srcset, ping, poster, action, data, cite,
//     xlink:href, meta refresh content, SVG animation values, CSS url() in
//     style, and any attribute whose name ends in href, src or url), quoted,
//     single-quoted or bare, is resolved like a browser would (relative to
//     the file, root-relative, or absolute on one of the site's hosts) and
//     is a Link reference. srcdoc is scanned as HTML, and so is a data:
//     URL's payload (percent-encoded or base64) that holds markup; one
//     that holds other text is scanned as text. The text of a block
//     the theme draws as a mermaid diagram (class fc-mermaid) is read as
//     mermaid reads it: each word (a bare name too), and each URL
//     attribute of its labels' HTML, is a Link reference. So is what a
//     browser or an XML reader loads from other places: a CSS url() in any
//     attribute (an SVG fill), a url( left open, a string that @import or
//     image-set() loads, a processing instruction's href, a doctype's
//     quoted paths, what a doctype's entities spell once put in place; a
//     <base href> or xml:base is a second folder relative links resolve
//     against.
//   - Every text (text nodes, every attribute value, scripts, styles,
//     comments, and whole non-HTML files) is decoded (character references,
//     JSON escapes, percent-encoding, white space collapsed) and searched
//     for the site's URLs as text ("/a/b/", "/docs/a/b", "https://HOST/docs/a/b/",
//     "HOST/docs/a/b/", and in quotes "a/b/") and for titles. A text is cut
//     at block elements, so that titles of two list items never join. In
//     scripts and non-HTML files, a quoted "./" or "../" URL or a markdown
//     link destination, and a feed's <link> text, is a URL as text resolved
//     against the file's folder.
//   - Titles match byte for byte (case included: a title shown upper-cased
//     by CSS is still its own bytes in the file) on Unicode word boundaries:
//     letters, digits and marks of scripts written with spaces form words,
//     and every character of a script without spaces (Han, kana, Thai...)
//     is a word of its own.
//
// A file is scanned once whatever the number of builds that hold it, and
// the parts of HTML files shared between files (a page's body in several
// builds) once: each build then checks the references against its own
// hidden set.
package verify

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Site tells the site's own URLs from others' (internal/siteurl.Site
// implements it; nil means a site without base URL or hosts).
type Site interface {
	// Local maps an absolute or scheme-relative URL of the site to its
	// root-relative path.
	Local(ref string) (p, suffix string, ok bool)
	// StripBase maps a root-relative path spelled with the base path to the
	// site's root-relative path.
	StripBase(raw, suffix string) (p, suf string, ok bool)
	// IsHost reports whether host is one of the site's.
	IsHost(scheme, host string) bool
	// BasePath is the base URL's path without trailing slash.
	BasePath() string
}

// Item is a page or an attachment of the site.
type Item struct {
	// URL is the root-relative URL ("/a/b/", "/a/x.pdf"); empty when the
	// URL may appear in every build (the home page "/").
	URL string
	// Title is the page's title; empty when it is not looked for (an
	// attachment, a generated or low-information title: see LowInfo).
	Title string
	// File is the source file, for messages.
	File string
}

// Kind is how a file refers to an item.
type Kind uint8

const (
	// Link is a URL a browser follows or fetches: an href, a src, a CSS
	// url(). It is a trace whenever its target is hidden.
	Link Kind = iota + 1
	// Text is the item's URL written as text.
	Text
	// Title is the item's title written as text.
	Title
)

// Ref is one reference of a file to an item.
type Ref struct {
	ID   int
	Kind Kind
}

// Refs are the references of a file, each item and kind once, in order of
// discovery.
type Refs []Ref

// Leak is a trace of a hidden item found in an emitted file.
type Leak struct {
	Build string // build folder
	File  string // file within the build
	Ref   Ref
	Item  Item
	Text  string // the text found, with a little around it
}

// Error names the build, the file, the hidden page, the text found and how
// to resolve it.
func (l *Leak) Error() string {
	var what, fix string
	switch l.Ref.Kind {
	case Link:
		what = "a link to " + l.Item.URL
		fix = "remove the link or the raw HTML that makes it, or make the target visible to this build"
	case Text:
		what = "the URL " + l.Item.URL + " as text"
		fix = "write it as code (`" + l.Item.URL + "`) in a page this build holds, use a markdown link (facet redacts those), or remove it"
	default:
		what = fmt.Sprintf("the title %q", l.Item.Title)
		fix = "rename the hidden page, write the words in a page this build holds (that makes them the author's own), or use a markdown link instead of its title"
	}
	return fmt.Sprintf("verify: build %s: %s contains %s (of %s, which is hidden from this build): %q; to resolve: %s",
		l.Build, l.File, what, l.Item.File, l.Text, fix)
}

// Packed holds Refs in a quarter of their memory (an id and a kind in 32
// bits), for callers that keep the references of many files.
type Packed []uint32

// Pack returns r packed, in the same order.
func (r Refs) Pack() Packed {
	p := make(Packed, len(r))
	for i, x := range r {
		p[i] = pack(x)
	}
	return p
}

func pack(r Ref) uint32 { return uint32(r.ID)<<2 | uint32(r.Kind) }

// hidden is the kind of the one reference that is not to an item: the
// scanner read text the file's bytes do not show (the payload of a data:
// URL in base64), so no filter over the bytes can tell what it holds
// (Packed.Hides). Refs and the kinds Check looks at leave it out.
const hidden Kind = 0

// Hides reports whether the scan found text its file's bytes do not show:
// a TitleFilter cannot clear such a file, which must be scanned again for
// new titles.
func (p Packed) Hides() bool { return slices.Contains(p, pack(Ref{Kind: hidden})) }

// HasTitle reports whether p holds a reference by the title of item id.
func (p Packed) HasTitle(id int) bool { return slices.Contains(p, pack(Ref{ID: id, Kind: Title})) }

// At returns the i-th reference.
func (p Packed) At(i int) Ref { return Ref{ID: int(p[i] >> 2), Kind: Kind(p[i] & 3)} }

// WithoutTitles returns p less its references by the title of an item in
// ids; p itself when it has none.
func (p Packed) WithoutTitles(ids map[int]bool) Packed {
	drop := func(x uint32) bool {
		r := Packed{x}.At(0)
		return r.Kind == Title && ids[r.ID]
	}
	if !slices.ContainsFunc(p, drop) {
		return p
	}
	return slices.DeleteFunc(slices.Clone(p), drop)
}

// Check returns the first of refs (found by Refs in the file at name,
// whose content data returns) that leak reports, as a Leak with the text
// found; nil when there is none. Links come first, then URLs as text, then
// titles.
func (ix *Index) Check(build, name string, data func() []byte, refs Refs, leak func(r Ref) bool) *Leak {
	return ix.CheckPacked(build, name, data, refs.Pack(), leak)
}

// CheckPacked is Check for packed references.
func (ix *Index) CheckPacked(build, name string, data func() []byte, refs Packed, leak func(r Ref) bool) *Leak {
	for _, k := range []Kind{Link, Text, Title} {
		for i := range refs {
			if r := refs.At(i); r.Kind == k && leak(r) {
				return &Leak{Build: build, File: name, Ref: r, Item: ix.items[r.ID], Text: ix.context(name, data(), r)}
			}
		}
	}
	return nil
}

// Item returns the item with id i.
func (ix *Index) Item(i int) Item { return ix.items[i] }

// pattern kinds, in the low bits of a matcher id.
const (
	patTitle    = 0
	patRooted   = 1 // "/a/b" (a page's URL without its final slash)
	patRootless = 2 // "a/b", found only between quotes
	patWord     = 3 // a title of one word (see Index.word)
	patShift    = 2
)

// Index knows every URL and title of a site.
type Index struct {
	// words is set (GatherWords) when scans keep the words of the text
	// they read (RefsWords).
	words bool
	// from, when set, is the index whose chunks ix takes (Inherit).
	from  *inheritance
	items []Item
	site  Site
	base  string           // the base path ("/docs"), "" at the root
	urls  map[string]int32 // decoded, cleaned URL -> id
	page  []bool           // the item's URL ends in "/"
	// rooted is the item's URL as text patterns spell it: cleaned,
	// collapsed (see collapse), without its final slash.
	rooted []string
	// word is, for a title of one word, the title as written: such a
	// title (often a common word: "Ops", "Plan") is found in its own case
	// or all upper-case only, so that "ops" in a path or a key is not it;
	// longer titles are found in any case.
	word  []string
	upper []string // word upper-cased
	m     *matcher
	cache chunkCache
}

// NewIndex indexes items; their position is their id in Refs. site
// recognises absolute URLs of the site (nil for none).
func NewIndex(items []Item, site Site) *Index {
	ix := &Index{items: items, site: site, urls: make(map[string]int32, len(items)),
		page: make([]bool, len(items)), rooted: make([]string, len(items)), word: make([]string, len(items)),
		upper: make([]string, len(items))}
	if site != nil {
		ix.base = site.BasePath()
	}
	var pats []string
	var ids []int32
	for i, it := range items {
		id := int32(i) << patShift
		if it.URL != "" {
			u := cleanPath(it.URL)
			ix.urls[u] = int32(i)
			ix.page[i] = strings.HasSuffix(u, "/")
			p, f := collapse(nil, nil, []byte(strings.TrimSuffix(u, "/")))
			if ix.rooted[i] = string(p); len(p) > 1 {
				// found in folded text, then compared in their own case
				// (sameURL); a space may be written "+"
				for _, v := range []string{string(f), strings.ReplaceAll(string(f), " ", "+")} {
					pats = append(pats, v, v[1:])
					ids = append(ids, id|patRooted, id|patRootless)
				}
			}
		}
		if t := NormTitle(it.Title); t != "" {
			pats = append(pats, t)
			ids = append(ids, id|patTitle)
			if !strings.Contains(t, " ") {
				o, _ := collapse(nil, nil, []byte(strings.TrimSpace(it.Title)))
				ix.word[i] = string(o)
				ix.upper[i] = strings.ToUpper(ix.word[i])
				ids[len(ids)-1] = id | patWord
			}
		}
	}
	ix.m = newMatcher(pats, ids)
	ix.cache.init()
	return ix
}

// sameCase reports whether m, a title found in folded text, may be
// item's title: any case for a title of several words, its own case or
// all upper-case for one word.
func (ix *Index) sameCase(m []byte, item int) bool {
	w := ix.word[item]
	return w == "" || string(m) == w || string(m) == ix.upper[item]
}

// refSet collects references, each item and kind once; with ctx, each
// with the text around it (only when a leak is reported: contexts of every
// reference of every file would cost memory for nothing).
type refSet struct {
	refs Refs
	seen map[uint64]bool
	ctx  bool
	ctxs map[Ref]string
}

func (s *refSet) add(id int, k Kind, ctx func() string) {
	r := Ref{ID: id, Kind: k}
	if s.has(r) {
		return
	}
	if s.ctx {
		if s.ctxs == nil {
			s.ctxs = map[Ref]string{}
		}
		s.ctxs[r] = ctx()
	}
	s.refs = append(s.refs, r)
}

// has reports whether r was added, and records it as added: a few
// references are looked up in refs, more in seen.
func (s *refSet) has(r Ref) bool {
	const few = 16
	if len(s.refs) < few {
		return slices.Contains(s.refs, r)
	}
	key := uint64(r.ID)<<2 | uint64(r.Kind)
	if s.seen == nil {
		s.seen = make(map[uint64]bool, 2*few)
		for _, x := range s.refs {
			s.seen[uint64(x.ID)<<2|uint64(x.Kind)] = true
		}
	}
	if s.seen[key] {
		return true
	}
	s.seen[key] = true
	return false
}

// ids returns the distinct ids of refs of kind k, sorted.
func (r Refs) ids(k Kind) []int {
	m := map[int]bool{}
	for _, x := range r {
		if x.Kind == k {
			m[x.ID] = true
		}
	}
	return slices.Sorted(maps.Keys(m))
}

// snippet is text[at:end] with up to 30 bytes either side, cut on rune
// boundaries.
func snippet(text []byte, at, end int) string {
	from, to := max(0, at-30), min(len(text), end+30)
	for from > 0 && from < at && text[from]&0xC0 == 0x80 {
		from--
	}
	for to < len(text) && text[to]&0xC0 == 0x80 {
		to++
	}
	return strings.TrimSpace(string(text[from:to]))
}
