package content

import (
	"bytes"
	"errors"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/diag"
)

// errUnterminated is the error of a +++ fence that is never closed.
var errUnterminated = errors.New("unterminated frontmatter: no closing +++ line")

// errYAML is the error of a file that starts with YAML frontmatter, which
// facet would otherwise render as text and whose rules it would ignore.
var errYAML = errors.New("YAML frontmatter (---) is not supported: write TOML between +++ lines")

// yamlKey matches the first line of YAML frontmatter ("title: x").
var yamlKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*\s*:`)

// splitFrontmatter splits a markdown file (BOM already removed) into the
// TOML between +++ fences on its first lines and the body after them.
// Without an opening fence on line 1, front is nil and body is src. body is
// always a suffix of src and starts at line bodyLine of src. The error is
// errUnterminated or errYAML, both at line 1.
func splitFrontmatter(src []byte) (front, body []byte, bodyLine int, err error) {
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	switch fence(first) {
	case "+++":
	case "---":
		second, _, _ := bytes.Cut(rest, []byte("\n"))
		if yamlKey.Match(second) {
			return nil, src, 1, errYAML
		}
		return nil, src, 1, nil
	default:
		return nil, src, 1, nil
	}
	start := len(src) - len(rest)
	line := 2
	for off := start; off < len(src); line++ {
		end := bytes.IndexByte(src[off:], '\n')
		next := len(src)
		if end >= 0 {
			next = off + end + 1
		}
		if fence(src[off:next]) == "+++" {
			return src[start:off], src[next:], line + 1, nil
		}
		off = next
	}
	return nil, src, 1, errUnterminated
}

// fence returns a line without its line end and trailing blanks.
func fence(line []byte) string {
	return string(bytes.TrimRight(line, " \t\r\n"))
}

// firstBadLine returns the 1-based line of the first invalid UTF-8 byte.
func firstBadLine(src []byte) int {
	for i, r := 0, rune(0); i < len(src); {
		var n int
		r, n = utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return 1 + bytes.Count(src[:i], []byte("\n"))
		}
		i += n
	}
	return 0
}

// parsePage fills p from a markdown file's bytes: UTF-8 check, BOM,
// frontmatter and body. Problems are added to errs.
func parsePage(p *Page, src []byte, errs *diag.List) {
	if !utf8.Valid(src) {
		errs.Addf(p.File, firstBadLine(src), "not valid UTF-8")
		return
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	front, body, bodyLine, err := splitFrontmatter(src)
	if err != nil {
		errs.Addf(p.File, 1, "%v", err)
		return
	}
	p.Body, p.BodyLine = body, bodyLine
	if front == nil {
		return
	}
	doc, err := config.ParseTOML(p.File, front, 1)
	if err != nil {
		errs.Append(err)
		return
	}
	readFrontmatter(p, doc.Root())
	errs.Append(doc.Problems())
}

// readFrontmatter reads the frontmatter keys: title, date, weight, draft,
// tags, summary and [access]; any other key is an error at its line.
func readFrontmatter(p *Page, r *config.Table) {
	r.String("title", &p.Title)
	if d, ok := r.Date("date"); ok {
		p.Date = d.Time
	}
	r.Int("weight", &p.Weight)
	r.Bool("draft", &p.Draft)
	tags, lines, _ := r.Strings("tags")
	for i, tag := range tags {
		tag = strings.TrimSpace(tag)
		switch {
		case tag == "" || strings.ContainsAny(tag, "/\\") || strings.ContainsFunc(tag, isControl):
			r.ErrorAt(lines[i], "invalid tag %q (no empty tags, slashes or control characters)", tags[i])
		case !slices.Contains(p.Tags, tag):
			p.Tags = append(p.Tags, tag)
		}
	}
	r.String("summary", &p.Summary)
	p.Access = config.ParseLevel(r, "access")
	r.Finish()
}

func isControl(r rune) bool { return r < ' ' || r == 0x7f }
