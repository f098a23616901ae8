package build

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoTraceOutputOrCacheInPublishedFolder: an output or cache folder
// inside content/ or themes/ would hold every audience's pages (the
// builds, or the cache's copies of converted pages), and the next build
// would publish that folder into the builds that hold its place. Both are
// refused before anything is written, however the folder is spelled.
func TestNoTraceOutputOrCacheInPublishedFolder(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Places"
[access]
allow = ["anyone"]
-- config/access.toml --
[groups.eng]
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/sec/_index.md --
+++
title = "Section"
+++
Open section.
-- content/sec/hidden.md --
+++
title = "Quartz Heron Plans"
[access]
allow = ["group:eng"]
+++
Xylophonic words.
`).build()
	before := treeOf(t, s.out)
	for _, tt := range []struct{ out, cache string }{
		{out: filepath.Join(s.dir, "content", "sec", "out")},
		{out: filepath.Join(s.dir, "x", "..", "themes", "default", "assets", "out")},
		{out: s.out, cache: filepath.Join(s.dir, "content", "sec", "cache")},
		{out: s.out, cache: filepath.Join(s.dir, "content")},
		{out: s.out, cache: filepath.Join(s.dir, "themes", "c")},
	} {
		_, err := New(Options{Site: s.dir, Out: tt.out, Cache: tt.cache}).Build(context.Background())
		if err == nil || !strings.Contains(err.Error(), "whose files facet build publishes") {
			t.Errorf("out %s, cache %s: err = %v, want a refusal", tt.out, tt.cache, err)
		}
	}
	for _, dir := range []string{filepath.Join(s.dir, "content", "sec", "out"), filepath.Join(s.dir, "content", "sec", "cache"), filepath.Join(s.dir, "themes")} {
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s was written (stat: %v)", dir, err)
		}
	}
	if after := treeOf(t, s.out); !maps.Equal(after, before) {
		t.Errorf("the output changed after refused builds")
	}
	// Through a symbolic link to content/.
	link := filepath.Join(t.TempDir(), "notes")
	if err := os.Symlink(filepath.Join(s.dir, "content"), link); err == nil {
		if _, err := New(Options{Site: s.dir, Out: s.out, Cache: filepath.Join(link, "cache")}).Build(context.Background()); err == nil {
			t.Errorf("a cache folder in content/ through a symbolic link was not refused")
		}
	}
	// A folder beside them is fine.
	if _, err := New(Options{Site: s.dir, Out: s.out, Cache: filepath.Join(s.dir, ".facet-cache")}).Build(context.Background()); err != nil {
		t.Fatalf("cache in .facet-cache: %v", err)
	}
}
