package markdown

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// A fenced code block's info string is its language, then options, bare
// or in braces, as MkDocs Material and Hugo write them:
//
//	```go title="main.go" hl_lines="2-4 7" linenos=true
//	```go {title="main.go", hl_lines=[2, "4-5"], linenos=true, linenostart=10}
//
// title shows above the block, next to the language; hl_lines marks lines
// (numbers and ranges, counted from 1 whatever linenostart says); linenos
// (or linenums="N", which also starts numbering at N) numbers the lines.
// Unknown options are ignored, as goldmark-highlighting does.

// fence is what a fenced code block's info string asks for.
type fence struct {
	lang     string
	title    string
	hl       []string // ranges as written: "2", "4-5"
	linenos  bool
	lineBase int // first line number; 0: 1
}

// parseFence reads an info string.
func parseFence(info []byte) fence {
	var f fence
	s := strings.TrimSpace(string(info))
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		f.lang, s = s[:i], strings.TrimSpace(s[i:])
	} else {
		f.lang, s = s, ""
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	for _, kv := range fenceTokens(s) {
		key, val, _ := strings.Cut(kv, "=")
		val = unquote(val)
		switch strings.ToLower(key) {
		case "title":
			f.title = val
		case "hl_lines":
			f.hl = append(f.hl, strings.FieldsFunc(strings.Trim(val, "[]"), func(r rune) bool {
				return r == ' ' || r == ',' || r == '"' || r == '\''
			})...)
		case "linenos":
			f.linenos = val == "" || val == "true" || val == "table" || val == "inline"
		case "linenostart", "linenums":
			if n, err := strconv.Atoi(val); err == nil && n >= 0 {
				f.lineBase, f.linenos = n, true
			}
		}
	}
	return f
}

// fenceTokens splits options at spaces and commas outside quotes and
// brackets.
func fenceTokens(s string) []string {
	var out []string
	var quote byte
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			c := s[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
				continue
			case c == '"' || c == '\'':
				quote = c
				continue
			case c == '[':
				depth++
				continue
			case c == ']':
				depth--
				continue
			case depth > 0 || (c != ' ' && c != ',' && c != '\t'):
				continue
			}
		}
		if t := strings.TrimSpace(s[start:i]); t != "" {
			out = append(out, t)
		}
		start = i + 1
	}
	return out
}

// unquote removes one pair of surrounding quotes.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// setHighlightAttrs hands the options to goldmark-highlighting as node
// attributes, which it reads before the info string.
func (f fence) setHighlightAttrs(n *ast.FencedCodeBlock) {
	n.SetAttributeString("linenos", f.linenos)
	if f.lineBase > 0 {
		n.SetAttributeString("linenostart", float64(f.lineBase))
	}
	if len(f.hl) > 0 {
		// Counted from the block's first line, as MkDocs does:
		// goldmark-highlighting adds linenostart itself.
		rs := make([]any, 0, len(f.hl))
		for _, r := range f.hl {
			lo, hi, _ := strings.Cut(r, "-")
			a, err1 := strconv.Atoi(lo)
			b, err2 := strconv.Atoi(hi)
			switch {
			case err1 != nil:
				continue
			case hi == "" || err2 != nil:
				b = a
			}
			rs = append(rs, []byte(strconv.Itoa(a)+"-"+strconv.Itoa(b)))
		}
		n.SetAttributeString("hl_lines", rs)
	}
}

// writeHead opens a code block's frame and writes its title and language.
func (f fence) writeHead(w util.BufWriter) {
	_, _ = w.WriteString(`<div class="fc-code">`)
	if f.title == "" && f.lang == "" {
		return
	}
	_, _ = w.WriteString(`<div class="fc-code-head">`)
	if f.title != "" {
		_, _ = w.WriteString(`<span class="fc-code-title">`)
		_, _ = w.Write(util.EscapeHTML([]byte(f.title)))
		_, _ = w.WriteString(`</span>`)
	}
	if f.lang != "" {
		_, _ = w.WriteString(`<span class="fc-code-lang">`)
		_, _ = w.Write(util.EscapeHTML([]byte(f.lang)))
		_, _ = w.WriteString(`</span>`)
	}
	_, _ = w.WriteString(`</div>`)
}

// infoOf is a fenced block's info string.
func infoOf(n *ast.FencedCodeBlock, src []byte) []byte {
	if n.Info == nil {
		return nil
	}
	return bytes.TrimSpace(n.Info.Segment.Value(src))
}
