package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
)

// GitHub alerts: a blockquote whose first line is `[!NOTE]`, `[!TIP]`,
// `[!IMPORTANT]`, `[!WARNING]` or `[!CAUTION]` (any case, nothing else on
// the line) becomes a callout of that kind. The marker line goes; the rest
// of the blockquote is the callout's content, a block container that drops
// whole when its content does, like the blockquote it was.

// KindAlert is the node kind of a callout.
var KindAlert = ast.NewNodeKind("Alert")

// Alert is a callout: its kind in Callout ("note", "tip", "important",
// "warning", "caution") and, as children, its blocks.
type Alert struct {
	ast.BaseBlock
	Callout string
}

// Kind implements ast.Node.
func (n *Alert) Kind() ast.NodeKind { return KindAlert }

// Dump implements ast.Node.
func (n *Alert) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Callout": n.Callout}, nil)
}

// alertTitles are the callout kinds and the titles they show.
var alertTitles = map[string]string{
	"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution",
}

// alerts turns the blockquotes that start with an alert marker into
// Alerts.
func alerts(root ast.Node, src []byte) {
	var found []*ast.Blockquote
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if q, ok := n.(*ast.Blockquote); ok && entering && alertType(q, src) != "" {
			found = append(found, q)
		}
		return ast.WalkContinue, nil
	})
	for _, q := range found {
		a := &Alert{Callout: alertType(q, src)}
		p := q.FirstChild().(*ast.Paragraph)
		dropFirstLine(p)
		for c := q.FirstChild(); c != nil; {
			next := c.NextSibling()
			a.AppendChild(a, c)
			c = next
		}
		q.Parent().ReplaceChild(q.Parent(), q, a)
	}
}

// alertType is the kind named by a blockquote's marker line, or "".
func alertType(q *ast.Blockquote, src []byte) string {
	p, ok := q.FirstChild().(*ast.Paragraph)
	if !ok || p.Lines().Len() == 0 {
		return ""
	}
	first := p.Lines().At(0)
	line := bytes.TrimSpace(first.Value(src))
	if len(line) < 4 || line[0] != '[' || line[1] != '!' || line[len(line)-1] != ']' {
		return ""
	}
	t := string(bytes.ToLower(line[2 : len(line)-1]))
	if _, ok := alertTitles[t]; !ok {
		return ""
	}
	return t
}

// dropFirstLine removes the inlines of a paragraph's first line, and the
// paragraph when nothing is left.
func dropFirstLine(p *ast.Paragraph) {
	end := p.Lines().At(0).Stop
	for c := p.FirstChild(); c != nil; {
		next := c.NextSibling()
		t, ok := c.(*ast.Text)
		if !ok || t.Segment.Start >= end {
			break
		}
		p.RemoveChild(p, c)
		if t.SoftLineBreak() || t.HardLineBreak() || t.Segment.Stop >= end {
			break
		}
		c = next
	}
	if p.FirstChild() == nil {
		p.Parent().RemoveChild(p.Parent(), p)
	}
}
