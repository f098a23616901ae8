package markdown

import (
	"bytes"
	"strconv"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Content tabs use the syntax of pymdownx.tabbed (MkDocs Material): a line
// `=== "Title"` opens a tab whose content is the following lines indented
// by four spaces; tabs that follow one another form one set.
//
//	=== "macOS"
//
//	    brew install facet
//
//	=== "Debian"
//
//	    apt-get install facet
//
// Each tab is a block container like a blockquote: its links are slots, and
// a tab whose content all drops goes with it (title included), as does a set
// whose tabs all drop. The HTML works without script (every tab shown under
// its title); the theme's script turns a set into a tab list.

// KindTab is the node kind of one content tab.
var KindTab = ast.NewNodeKind("Tab")

// KindTabSet is the node kind of consecutive content tabs.
var KindTabSet = ast.NewNodeKind("TabSet")

// Tab is one content tab: its title and, as children, its blocks.
type Tab struct {
	ast.BaseBlock
	Title []byte
}

// Kind implements ast.Node.
func (n *Tab) Kind() ast.NodeKind { return KindTab }

// Dump implements ast.Node.
func (n *Tab) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Title": string(n.Title)}, nil)
}

// TabSet holds consecutive Tabs.
type TabSet struct{ ast.BaseBlock }

// Kind implements ast.Node.
func (n *TabSet) Kind() ast.NodeKind { return KindTabSet }

// Dump implements ast.Node.
func (n *TabSet) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// tabIndent is how far a tab's content is indented.
const tabIndent = 4

// tabParser opens a Tab at a `=== "Title"` line.
type tabParser struct{}

// Trigger implements parser.BlockParser.
func (tabParser) Trigger() []byte { return []byte{'='} }

// Open implements parser.BlockParser.
func (tabParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	title, ok := tabTitle(line)
	if !ok {
		return nil, parser.NoChildren
	}
	reader.Advance(seg.Len() - 1)
	return &Tab{Title: title}, parser.HasChildren
}

// tabTitle reads `=== "Title"` (also `===!` and `===+`, pymdownx's
// markers for a new set and the selected tab, taken as plain tabs).
func tabTitle(line []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(line, []byte("==="))
	if !ok {
		return nil, false
	}
	if len(rest) > 0 && (rest[0] == '!' || rest[0] == '+') {
		rest = rest[1:]
	}
	rest = util.TrimRightSpace(rest)
	if len(rest) < 3 || (rest[0] != ' ' && rest[0] != '\t') {
		return nil, false
	}
	rest = util.TrimLeftSpace(rest)
	if len(rest) < 2 || rest[0] != '"' || rest[len(rest)-1] != '"' {
		return nil, false
	}
	title := rest[1 : len(rest)-1]
	if bytes.ContainsRune(title, '"') {
		if s, err := strconv.Unquote(string(rest)); err == nil {
			return []byte(s), true
		}
		return nil, false
	}
	return title, true
}

// Continue implements parser.BlockParser: blank lines and lines indented
// by tabIndent belong to the tab.
func (tabParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, _ := reader.PeekLine()
	if util.IsBlank(line) {
		reader.AdvanceToEOL()
		return parser.Continue | parser.HasChildren
	}
	indent, _ := util.IndentWidth(line, reader.LineOffset())
	if indent < tabIndent {
		return parser.Close
	}
	pos, padding := util.IndentPosition(line, reader.LineOffset(), tabIndent)
	reader.AdvanceAndSetPadding(pos, padding)
	return parser.Continue | parser.HasChildren
}

// Close implements parser.BlockParser.
func (tabParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}

// CanInterruptParagraph implements parser.BlockParser: a tab needs a blank
// line before it.
func (tabParser) CanInterruptParagraph() bool { return false }

// CanAcceptIndentedLine implements parser.BlockParser.
func (tabParser) CanAcceptIndentedLine() bool { return false }

// groupTabs puts each run of consecutive Tabs under a TabSet.
func groupTabs(root ast.Node) {
	var runs []ast.Node
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Kind() == KindTab {
			if p := n.PreviousSibling(); p == nil || p.Kind() != KindTab {
				runs = append(runs, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, first := range runs {
		parent := first.Parent()
		set := &TabSet{}
		parent.InsertBefore(parent, first, set)
		for n := first; n != nil && n.Kind() == KindTab; {
			next := n.NextSibling()
			set.AppendChild(set, n)
			n = next
		}
	}
}

var _ parser.BlockParser = tabParser{}
