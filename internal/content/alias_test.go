package content

import (
	"testing"
	"testing/fstest"
)

// Aliases are normalised to folder URLs: a value starting with "/" is a
// path from the site root, any other value is beside the page (in the
// folder of its URL, its url key included); Near is the nearest page at
// or above the alias.
func TestAliasURLs(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"content/_index.md":          md(""),
		"content/guide/_index.md":    md("+++\naliases = [\"manual\"]\n+++\n"),
		"content/guide/new.md":       md("+++\naliases = [\"/old/path\", \"old-name\", \"/guide/deep/older/\", \"caf%C3%A9\", \"/my docs/x\"]\n+++\n"),
		"content/guide/bun/index.md": md("+++\naliases = [\"bun-old\"]\n+++\n"),
		"content/moved.md":           md("+++\nurl = \"/elsewhere/moved/\"\naliases = [\"was-here\"]\n+++\n"),
	}
	tr, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"content/guide/_index.md":    {"/manual/ manual/index.html <nil>"},
		"content/guide/new.md":       {"/old/path/ old/path/index.html <nil>", "/guide/old-name/ guide/old-name/index.html /guide/", "/guide/deep/older/ guide/deep/older/index.html /guide/", "/guide/caf%C3%A9/ guide/café/index.html /guide/", "/my%20docs/x/ my docs/x/index.html <nil>"},
		"content/guide/bun/index.md": {"/guide/bun-old/ guide/bun-old/index.html /guide/"},
		"content/moved.md":           {"/elsewhere/was-here/ elsewhere/was-here/index.html <nil>"},
	}
	for _, p := range tr.Pages {
		var got []string
		for _, a := range p.Aliases {
			near := "<nil>"
			if a.Near != nil {
				near = a.Near.URL
			}
			got = append(got, a.URL+" "+a.OutPath+" "+near)
		}
		if w := want[p.File]; len(w) != len(got) {
			t.Errorf("%s: aliases %q, want %q", p.File, got, w)
		} else {
			for i := range w {
				if got[i] != w[i] {
					t.Errorf("%s: alias %d is %q, want %q", p.File, i, got[i], w[i])
				}
			}
		}
	}
}
