package confluence

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"golang.org/x/net/html"
)

// node is one element or text of a page body in storage format. The
// storage format is XHTML with ac: and ri: elements, so it is read with
// encoding/xml in its lenient mode (HTML entities, undeclared prefixes):
// an HTML parser would take the self-closing <ri:page/> for an open
// element and CDATA for a comment. x/net/html reads a body that is not
// well-formed, for its text alone.
type node struct {
	Name     string // "p", "ac:structured-macro", ...; "" for text
	Attr     map[string]string
	Text     string
	Children []*node
}

// parseStorage reads a body into a tree under a root node.
func parseStorage(body string) (*node, error) {
	d := xml.NewDecoder(strings.NewReader("<root>" + body + "</root>"))
	d.Strict = false
	d.AutoClose = voidElements
	d.Entity = xml.HTMLEntity
	top := &node{}
	stack := []*node{top}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{Name: qname(t.Name), Attr: map[string]string{}}
			for _, a := range t.Attr {
				n.Attr[qname(a.Name)] = a.Value
			}
			top.Children = append(top.Children, n)
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			top.Children = append(top.Children, &node{Text: string(t)})
		}
	}
	if len(stack) != 1 || len(top.Children) != 1 {
		return nil, errors.New("unclosed elements")
	}
	return top.Children[0], nil
}

// voidElements are the HTML elements that may be written without an end
// tag (xml.HTMLAutoClose would also close <ac:link>, whose local name is
// "link").
var voidElements = []string{"br", "hr", "img", "col", "area", "input", "wbr", "meta", "source", "track"}

func qname(n xml.Name) string {
	if n.Space != "" {
		return strings.ToLower(n.Space) + ":" + strings.ToLower(n.Local)
	}
	return strings.ToLower(n.Local)
}

// plainText is the text of a body that is not well-formed, read by an
// HTML parser: paragraphs and line breaks kept, markup dropped.
func plainText(body string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			var paras []string
			for _, p := range strings.Split(b.String(), "\n\n") {
				if p = strings.TrimSpace(p); p != "" {
					paras = append(paras, p)
				}
			}
			return strings.Join(paras, "\n\n")
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6":
				b.WriteString("\n\n")
			}
		}
	}
}

// attr returns an attribute's value.
func (n *node) attr(name string) string { return n.Attr[name] }

// child returns the first child element with the name, or nil.
func (n *node) child(name string) *node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// text returns the concatenated text below n.
func (n *node) text() string {
	if n.Name == "" {
		return n.Text
	}
	var b strings.Builder
	for _, c := range n.Children {
		b.WriteString(c.text())
	}
	return b.String()
}

// param returns a macro's parameter by name ("" is the default parameter).
func (n *node) param(name string) string {
	for _, c := range n.Children {
		if c.Name == "ac:parameter" && c.attr("ac:name") == name {
			return strings.TrimSpace(c.text())
		}
	}
	return ""
}
