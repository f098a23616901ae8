package markdown

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark/util"
)

// decodeDest decodes a markdown link or image destination as written in
// the source into the URL a browser reads from the href goldmark writes:
// backslash escapes and character references resolved (goldmark keeps
// ast.Link.Destination as written and decodes it only when rendering), then
// cleaned by cleanURL. Percent-encoding stays: resolving it is the
// Resolver's part, as it is the web server's.
func decodeDest(raw []byte) string {
	v := util.UnescapePunctuations(raw)
	v = util.ResolveNumericReferences(v)
	v = util.ResolveEntityNames(v)
	return cleanURL(string(v))
}

// cleanURL applies what a browser does to an attribute value before
// parsing it as a URL: leading and trailing spaces and control characters
// go, and tabs and line breaks anywhere are removed.
func cleanURL(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	}
	return s
}

// scriptURL reports whether a cleaned URL runs script or holds a document
// (javascript:, vbscript:, data: other than a raster image): text facet
// cannot redact.
func scriptURL(u string) bool {
	l := strings.ToLower(u)
	switch {
	case strings.HasPrefix(l, "javascript:"), strings.HasPrefix(l, "vbscript:"):
		return true
	case strings.HasPrefix(l, "data:"):
		// The media type exactly ("data:image/png/x," is text to a
		// browser), before its parameters (";base64").
		mt, _, ok := strings.Cut(l[len("data:"):], ",")
		if !ok {
			return true
		}
		mt, _, _ = strings.Cut(mt, ";")
		switch strings.TrimSpace(mt) {
		case "image/png", "image/gif", "image/jpeg", "image/webp":
			return false
		}
		return true
	}
	return false
}

// Refusal is one construct of raw HTML that Convert refuses, because it
// could carry a link facet cannot redact.
type Refusal struct {
	// Line is the 1-based line in the converted source.
	Line int
	// Msg says what was refused and what to do instead.
	Msg string
}

// Refused is the error Convert returns when it refuses raw HTML: every
// refusal of the page, in source order.
type Refused []Refusal

// Error implements error.
func (r Refused) Error() string {
	var sb strings.Builder
	for i, x := range r {
		if i > 0 {
			sb.WriteString("; ")
		}
		fmt.Fprintf(&sb, "line %d: %s", x.Line, x.Msg)
	}
	return sb.String()
}
