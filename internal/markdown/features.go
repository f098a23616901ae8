package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// features registers the blocks facet adds to GFM: content tabs, GitHub
// alerts and math (tabs.go, alert.go, math.go), with their renderers.
type features struct{}

// Extend implements goldmark.Extender.
func (features) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithBlockParsers(
			util.Prioritized(tabParser{}, 150),
			util.Prioritized(mathBlockParser{}, 160),
		),
		parser.WithInlineParsers(util.Prioritized(mathInlineParser{}, 150)),
		parser.WithASTTransformers(util.Prioritized(blockTransformer{}, 100)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(featureRenderer{}, 100)))
}

// blockTransformer turns alert blockquotes into Alerts and groups tabs.
type blockTransformer struct{}

// Transform implements parser.ASTTransformer.
func (blockTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	alerts(doc, reader.Source())
	groupTabs(doc)
}

// featureRenderer writes alerts, tabs and math. Alerts, tabs and tab sets
// are containers (renderer.go): they drop whole when their content does.
type featureRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (featureRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindAlert, container(renderAlert))
	reg.Register(KindTabSet, container(renderTabSet))
	reg.Register(KindTab, container(renderTab))
	reg.Register(KindMath, renderMath)
	reg.Register(KindMathBlock, renderMathBlock)
}

func renderAlert(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*Alert)
	if entering {
		_, _ = w.WriteString(`<div class="fc-callout fc-callout-` + n.Callout + `" role="note">` + "\n")
		_, _ = w.WriteString(`<p class="fc-callout-title">` + alertTitles[n.Callout] + "</p>\n")
	} else {
		_, _ = w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

func renderTabSet(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<div class="fc-tabs">` + "\n")
	} else {
		_, _ = w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

func renderTab(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<div class="fc-tab">` + "\n" + `<p class="fc-tab-title">`)
		_, _ = w.Write(util.EscapeHTML(node.(*Tab).Title))
		_, _ = w.WriteString("</p>\n")
	} else {
		_, _ = w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

func renderMath(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*Math)
	if n.Display {
		_, _ = w.WriteString(`<span class="fc-math fc-math-display">`)
	} else {
		_, _ = w.WriteString(`<span class="fc-math">`)
	}
	_, _ = w.Write(util.EscapeHTML(n.TeX))
	_, _ = w.WriteString("</span>")
	return ast.WalkSkipChildren, nil
}

func renderMathBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<div class="fc-math fc-math-display">`)
	lines := node.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
	}
	_, _ = w.WriteString("</div>\n")
	return ast.WalkContinue, nil
}

var (
	_ goldmark.Extender     = features{}
	_ parser.ASTTransformer = blockTransformer{}
	_ renderer.NodeRenderer = featureRenderer{}
)
