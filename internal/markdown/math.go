package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Math is TeX between dollar signs, as GitHub reads it: `$x^2$` inline,
// where the opening `$` is not followed by white space and the closing one
// is neither preceded by white space nor followed by a digit (so "$5 and
// $10" stays text); `$$...$$` on one line or as a block of lines. The
// source is written as escaped text in an element of class fc-math, which
// the theme renders with KaTeX; it holds no links.

// KindMath is the node kind of inline math; KindMathBlock of display math.
var (
	KindMath      = ast.NewNodeKind("Math")
	KindMathBlock = ast.NewNodeKind("MathBlock")
)

// Math is inline math: its TeX source and whether it is displayed.
type Math struct {
	ast.BaseInline
	TeX     []byte
	Display bool
}

// Kind implements ast.Node.
func (n *Math) Kind() ast.NodeKind { return KindMath }

// Dump implements ast.Node.
func (n *Math) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"TeX": string(n.TeX)}, nil)
}

// MathBlock is display math on lines of its own; its lines are the TeX.
type MathBlock struct {
	ast.BaseBlock
	closed bool // its last line was read
}

// Kind implements ast.Node.
func (n *MathBlock) Kind() ast.NodeKind { return KindMathBlock }

// IsRaw implements ast.Node: the lines are not markdown.
func (n *MathBlock) IsRaw() bool { return true }

// Dump implements ast.Node.
func (n *MathBlock) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// mathInlineParser reads `$...$` and `$$...$$` within a line.
type mathInlineParser struct{}

// Trigger implements parser.InlineParser.
func (mathInlineParser) Trigger() []byte { return []byte{'$'} }

// Parse implements parser.InlineParser.
func (mathInlineParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if bytes.HasPrefix(line, []byte("$$")) {
		end := bytes.Index(line[2:], []byte("$$"))
		if end <= 0 || util.IsBlank(line[2:2+end]) {
			return nil
		}
		block.Advance(end + 4)
		return &Math{TeX: bytes.TrimSpace(line[2 : 2+end]), Display: true}
	}
	if len(line) < 3 || util.IsSpace(line[1]) {
		return nil
	}
	for i := 2; i < len(line); i++ {
		if line[i] == '\\' {
			i++
			continue
		}
		if line[i] != '$' || util.IsSpace(line[i-1]) || (i+1 < len(line) && line[i+1] >= '0' && line[i+1] <= '9') {
			continue
		}
		block.Advance(i + 1)
		return &Math{TeX: line[1:i]}
	}
	return nil
}

// mathBlockParser reads a block that opens with a `$$` line.
type mathBlockParser struct{}

// Trigger implements parser.BlockParser.
func (mathBlockParser) Trigger() []byte { return []byte{'$'} }

// Open implements parser.BlockParser.
func (mathBlockParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	rest, ok := bytes.CutPrefix(util.TrimRightSpace(line), []byte("$$"))
	if !ok {
		return nil, parser.NoChildren
	}
	n := &MathBlock{}
	start := seg.Start + 2
	if body, closed := bytes.CutSuffix(rest, []byte("$$")); closed && !util.IsBlank(body) {
		n.Lines().Append(text.NewSegment(start, start+len(body)))
		n.closed = true
		reader.AdvanceToEOL()
		return n, parser.NoChildren
	}
	if !util.IsBlank(rest) {
		n.Lines().Append(text.NewSegment(start, start+len(rest)))
	}
	reader.AdvanceToEOL()
	return n, parser.NoChildren
}

// Continue implements parser.BlockParser: lines up to one that ends in
// `$$`.
func (mathBlockParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, seg := reader.PeekLine()
	if line == nil || node.(*MathBlock).closed {
		return parser.Close
	}
	if body, closed := bytes.CutSuffix(util.TrimRightSpace(line), []byte("$$")); closed {
		if !util.IsBlank(body) {
			node.Lines().Append(text.NewSegment(seg.Start, seg.Start+len(body)))
		}
		reader.AdvanceToEOL()
		return parser.Close
	}
	node.Lines().Append(seg)
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

// Close implements parser.BlockParser.
func (mathBlockParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}

// CanInterruptParagraph implements parser.BlockParser.
func (mathBlockParser) CanInterruptParagraph() bool { return false }

// CanAcceptIndentedLine implements parser.BlockParser.
func (mathBlockParser) CanAcceptIndentedLine() bool { return false }

var (
	_ parser.InlineParser = mathInlineParser{}
	_ parser.BlockParser  = mathBlockParser{}
)
