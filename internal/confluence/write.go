package confluence

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// tomlString writes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < ' ' || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func tomlList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = tomlString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// frontmatter is the TOML frontmatter of a page file.
type frontmatter struct {
	title      string
	date       time.Time
	weight     int
	tags       []string
	access     []string // nil: no [access]
	pageAccess []string // nil: no [page_access]
	// section is true for a section's _index.md: only its [access] may
	// say cascade = true.
	section bool
}

func (f frontmatter) String() string {
	var b strings.Builder
	b.WriteString("+++\n")
	fmt.Fprintf(&b, "title = %s\n", tomlString(f.title))
	if !f.date.IsZero() {
		fmt.Fprintf(&b, "date = %s\n", f.date.UTC().Format(time.RFC3339))
	}
	if f.weight > 0 {
		fmt.Fprintf(&b, "weight = %d\n", f.weight)
	}
	if len(f.tags) > 0 {
		fmt.Fprintf(&b, "tags = %s\n", tomlList(f.tags))
	}
	if f.access != nil {
		fmt.Fprintf(&b, "\n[access]\nallow = %s\n", tomlList(f.access))
		if f.section && slices.Contains(f.access, "anyone") {
			b.WriteString("cascade = true\n")
		}
	}
	if f.pageAccess != nil {
		fmt.Fprintf(&b, "\n[page_access]\nallow = %s\n", tomlList(f.pageAccess))
	}
	b.WriteString("+++\n")
	return b.String()
}

// validTags are the labels facet takes as tags.
func validTags(labels []string) []string {
	var out []string
	for _, l := range labels {
		l = strings.TrimSpace(l)
		if l == "" || strings.ContainsAny(l, "/\\") || strings.ContainsFunc(l, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			continue
		}
		out = append(out, l)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// writeFile writes data to root/rel, making its folder.
func writeFile(root, rel, data string) error {
	name := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(data), 0o644)
}

// copyAttachment copies one attachment's file into the site. A file that
// opens with a "+++" line is skipped: facet refuses it (it looks like a
// page with rules).
func copyAttachment(src *source, a *attachment, root string) (bool, error) {
	r, err := src.attachment(a)
	if err != nil {
		return false, err
	}
	defer r.Close()
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(4096)
	if opensWithFence(head) {
		return false, fmt.Errorf("it opens with a +++ line, which facet refuses in an attachment")
	}
	name := filepath.Join(root, filepath.FromSlash(a.file))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return false, err
	}
	f, err := os.Create(name)
	if err != nil {
		return false, err
	}
	if _, err := io.Copy(f, br); err != nil {
		f.Close()
		return false, fmt.Errorf("copy attachment %s: %w", a.name, err)
	}
	return true, f.Close()
}

func opensWithFence(head []byte) bool {
	s := strings.TrimPrefix(string(head), "\uFEFF")
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != "" {
			return t == "+++"
		}
	}
	return false
}

// pageLinks resolves a page's links through the export's layout.
type pageLinks struct {
	from  *page
	byKey map[string]map[string]*page // space key -> title -> page
	names *contentNames
}

func (l pageLinks) namesContent(text string) bool { return l.names.in(text) }

// contentNames are the titles of the export's pages (current or not) and
// the names of its attachments, each as its words (words), to find them
// in text in any case and punctuation.
type contentNames struct {
	set      map[string]bool
	maxWords int
}

func newContentNames(names []string) *contentNames {
	cn := &contentNames{set: map[string]bool{}}
	for _, n := range names {
		if w := words(n); len(w) > 0 {
			cn.set[strings.Join(w, " ")] = true
			cn.maxWords = max(cn.maxWords, len(w))
		}
	}
	return cn
}

// in reports whether a run of text's words is one of the names.
func (cn *contentNames) in(text string) bool {
	w := words(text)
	for i := range w {
		for j := i + 1; j <= len(w) && j-i <= cn.maxWords; j++ {
			if cn.set[strings.Join(w[i:j], " ")] {
				return true
			}
		}
	}
	return false
}

// words are the runs of letters, digits and marks of s, in lower case.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(norm.NFC.String(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
}

func (l pageLinks) find(space, title string) *page {
	if space == "" {
		space = l.from.space.key
	}
	return l.byKey[space][title]
}

func (l pageLinks) pageLink(space, title string) (string, bool) {
	if title == "" {
		return "", false
	}
	p := l.find(space, title)
	if p == nil {
		return "", false
	}
	return escapePath(relLink(l.from.fileDir(), p.file)), true
}

func (l pageLinks) attachmentLink(space, title, name string) (string, bool) {
	p := l.from
	if title != "" {
		if p = l.find(space, title); p == nil {
			return "", false
		}
	}
	for _, a := range p.attachments {
		if a.name == name && a.file != "" {
			return escapePath(relLink(l.from.fileDir(), a.file)), true
		}
	}
	return "", false
}

// escapePath percent-encodes each segment of a relative path.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return path.Join(parts...)
}
