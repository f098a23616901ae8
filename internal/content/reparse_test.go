package content

import (
	"testing"
	"testing/fstest"
)

func TestParsePageAgreesWithLoad(t *testing.T) {
	src := "\ufeff+++\ntitle = \"A\"\nweight = 2\n+++\nBody text.\n"
	fsys := fstest.MapFS{"content/a.md": {Data: []byte(src)}}
	tree, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	loaded := tree.Page("/a/")
	p, err := ParsePage("content/a.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if p.FrontSum != loaded.FrontSum || p.BodyLine != loaded.BodyLine || string(p.Body) != string(loaded.Body) ||
		p.Title != "A" || p.Weight != 2 {
		t.Errorf("ParsePage = %q line %d weight %d, Load = %q line %d", p.Body, p.BodyLine, p.Weight, loaded.Body, loaded.BodyLine)
	}
	other, err := ParsePage("content/a.md", []byte("+++\ntitle = \"A\"\nweight = 3\n+++\nBody text.\n"))
	if err != nil {
		t.Fatal(err)
	}
	if other.FrontSum == p.FrontSum {
		t.Error("a frontmatter edit kept FrontSum")
	}
	if _, err := ParsePage("content/a.md", []byte("+++\ntitle = \"A\"\nbogus = 1\n+++\n")); err == nil {
		t.Error("an unknown frontmatter key parsed")
	}
}
