package build

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/manifest"
)

// TestBuildDirsDistinct is the class of audiences whose ids become one
// folder name once sanitised (case, "+", "-", punctuation): each build gets
// its own folder, and every audience's folder holds its own page.
func TestBuildDirsDistinct(t *testing.T) {
	t.Parallel()
	groups := []string{"Eng", "eng", "a+b", "a-b", "A-B", "c++", "c--", "s:x+y", "x"}
	var b strings.Builder
	b.WriteString("-- config/site.toml --\ntitle = \"Dirs\"\n[access]\nallow = [\"members\"]\n")
	b.WriteString("-- config/access.toml --\n[members]\ndomains = [\"example.com\"]\n")
	for _, g := range groups {
		fmt.Fprintf(&b, "[groups.%q]\n", g)
	}
	b.WriteString("[[audiences]]\ngroups = [\"c++\", \"eng\"]\n[[audiences]]\ngroups = [\"x\", \"y\"]\n")
	b.WriteString("[[audiences]]\ngroups = [\"s:x+y\", \"x\"]\n")
	b.WriteString("-- content/_index.md --\n+++\ntitle = \"Home\"\n[page_access]\nallow = [\"anyone\"]\n+++\nHome.\n")
	for i, g := range groups {
		fmt.Fprintf(&b, "-- content/p%d.md --\n+++\ntitle = \"Page %d\"\n[access]\nallow = [%q]\n+++\nText.\n", i, i, "group:"+g)
	}
	s := newTestSite(t, strings.ReplaceAll(b.String(), "[groups.\"x\"]\n", "[groups.\"x\"]\n[groups.y]\n")).build()
	_, rules, err := manifest.Read(s.out)
	if err != nil {
		t.Fatal(err)
	}
	dirs := map[string]bool{}
	for _, bs := range rules.Builds {
		if dirs[bs.Dir] {
			t.Errorf("two builds in folder %q", bs.Dir)
		}
		dirs[bs.Dir] = true
	}
	ids := map[string]string{}
	for _, a := range s.man.Audiences {
		if other, ok := ids[a.ID]; ok {
			t.Errorf("audience id %q twice (%s, %s)", a.ID, other, a.Dir)
		}
		ids[a.ID] = a.Dir
		if !dirs[a.Dir] {
			t.Errorf("audience %s in folder %q, which no build has", a.ID, a.Dir)
		}
	}
	for i, g := range groups {
		s.assertFile("group:"+g, fmt.Sprintf("p%d/index.html", i), fmt.Sprintf("Page %d", i))
	}
	for _, id := range []string{"groups:c+++eng", "groups:x+y", "groups:s:x+y+x"} {
		if _, ok := ids[id]; !ok {
			t.Errorf("no audience %s among %v", id, slices.Sorted(maps.Keys(ids)))
		}
	}
}
