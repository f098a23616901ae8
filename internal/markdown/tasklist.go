package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// gfm is goldmark's GFM extension with task lists read as the GFM spec
// writes them: "[x]" or "[ ]" is a checkbox only when white space or the
// line end follows. Goldmark's own parser takes "- [x](page.md)" for a
// checked box followed by the text "(page.md)", so a link to a hidden page
// would survive as its destination in plain text.
var gfm = []goldmark.Extender{extension.Linkify, extension.Table, extension.Strikethrough, taskList{}}

// taskList registers strictTaskParser and goldmark's checkbox renderer.
type taskList struct{}

// Extend implements goldmark.Extender.
func (taskList) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		util.Prioritized(strictTaskParser{extension.NewTaskCheckBoxParser()}, 0),
	))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		util.Prioritized(extension.NewTaskCheckBoxHTMLRenderer(), 500),
	))
}

// strictTaskParser is goldmark's checkbox parser, called only where a
// checkbox marker is followed by white space or the line end.
type strictTaskParser struct{ parser.InlineParser }

// Parse implements parser.InlineParser.
func (p strictTaskParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) > 3 && !util.IsSpace(line[3]) {
		return nil
	}
	return p.InlineParser.Parse(parent, block, pc)
}
