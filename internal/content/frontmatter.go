package content

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/facet-docs/facet/internal/diag"
	"github.com/facet-docs/facet/internal/tomlx"
)

// errUnterminated is the error of a +++ fence that is never closed.
var errUnterminated = errors.New("unterminated frontmatter: no closing +++ line")

// errYAML is the error of a file that starts with YAML frontmatter, which
// facet would otherwise render as text and whose rules it would ignore.
var errYAML = errors.New("YAML frontmatter (---) is not supported: write TOML between +++ lines")

// yamlKey matches the first line of YAML frontmatter ("title: x",
// `"title": x`).
var yamlKey = regexp.MustCompile(`^(?:[A-Za-z_][A-Za-z0-9_-]*|"[^"]*"|'[^']*')\s*:`)

// split is a markdown file cut at its frontmatter.
type split struct {
	// front is the TOML between the +++ fences, nil without frontmatter.
	front []byte
	// body is what follows the closing fence: always a suffix of the file.
	body []byte
	// open is the line of the opening fence (0 without frontmatter); on
	// error, the line the error is at.
	open int
	// bodyLine is the 1-based line of the file where body starts.
	bodyLine int
}

// splitFrontmatter splits a markdown file (BOM already removed) into the
// TOML between +++ fences and the body after them. The opening fence is the
// first line that is not blank (blank and whitespace-only lines before it
// are skipped, as an editor or a template may leave them); without one,
// front is nil and body is src. The error is errUnterminated or errYAML.
func splitFrontmatter(src []byte) (split, error) {
	none := split{body: src, bodyLine: 1}
	off, line := 0, 1
	for off < len(src) && len(bytes.TrimSpace(src[off:lineEnd(src, off)])) == 0 {
		off, line = lineEnd(src, off), line+1
	}
	start := lineEnd(src, off)
	switch fence(src[off:start]) {
	case "+++":
	case "---":
		if isYAML(src, start) {
			none.open = line
			return none, errYAML
		}
		return none, nil
	default:
		return none, nil
	}
	for o, l := start, line+1; o < len(src); l++ {
		next := lineEnd(src, o)
		if fence(src[o:next]) == "+++" {
			return split{front: src[start:o], body: src[next:], open: line, bodyLine: l + 1}, nil
		}
		o = next
	}
	none.open = line
	return none, errUnterminated
}

// isYAML reports whether what follows a --- line at the top of a file,
// starting at off, is YAML frontmatter: its next line is a "key:" line, or
// its first line that is neither blank nor a # comment is one and a closing
// --- line follows.
func isYAML(src []byte, off int) bool {
	if yamlKey.Match(src[off:lineEnd(src, off)]) {
		return true
	}
	for ; off < len(src); off = lineEnd(src, off) {
		l := bytes.TrimSpace(src[off:lineEnd(src, off)])
		if len(l) == 0 || l[0] == '#' {
			continue
		}
		if !yamlKey.Match(l) {
			return false
		}
		for o := lineEnd(src, off); o < len(src); o = lineEnd(src, o) {
			if fence(src[o:lineEnd(src, o)]) == "---" {
				return true
			}
		}
		return false
	}
	return false
}

// lineEnd returns the offset just past the line of src that starts at off
// (past its "\n", or len(src) for the last line).
func lineEnd(src []byte, off int) int {
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(src)
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

// loneCRs turns each carriage return that does not start a CRLF into a
// line feed: markdown reads a lone CR as a line end (files saved with
// classic Mac line ends), so frontmatter and rules must too.
func loneCRs(src []byte) []byte {
	if bytes.IndexByte(src, '\r') < 0 {
		return src
	}
	var out []byte
	for i, c := range src {
		if c == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			if out == nil {
				out = bytes.Clone(src)
			}
			out[i] = '\n'
		}
	}
	if out == nil {
		return src
	}
	return out
}

// parsePage fills p from a markdown file's bytes: UTF-8 check, BOM,
// frontmatter and body. Problems are added to errs.
func parsePage(p *Page, src []byte, errs *diag.List) {
	if !utf8.Valid(src) {
		errs.Addf(p.File, firstBadLine(src), "not valid UTF-8")
		return
	}
	src = loneCRs(bytes.TrimPrefix(src, []byte("\uFEFF")))
	sp, err := splitFrontmatter(src)
	if err != nil {
		errs.Addf(p.File, sp.open, "%v", err)
		return
	}
	p.Body, p.BodyLine = sp.body, sp.bodyLine
	p.FrontSum = sha256.Sum256(sp.front)
	if line, what := strayFrontmatter(sp.body); line > 0 {
		errs.Addf(p.File, sp.bodyLine+line-1, "%s", what)
	}
	if sp.front == nil {
		return
	}
	doc, err := tomlx.Parse(p.File, sp.front, sp.open)
	if err != nil {
		errs.Append(err)
		return
	}
	readFrontmatter(p, doc.Root())
	p.TitleFree = titleFree(sp.front, doc.Root().WrittenLine("title")-sp.open, p.Title)
	errs.Append(doc.Problems())
}

// readFrontmatter reads the frontmatter keys: title, date, weight, draft,
// tags, summary, url, aliases (checked by Load), [access] and (in a section's _index.md)
// [page_access]; any other key is an error at its line.
func readFrontmatter(p *Page, r *tomlx.Table) {
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
	readURL(p, r)
	raws, lines, _ := r.Strings("aliases")
	for i, raw := range raws {
		p.Aliases = append(p.Aliases, &Alias{Raw: raw, Line: lines[i]})
	}
	p.Access = tomlx.ParseLevel(r, "access")
	if p.Access != nil && p.Access.Cascade && !p.IsSection {
		if a := r.Table("access"); a != nil {
			a.Errorf("cascade", "cascade = true is for a section's [access] (in its _index.md): a page passes nothing down")
		}
	}
	if r.Has("page_access") && !p.IsSection {
		r.Errorf("page_access", "[page_access] is for a section's _index.md (the section page's own rules); a page's [access] is its own already")
	}
	p.PageAccess = tomlx.ParseLevel(r, "page_access")
	if p.PageAccess != nil && p.PageAccess.Cascade && p.IsSection {
		if a := r.Table("page_access"); a != nil {
			a.Errorf("cascade", "[page_access] is this page's alone: it cannot cascade (use [access] for the section)")
		}
	}
	if !p.IsSection {
		p.PageAccess = nil
	}
	r.Finish()
}

func isControl(r rune) bool { return r < ' ' || r == 0x7f }

// titleFree is the SHA-256 of front with its line-th line (1-based)
// replaced by a NUL, when that line alone is the TOML `title = ...` giving
// title; zero otherwise (no title, or one written over several lines).
func titleFree(front []byte, line int, title string) [32]byte {
	if line < 1 || title == "" {
		return [32]byte{}
	}
	start := 0
	for range line - 1 {
		i := bytes.IndexByte(front[start:], '\n')
		if i < 0 {
			return [32]byte{}
		}
		start += i + 1
	}
	end := lineEnd(front, start)
	var one map[string]any
	if _, err := toml.Decode(string(front[start:end]), &one); err != nil || len(one) != 1 || one["title"] != title {
		return [32]byte{}
	}
	h := sha256.New()
	h.Write(front[:start])
	h.Write([]byte{0})
	h.Write(front[end:])
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}
