package main

import (
	"fmt"
	"strings"
)

// body writes one page's markdown body and counts its words.
type body struct {
	w      words
	b      strings.Builder
	n      int      // words written (fields of the text, markup included)
	goal   int      // the page's word target
	inline []string // links still to place in running text
}

func (bd *body) write(s string) {
	bd.b.WriteString(s)
	bd.n += len(strings.Fields(s))
}

// pageBody writes the body of p: an intro, one part per heading with
// paragraphs, lists, sometimes a table, a note or a code block, and a
// "See also" list. It holds 5 to 15 internal links and 1 or 2 external ones.
func (s *site) pageBody(w words, p *page) string {
	if s.hard {
		return s.hardBody(w, p)
	}
	internal := make([]string, w.between(5, 15))
	for i := range internal {
		internal[i] = "[" + w.linkText() + "](" + s.linkTarget(w, p) + ")"
	}
	return s.writeBody(w, p, internal, nil, nil)
}

// hardBody writes a body of the hard corpus: 10 to 25 internal links, the
// page's own attachments, and inline code and code blocks naming URLs.
func (s *site) hardBody(w words, p *page) string {
	internal := make([]string, w.between(10, 25))
	for i := range internal {
		internal[i] = s.hardLink(w, p)
	}
	images, links := ownFiles(w, p)
	var extra []string
	if p.code {
		extra = []string{"`" + s.urlMention(w) + "`"}
	}
	return s.writeBody(w, p, append(internal, links...), extra, images)
}

// writeBody lays out a body around its internal links (the first few go to
// "See also", the rest into running text with extra and the external
// links) and images (after the introduction).
func (s *site) writeBody(w words, p *page, internal, extra, images []string) string {
	seeAlso := w.between(1, 3)
	inline := append(internal[seeAlso:len(internal):len(internal)], extra...)
	first := w.r.IntN(len(externalLinks))
	for i := range w.between(1, 2) {
		u := externalLinks[(first+i)%len(externalLinks)]
		inline = append(inline, "["+w.linkText()+"]("+u+")")
	}
	w.r.Shuffle(len(inline), func(i, j int) { inline[i], inline[j] = inline[j], inline[i] })
	bd := &body{w: w, goal: p.words, inline: inline}

	footnote := w.chance(0.1)
	bd.paragraph(footnote)
	if p.image {
		bd.write("![Diagram of the " + w.pick(adjectives) + " " + w.pick(nouns) + "](diagram.png)\n\n")
	}
	for _, img := range images {
		bd.write(img + "\n\n")
	}
	codeAt := -1
	if p.code {
		codeAt = w.r.IntN(len(p.headings))
	}
	per := max(40, (p.words-bd.n)/len(p.headings))
	for i, h := range p.headings {
		level := "## "
		if i > 0 && w.chance(0.3) {
			level = "### "
		}
		bd.write(level + h + "\n\n")
		goal := bd.n + per
		bd.block()
		if i == codeAt {
			bd.write(codeBlock(w))
			if s.hard {
				bd.write(s.apiBlock(w))
			}
		}
		for bd.n < goal {
			bd.block()
		}
	}
	bd.write("## See also\n\n")
	for _, l := range append(internal[:seeAlso], bd.inline...) {
		bd.write("- " + l + "\n")
	}
	bd.write("\n")
	if footnote {
		bd.write("[^1]: " + w.sentence() + "\n")
	}
	return bd.b.String()
}

// block writes one block: mostly paragraphs, sometimes a list, a note or a
// table.
func (bd *body) block() {
	switch x := bd.w.r.IntN(100); {
	case x < 68:
		bd.paragraph(false)
	case x < 88:
		bd.list()
	case x < 94:
		bd.write("> **Note:** " + bd.w.sentence() + " " + bd.w.sentence() + "\n\n")
	default:
		bd.table()
	}
}

// popLink takes the next inline link, spreading the links over the
// sentences the page still has room for.
func (bd *body) popLink() (string, bool) {
	if len(bd.inline) == 0 {
		return "", false
	}
	left := max(1, (bd.goal-bd.n)/14)
	if bd.w.r.IntN(left) >= len(bd.inline) {
		return "", false
	}
	l := bd.inline[0]
	bd.inline = bd.inline[1:]
	return l, true
}

// linkSentence is a sentence holding the next inline link, if one is due.
func (bd *body) linkSentence() (string, bool) {
	l, ok := bd.popLink()
	if !ok {
		return "", false
	}
	if bd.w.chance(0.5) {
		return "For the " + bd.w.pick(nouns) + ", see " + l + ".", true
	}
	return strings.TrimSuffix(bd.w.sentence(), ".") + " (see " + l + ").", true
}

func (bd *body) sentence() string {
	if s, ok := bd.linkSentence(); ok {
		return s
	}
	return bd.w.sentence()
}

func (bd *body) paragraph(footnote bool) {
	var parts []string
	for range bd.w.between(3, 6) {
		parts = append(parts, bd.sentence())
	}
	if footnote {
		parts[0] = strings.TrimSuffix(parts[0], ".") + "[^1]."
	}
	bd.write(strings.Join(parts, " ") + "\n\n")
}

func (bd *body) list() {
	numbered := bd.w.chance(0.35)
	for i := range bd.w.between(3, 6) {
		mark := "- "
		if numbered {
			mark = fmt.Sprintf("%d. ", i+1)
		}
		item := bd.sentence()
		if !strings.Contains(item, "](") && bd.w.chance(0.5) {
			item = capitalize(bd.w.phrase()) + " " + bd.w.pick(verbs) + " " + bd.w.phrase() + "."
		}
		bd.write(mark + item + "\n")
	}
	bd.write("\n")
}

func (bd *body) table() {
	w := bd.w
	bd.write("| Setting | Default | Notes |\n|---|---|---|\n")
	for range w.between(3, 5) {
		notes := capitalize(w.fill("%a %n")) + " " + w.pick(verbs) + " " + w.phrase()
		if l, ok := bd.popLink(); ok {
			notes = l // a link alone in its cell
		}
		bd.write("| `" + w.pick(inlineCode) + "` | " + w.pick(adjectives) + " | " + notes + " |\n")
	}
	bd.write("\n")
}

// codeBlock is a fenced block in go, bash, json or yaml.
func codeBlock(w words) string {
	n, a := w.pick(nouns), w.pick(adjectives)
	switch w.r.IntN(4) {
	case 0:
		name := capitalize(n) + capitalize(a)
		return fmt.Sprintf("```go\npackage %s\n\nimport (\n\t\"context\"\n\t\"fmt\"\n)\n\n"+
			"// Check%s reports whether the %s %s is ready.\n"+
			"func Check%s(ctx context.Context, id string, limit int) error {\n"+
			"\tif id == \"\" {\n\t\treturn fmt.Errorf(\"%s: empty id\")\n\t}\n"+
			"\tfor i := 0; i < limit; i++ {\n\t\tif err := ctx.Err(); err != nil {\n\t\t\treturn fmt.Errorf(\"%s %%s: %%w\", id, err)\n\t\t}\n\t}\n"+
			"\treturn nil\n}\n```\n\n", n, name, a, n, name, n, n)
	case 1:
		return fmt.Sprintf("```bash\n# %s the %s %s\nset -euo pipefail\n"+
			"export TARGET=\"%s-%s\"\nfor i in 1 2 3; do\n  curl -fsS \"https://%s.example.com/v1/%s?try=$i\" && break\n  sleep 2\ndone\n"+
			"echo \"done: $TARGET\"\n```\n\n", capitalize(w.pick(baseVerbs)), a, n, a, n, n, n)
	case 2:
		return fmt.Sprintf("```json\n{\n  \"%s\": {\n    \"mode\": \"%s\",\n    \"retries\": %d,\n"+
			"    \"enabled\": %t,\n    \"owners\": [\"ops\", \"%s\"]\n  }\n}\n```\n\n",
			n, a, w.between(1, 9), w.chance(0.5), w.pick(nouns))
	}
	return fmt.Sprintf("```yaml\n%s:\n  mode: %s\n  replicas: %d\n  schedule: \"0 %d * * *\"\n"+
		"  labels:\n    team: %s\n    tier: %s\n```\n\n", n, a, w.between(1, 5), w.between(0, 23), w.pick(nouns), w.pick(adjectives))
}
