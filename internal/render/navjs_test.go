package render

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/facet-docs/facet/internal/content"
)

// navEntry is one page of nav.js, decoded.
type navEntry struct {
	URL, Title    string
	Parent, Flags int
}

// navData is a decoded nav.js.
type navData struct {
	Badge navBadge
	Pages []navEntry
}

// navOf decodes the nav.js of a rendered build.
func navOf(t *testing.T, out output) navData {
	t.Helper()
	js, ok := out[NavPath]
	if !ok {
		t.Fatalf("build has no %s", NavPath)
	}
	const prefix = "window.FACET_NAV = "
	s := strings.TrimSuffix(strings.TrimSpace(string(js)), ";")
	if !strings.HasPrefix(s, prefix) {
		t.Fatalf("%s does not start with %q", NavPath, prefix)
	}
	var raw struct {
		Badge navBadge          `json:"badge"`
		Pages []json.RawMessage `json:"pages"`
	}
	if err := json.Unmarshal([]byte(strings.TrimPrefix(s, prefix)), &raw); err != nil {
		t.Fatalf("%s: %v", NavPath, err)
	}
	nav := navData{Badge: raw.Badge}
	for _, m := range raw.Pages {
		var e navEntry
		tuple := []any{&e.URL, &e.Title, &e.Parent, &e.Flags}
		if err := json.Unmarshal(m, &tuple); err != nil || len(tuple) != 4 {
			t.Fatalf("%s: entry %s: %v", NavPath, m, err)
		}
		nav.Pages = append(nav.Pages, e)
	}
	return nav
}

func TestNavScript(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs"}, f.tree)
	for _, tc := range []struct {
		b    *Target
		want []navEntry
	}{
		{f.eng, []navEntry{
			{"/", "Welcome", -1, navSection | navHome},
			{"/guide/", "Guide", -1, navSection},
			{"/guide/install/", "Install", 1, 0},
			{"/guide/usage/", "Usage", 1, 0},
			{"/secret/", "Zephyr Vault", -1, navSection},
			{"/secret/plan/", "Quasar Plan", 4, 0},
			{"/secret/shared/", "Shared Notes", 4, 0},
			{"/gen/", "gen", -1, navSection},
			{"/gen/leaf/", "Leaf", 7, 0},
			{"/zeta/", "Zeta Page", -1, 0},
		}},
		// The vault is hidden: its shared page moves to the top level.
		{f.anon, []navEntry{
			{"/", "Welcome", -1, navSection | navHome},
			{"/guide/", "Guide", -1, navSection},
			{"/guide/install/", "Install", 1, 0},
			{"/guide/usage/", "Usage", 1, 0},
			{"/gen/", "gen", -1, navSection},
			{"/gen/leaf/", "Leaf", 4, 0},
			{"/secret/shared/", "Shared Notes", -1, 0},
			{"/zeta/", "Zeta Page", -1, 0},
		}},
		// No home page: top-level entries have no parent.
		{&Target{Dir: "x", Kind: "member", Label: "Members", Present: presentExcept(f.tree, "/", "/guide/")}, []navEntry{
			{"/guide/install/", "Install", -1, 0},
			{"/guide/usage/", "Usage", -1, 0},
			{"/secret/", "Zephyr Vault", -1, navSection},
			{"/secret/plan/", "Quasar Plan", 2, 0},
			{"/secret/shared/", "Shared Notes", 2, 0},
			{"/gen/", "gen", -1, navSection},
			{"/gen/leaf/", "Leaf", 5, 0},
			{"/zeta/", "Zeta Page", -1, 0},
		}},
	} {
		out := render(t, r, tc.b, f.bodies)
		nav := navOf(t, out)
		if diff := cmp.Diff(tc.want, nav.Pages); diff != "" {
			t.Errorf("%s: nav.js pages (-want +got):\n%s", tc.b.Dir, diff)
		}
		// Exactly the present pages, each with its file in the build.
		var present, listed []string
		for _, p := range f.tree.Pages {
			if tc.b.Present.Has(p.Index) {
				present = append(present, p.URL)
			}
		}
		for _, e := range nav.Pages {
			listed = append(listed, e.URL)
			if _, ok := out[strings.TrimPrefix(e.URL, "/")+"index.html"]; !ok {
				t.Errorf("%s: nav.js lists %s, which the build lacks", tc.b.Dir, e.URL)
			}
		}
		slices.Sort(listed)
		if want := `<noscript><ul><li><a href="../../">Home page</a></li></ul></noscript>`; !bytes.Contains(out["guide/install/index.html"], []byte(want)) {
			t.Errorf("%s: page lacks the sidebar without script %s", tc.b.Dir, want)
		}
		if diff := cmp.Diff(present, listed); diff != "" {
			t.Errorf("%s: nav.js lists other pages than the present ones (-present +listed):\n%s", tc.b.Dir, diff)
		}
	}
}

func TestNavBadge(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs"}, f.tree)
	guest := &Target{Dir: "guest-1", Kind: "guest", Label: "Guest · Partners", Present: presentExcept(f.tree, f.hidden...)}
	for _, tc := range []struct {
		b    *Target
		want navBadge
	}{
		{guest, navBadge{Kind: "guest", Label: "Guest · Partners"}},
		{f.anon, navBadge{Kind: "anonymous", Label: "Public"}},
	} {
		out := render(t, r, tc.b, f.bodies)
		if diff := cmp.Diff(tc.want, navOf(t, out).Badge); diff != "" {
			t.Errorf("%s: badge (-want +got):\n%s", tc.b.Dir, diff)
		}
		// No page says whose build it is, nor keeps search engines off.
		for _, p := range sortedPaths(out) {
			if !strings.HasSuffix(p, ".html") {
				continue
			}
			page := out[p]
			if i, j := bytes.Index(page, []byte("<style>")), bytes.Index(page, []byte("</style>")); i >= 0 && j > i {
				page = append(page[:i:i], page[j:]...) // the theme's style sheet, alike in every build, names the badge classes
			}
			for _, s := range []string{tc.b.Label, tc.b.Dir, "noindex", `name="robots"`} {
				if bytes.Contains(page, []byte(s)) {
					t.Errorf("%s: %s holds %q", tc.b.Dir, p, s)
				}
			}
		}
	}
}

// TestSamePageSameBytes: builds that hold a page with the same body and
// breadcrumbs emit the very same file for it (the same slice, even),
// whatever else they hold; a different body or different crumbs make a
// different file.
func TestSamePageSameBytes(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs", BaseURL: "https://docs.example.com/"}, f.tree)
	guest := &Target{Dir: "guest-1", Kind: "guest", Label: "Guest · Partners", Present: presentExcept(f.tree, f.hidden...)}
	// Other neighbours, other tags, no feed entries, another label.
	few := &Target{Dir: "x", Kind: "member", Label: "Few", Present: presentExcept(f.tree, "/guide/usage/", "/secret/", "/secret/plan/", "/zeta/")}
	outs := map[string]output{}
	for _, b := range []*Target{f.anon, f.eng, guest, few} {
		outs[b.Dir] = render(t, r, b, f.bodies)
	}
	for _, tc := range []struct {
		page  string
		a, b  string
		equal bool
	}{
		{"guide/install/index.html", f.anon.Dir, f.eng.Dir, true},
		{"guide/install/index.html", f.anon.Dir, guest.Dir, true},
		{"guide/install/index.html", f.anon.Dir, few.Dir, true},
		{"zeta/index.html", f.anon.Dir, f.eng.Dir, true},
		{"gen/leaf/index.html", guest.Dir, few.Dir, true},
		// eng sees the vault: other breadcrumbs and another body.
		{"secret/shared/index.html", f.anon.Dir, f.eng.Dir, false},
		{"secret/shared/index.html", f.anon.Dir, guest.Dir, true},
		{"secret/shared/index.html", f.anon.Dir, few.Dir, true},
	} {
		a, b := outs[tc.a][tc.page], outs[tc.b][tc.page]
		if a == nil || b == nil {
			t.Fatalf("%s missing from %s or %s", tc.page, tc.a, tc.b)
		}
		if got := bytes.Equal(a, b); got != tc.equal {
			t.Errorf("%s: %s and %s equal = %v, want %v:\n%s", tc.page, tc.a, tc.b, got, tc.equal, cmp.Diff(string(a), string(b)))
		}
	}
	// Section pages list a build's pages: they stay per build.
	if bytes.Equal(outs[f.anon.Dir]["index.html"], outs[f.eng.Dir]["index.html"]) {
		t.Errorf("home pages of anon and eng are equal")
	}
	leaf := f.tree.Pages[slices.IndexFunc(f.tree.Pages, func(p *content.Page) bool { return p.URL == "/secret/shared/" })]
	kept := 0
	for _, sk := range r.parts[leaf.Index].skel {
		if sk != nil {
			kept++
		}
	}
	if kept != 2 { // with and without breadcrumbs; bodies never change a skeleton
		t.Errorf("/secret/shared/ has %d kept skeletons, want 2", kept)
	}
}

// TestBuildFilesNameNoOne: what a build's files say about whom it is for
// is its kind and label alone. Two builds that differ only in folder name
// write the same bytes, and nav.js's badge has no other field, so no
// audience id, email, name or expiry can reach a file that several
// people may share.
func TestBuildFilesNameNoOne(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs", BaseURL: "https://docs.example.com/"}, f.tree)
	a := &Target{Dir: "guest-1", Kind: "guest", Label: "Guest · Partners", Present: presentExcept(f.tree, f.hidden...)}
	b := &Target{Dir: "user-carol-partner.example", Kind: "guest", Label: "Guest · Partners", Present: presentExcept(f.tree, f.hidden...)}
	outA, outB := render(t, r, a, f.bodies), render(t, r, b, f.bodies)
	if diff := cmp.Diff(sortedPaths(outA), sortedPaths(outB)); diff != "" {
		t.Fatalf("files differ (-a +b):\n%s", diff)
	}
	for _, p := range sortedPaths(outA) {
		if !bytes.Equal(outA[p], outB[p]) {
			t.Errorf("%s differs between builds that differ only in folder name", p)
		}
		for _, s := range []string{"carol", "guest-1"} {
			if bytes.Contains(outB[p], []byte(s)) || bytes.Contains(outA[p], []byte(s)) {
				t.Errorf("%s holds %q", p, s)
			}
		}
	}
	js := strings.TrimSuffix(strings.TrimPrefix(string(outA[NavPath]), "window.FACET_NAV = "), ";\n")
	var raw struct {
		Badge map[string]any `json:"badge"`
	}
	if err := json.Unmarshal([]byte(js), &raw); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"kind": "guest", "label": "Guest · Partners"}
	if diff := cmp.Diff(want, raw.Badge); diff != "" {
		t.Errorf("badge (-want +got):\n%s", diff)
	}
}
