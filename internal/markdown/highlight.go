package markdown

import (
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
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

// codeRenderer renders fenced code blocks through goldmark-highlighting's
// renderer, configured as facet configures it, looking each block up in a
// Store first: chroma is most of the cost of a page, and a block's HTML
// depends only on its info string and lines (links are never resolved in
// code).
type codeRenderer struct {
	inner  renderer.NodeRenderer
	fn     renderer.NodeRendererFunc
	store  Store
	unsafe bool
}

func newCodeRenderer(store Store, unsafe bool) *codeRenderer {
	inner := highlighting.NewHTMLRenderer(
		highlighting.WithGuessLanguage(false),
		highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
	)
	return &codeRenderer{inner: inner, store: store, unsafe: unsafe}
}

// SetOption passes goldmark's renderer options on to the highlighter.
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

// capture keeps the function the highlighter registers.
type capture struct{ fn *renderer.NodeRendererFunc }

func (c capture) Register(kind ast.NodeKind, fn renderer.NodeRendererFunc) {
	if kind == ast.KindFencedCodeBlock {
		*c.fn = fn
	}
}

func (c *codeRenderer) render(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	b, ok := w.(*builder)
	if !entering || c.store == nil || !ok {
		return c.fn(w, src, node, entering)
	}
	key := c.key(src, node.(*ast.FencedCodeBlock))
	if html, ok := c.store.Get(key); ok {
		b.buf = append(b.buf, html...)
		return ast.WalkContinue, nil
	}
	start := len(b.buf)
	st, err := c.fn(w, src, node, entering)
	if err == nil {
		c.store.Put(key, b.buf[start:])
	}
	return st, err
}

// key is what a block's HTML depends on: the raw-HTML setting, its info
// string and its lines, each length-prefixed.
func (c *codeRenderer) key(src []byte, n *ast.FencedCodeBlock) []byte {
	k := []byte("code\x00")
	if c.unsafe {
		k[4] = 1
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
