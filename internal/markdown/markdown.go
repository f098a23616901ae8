// Package markdown turns one page's markdown body into HTML that can be
// assembled for any audience without parsing it again.
//
// It owns the goldmark set-up (GFM, footnotes, heading IDs with anchor links,
// chroma highlighting through CSS classes, code block titles, highlighted
// lines and line numbers (codeblock.go), GitHub alerts (alert.go), content
// tabs (tabs.go), math (math.go), mermaid diagrams (mermaid.go), raw HTML on
// request) and the
// "link slots" of ACCESS.md: Convert parses and renders a page once, asking a
// Resolver about every link, image, URL autolink and (with Options.Unsafe)
// raw-HTML URL attribute, each destination decoded once (decodeDest) as a
// browser reads it. The result, a Doc, is a list of pre-rendered byte pieces
// interleaved with slots; Doc.Render only concatenates pieces, choosing for
// each slot the link, the author's plain words, or nothing.
//
// It does not know about pages, URLs, audiences or access rules: targets are
// plain integers chosen by the Resolver, and visibility is a callback. It
// imports nothing of facet's own packages.
//
// Goldmark's own renderers still write every byte; this package wraps them
// (renderer.go) for the node kinds that are or hold a slot (links, images,
// autolinks, raw HTML, headings, and the blocks a link can empty:
// paragraphs, text blocks, lists, list items, blockquotes, table cells,
// callouts and tabs) and records where their output starts and ends in
// the conversion's builder (builder.go), which goldmark writes into as its
// util.BufWriter. That keeps the HTML identical to goldmark's while
// costing one parse and one render per page, whatever the number of
// audiences; the price is that a page is converted only through
// Converter.Convert, whose builder the wrappers need. Callouts, tabs and
// math come in as a goldmark Extender (features.go: block and inline
// parsers and an AST transformer); a mermaid diagram is a fenced code
// block, written by the code-block renderer (highlight.go, mermaid.go).
//
// Choices beyond ACCESS.md's wording, made for "no trace":
//   - A tight list item's text is its paragraph: when it holds only a
//     hidden link it drops, even if the item keeps a visible nested list.
//   - "Only content" sees through emphasis and strikethrough, and covers
//     images and empty-text links too; a blockquote whose content all drops
//     goes as well.
//   - Heading ids are made from the heading's plain text, not goldmark's
//     source-line slug, which would put a link's destination in the id.
//   - Table alignment is an align attribute: the output holds no style
//     attribute of its own.
//   - An autolink of the site is all or nothing: its text is the URL.
//   - Raw HTML is refused rather than silently changed where a change would
//     alter what the author built (a script, a style, a handler); it is
//     changed silently only where nothing visible is lost (comments).
package markdown

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// DefaultStyle is the chroma style CSS uses when given no name.
const DefaultStyle = "github"

// Options are the site's markdown settings. The zero value is the safe
// choice: raw HTML omitted, no highlighting.
type Options struct {
	// Unsafe lets raw HTML (blocks and inline tags) pass through. Default
	// false: raw HTML is replaced by an HTML comment, as goldmark does. When
	// true, raw HTML is read through an allow-list: URL attributes (href,
	// src, srcset, ping, background, poster, a meta refresh's URL, …)
	// become slots like markdown links; comments and doctypes are dropped;
	// what could carry a link facet cannot redact (inline script, event
	// handlers, javascript: URLs, CSS that loads a URL, srcdoc, <base>,
	// animations of URL attributes, other attributes naming a page or file
	// of the site) makes Convert fail with Refused. Scripts loaded by src
	// still run: enable it only for trusted authors.
	Unsafe bool
	// Highlight turns on chroma syntax highlighting of fenced code blocks
	// with a known language, using CSS classes (see CSS), never inline
	// styles. Default false here; the site config defaults it to true.
	Highlight bool
	// Store, when not nil, keeps highlighted code blocks between builds:
	// a block found there is not highlighted again. Default nil.
	Store Store
}

// Converter turns markdown into Docs. It is safe for concurrent use by many
// goroutines.
type Converter struct {
	md     goldmark.Markdown
	unsafe bool
}

// New returns a Converter for the given options.
func New(o Options) *Converter {
	rendererOpts := []renderer.Option{
		extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute),
		renderer.WithNodeRenderers(util.Prioritized(newSlotRenderer(), 1)),
	}
	if o.Unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	exts := append(append([]goldmark.Extender{}, gfm...), extension.Footnote, features{})
	rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(
		util.Prioritized(newCodeRenderer(o.Store, o.Unsafe, o.Highlight), 200)))
	md := goldmark.New(
		goldmark.WithExtensions(exts...),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return &Converter{md: md, unsafe: o.Unsafe}
}

// maxBody is the most bytes of HTML one page's body may convert to: a
// Doc's program holds its offsets in 32 bits.
const maxBody = 1<<31 - 1

// Convert parses src once and renders it into a Doc, calling r.Resolve
// once for every link, image, URL autolink and (with Options.Unsafe)
// raw-HTML reference that reaches the output. Lines given to Resolve count
// from 1 in src. A nil r resolves nothing: every destination stays as
// written. Raw HTML it refuses makes it return a Refused error listing
// each construct with its line.
func (c *Converter) Convert(src []byte, r Resolver) (*Doc, error) {
	root := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext()))
	d := &Doc{}
	b := newBuilder(d, src, root, r, c.unsafe)
	d.Title, d.Headings = headings(root, src, b.labelNames)
	if err := c.md.Renderer().Render(b, src, root); err != nil {
		return nil, fmt.Errorf("render markdown: %w", err)
	}
	if len(b.refused) > 0 {
		slices.SortStableFunc(b.refused, func(x, y Refusal) int { return x.Line - y.Line })
		return nil, Refused(b.refused)
	}
	if len(b.buf) > maxBody || len(b.conds) > maxBody {
		return nil, fmt.Errorf("the page's HTML would be %d MiB, more than the %d MiB a page may have", len(b.buf)>>20, maxBody>>20)
	}
	b.finish()
	return d, nil
}

// CSS returns the chroma stylesheet for the classes that highlighted code
// blocks carry, in the named style ("" means DefaultStyle). An unknown
// style name is an error.
func CSS(style string) ([]byte, error) {
	if style == "" {
		style = DefaultStyle
	}
	s, ok := styles.Registry[strings.ToLower(style)]
	if !ok {
		return nil, fmt.Errorf("unknown highlight style %q", style)
	}
	var buf bytes.Buffer
	if err := chromahtml.New(chromahtml.WithClasses(true)).WriteCSS(&buf, s); err != nil {
		return nil, fmt.Errorf("write css for style %q: %w", style, err)
	}
	return buf.Bytes(), nil
}
