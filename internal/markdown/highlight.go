package markdown

import (
	"strings"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Store keeps rendered fenced code blocks from one build to the next
// (Options.Store). Keys are the key material of a block: everything its
// HTML depends on besides the highlighter's own code, which the store's
// keys must cover (facet's version).
type Store interface {
	// Get returns what Put stored for key, or false.
	Get(key []byte) ([]byte, bool)
	// Put stores html for key; a failure only loses the entry.
	Put(key, html []byte)
}

// codeRenderer renders fenced code blocks: a frame with the block's title
// and language around the code, which goldmark-highlighting's renderer
// (with Options.Highlight) or goldmark's writes, as facet configures them;
// a mermaid block is a diagram (mermaid.go). It looks each highlighted
// block up in a Store first: chroma is most of the cost of a page, and a
// block's HTML depends only on its info string and lines (links are never
// resolved in code).
type codeRenderer struct {
	inner     renderer.NodeRenderer
	fn        renderer.NodeRendererFunc
	store     Store
	unsafe    bool
	highlight bool
}

func newCodeRenderer(store Store, unsafe, highlight bool) *codeRenderer {
	var inner renderer.NodeRenderer = html.NewRenderer()
	if highlight {
		registerTOML()
		inner = highlighting.NewHTMLRenderer(
			highlighting.WithGuessLanguage(false),
			highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
		)
	} else {
		store = nil
	}
	return &codeRenderer{inner: inner, store: store, unsafe: unsafe, highlight: highlight}
}

// SetOption passes goldmark's renderer options on to the inner renderer.
func (c *codeRenderer) SetOption(name renderer.OptionName, value any) {
	if s, ok := c.inner.(renderer.SetOptioner); ok {
		s.SetOption(name, value)
	}
}

// RegisterFuncs implements renderer.NodeRenderer.
func (c *codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	c.inner.RegisterFuncs(capture{&c.fn})
	reg.Register(ast.KindFencedCodeBlock, c.render)
}

// capture keeps the function the inner renderer registers for fenced code.
type capture struct{ fn *renderer.NodeRendererFunc }

func (c capture) Register(kind ast.NodeKind, fn renderer.NodeRendererFunc) {
	if kind == ast.KindFencedCodeBlock {
		*c.fn = fn
	}
}

func (c *codeRenderer) render(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	f := parseFence(infoOf(n, src))
	b, ok := w.(*builder)
	if strings.EqualFold(f.lang, "mermaid") {
		writeMermaid(w, b, src, n)
		return ast.WalkContinue, nil
	}
	if !ok || c.store == nil {
		return c.block(w, src, n, f)
	}
	key := c.key(src, n)
	if html, ok := c.store.Get(key); ok {
		b.buf = append(b.buf, html...)
		return ast.WalkContinue, nil
	}
	start := len(b.buf)
	st, err := c.block(w, src, n, f)
	if err == nil {
		c.store.Put(key, b.buf[start:])
	}
	return st, err
}

// block writes a code block in its frame.
func (c *codeRenderer) block(w util.BufWriter, src []byte, n *ast.FencedCodeBlock, f fence) (ast.WalkStatus, error) {
	f.writeHead(w)
	if c.highlight {
		f.setHighlightAttrs(n)
	}
	if _, err := c.fn(w, src, n, true); err != nil {
		return ast.WalkStop, err
	}
	if _, err := c.fn(w, src, n, false); err != nil { // goldmark's closes the block here
		return ast.WalkStop, err
	}
	_, _ = w.WriteString("</div>\n")
	return ast.WalkContinue, nil
}

// codeKeyVersion changes whenever what a block's HTML depends on changes
// shape: a key of another version never matches.
const codeKeyVersion = 3

// key is what a block's HTML depends on: the key version, the raw-HTML
// and highlighting settings, its info string (language, title, hl_lines,
// linenos, linenostart) and its lines, each length-prefixed.
func (c *codeRenderer) key(src []byte, n *ast.FencedCodeBlock) []byte {
	k := []byte{'c', 'o', 'd', 'e', codeKeyVersion, 0, 0}
	if c.unsafe {
		k[5] = 1
	}
	if c.highlight {
		k[6] = 1
	}
	var info []byte
	if n.Info != nil {
		info = n.Info.Segment.Value(src)
	}
	k = appendBytes(k, info)
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		k = appendBytes(k, seg.Value(src))
	}
	return k
}

// appendBytes appends p with its length before it.
func appendBytes(k, p []byte) []byte {
	n := len(p)
	k = append(k, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	return append(k, p...)
}
