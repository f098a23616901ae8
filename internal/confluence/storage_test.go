package confluence

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/facet-docs/facet/internal/content"
)

// fakeLinks holds one other page, "Guide" (guide.md, in space DOC), with
// diagram.png; the page being converted has report.pdf.
type fakeLinks struct{}

func (fakeLinks) pageLink(space, title string) (string, bool) {
	if title == "Guide" && (space == "" || space == "DOC") {
		return "guide.md", true
	}
	return "", false
}

func (fakeLinks) attachmentLink(space, title, name string) (string, bool) {
	switch {
	case title == "" && name == "report.pdf":
		return "report.pdf", true
	case title == "Guide" && name == "diagram.png":
		return "guide/diagram.png", true
	}
	return "", false
}

func (fakeLinks) namesContent(text string) bool {
	return newContentNames([]string{"Guide", "diagram.png", "report.pdf"}).in(text)
}

// TestStorage runs the case files of testdata/storage: each holds a body
// in storage format (in), the markdown it becomes (out) and the warnings
// it gives (warnings, one "kind: message" a line; none when absent).
func TestStorage(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/storage/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			parts := map[string]string{}
			for _, f := range ar.Files {
				parts[f.Name] = string(f.Data)
			}
			var warnings []string
			c := &converter{page: "content/doc/page.md", links: fakeLinks{},
				warn: func(kind, msg string) { warnings = append(warnings, kind+": "+msg) }}
			got := c.convert(strings.TrimSuffix(parts["in"], "\n"))
			if want := parts["out"]; got != want {
				t.Errorf("markdown:\n--- got ---\n%s--- want ---\n%s", got, want)
			}
			if line, msg := content.StrayRule([]byte(got)); line != 0 {
				t.Errorf("facet build would refuse line %d of the markdown: %s", line, msg)
			}
			wantW := strings.TrimSpace(parts["warnings"])
			if gotW := strings.Join(warnings, "\n"); gotW != wantW {
				t.Errorf("warnings:\n--- got ---\n%s\n--- want ---\n%s", gotW, wantW)
			}
		})
	}
}
