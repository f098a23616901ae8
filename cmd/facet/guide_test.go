package main

import (
	"os"
	"regexp"
	"testing"
	"testing/fstest"

	"github.com/facet-docs/facet/internal/config"
)

// The config/access.toml sample of docs/GUIDE.md loads as written: a reader who
// copies it gets a working file, not an undeclared-group error.
func TestGuideAccessSampleLoads(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../docs/GUIDE.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## `config/access.toml`\n+```toml\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("docs/GUIDE.md has no config/access.toml sample under its heading")
	}
	acc, err := config.LoadAccess(fstest.MapFS{config.AccessFile: {Data: m[1]}})
	if err != nil {
		t.Fatalf("the config/access.toml sample of docs/GUIDE.md does not load:\n%v", err)
	}
	for _, g := range []string{"eng", "staff", "partners"} {
		if !acc.Directory.HasGroup(g) {
			t.Errorf("the sample uses group %q without declaring it", g)
		}
	}
}
