package confluence

import (
	"archive/zip"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/build"
)

// zipDir zips the folder dir into a file in a temporary folder.
func zipDir(t *testing.T, dir string, edit func(name string, data []byte) []byte) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "export.zip")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if edit != nil {
			data = edit(filepath.ToSlash(rel), data)
		}
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return name
}

// importSite imports export into a new folder and returns the site folder.
func importSite(t *testing.T, export string) (string, *Result) {
	t.Helper()
	into := filepath.Join(t.TempDir(), "site")
	res, err := Import(context.Background(), Options{Export: export, Into: into})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return into, res
}

// visibleByAudience builds the site (release gate on) and returns, for
// each audience id, the URLs of the imported pages its build shows.
func visibleByAudience(t *testing.T, site string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	b := build.New(build.Options{Site: site, Out: filepath.Join(t.TempDir(), "public")})
	res, err := b.Build(ctx)
	if err != nil {
		t.Fatalf("facet build of the imported site: %v", err)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("facet build warns: %v", res.Warnings)
	}
	s, err := build.Load(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, bd := range s.Builds() {
		var urls []string
		for _, p := range s.Tree.Pages {
			if bd.Visible.Has(p.Index) && !p.Generated && strings.HasPrefix(p.File, "content/doc/") {
				urls = append(urls, p.URL)
			}
		}
		slices.Sort(urls)
		for _, a := range bd.Audiences {
			out[a.ID] = urls
		}
	}
	return out
}

// The pages of the fixture (testdata/space): the space home, Guide with
// Install under it, and Team (viewable by group eng, alice and bob) with
// Meeting notes (no restriction of its own) and Roadmap (alice and group
// eng) under it. The space is viewable by anonymous users, group staff and
// dana, who has no email.
const (
	home    = "/doc/"
	guide   = "/doc/guide/"
	install = "/doc/guide/install/"
	team    = "/doc/team/"
	notes   = "/doc/team/meeting-notes/"
	roadmap = "/doc/team/roadmap/"
)

// confluenceShows is what Confluence shows each audience of the imported
// site (a member of one group alone, a named user in no group): the space
// permission first, then every view restriction on the page and above it.
var confluenceShows = map[string][]string{
	"anonymous":              {home, guide, install},
	"members":                {home, guide, install},
	"group:staff":            {home, guide, install},
	"group:eng":              {home, guide, install, team, notes, roadmap},
	"user:alice@example.com": {home, guide, install, team, notes, roadmap},
	"user:bob@example.com":   {home, guide, install, team, notes},
}

func TestImportBuildsShowWhatConfluenceShowed(t *testing.T) {
	t.Parallel()
	for _, in := range []struct{ name, export string }{
		{"folder", "testdata/space"},
		{"zip", zipDir(t, "testdata/space", nil)},
	} {
		t.Run(in.name, func(t *testing.T) {
			t.Parallel()
			site, res := importSite(t, in.export)
			if res.Pages != 6 || res.Attachments != 2 || res.Restricted != 3 || res.Inexact != 0 {
				t.Errorf("imported %+v; want 6 pages, 2 attachments, 3 restricted, 0 inexact", res)
			}
			checkFiles(t, site)
			got := visibleByAudience(t, site)
			for id, want := range confluenceShows {
				want = slices.Sorted(slices.Values(want))
				if !slices.Equal(got[id], want) {
					t.Errorf("%s sees %v in facet, %v in Confluence", id, got[id], want)
				}
			}
			for id := range got {
				if _, ok := confluenceShows[id]; !ok {
					t.Errorf("unexpected audience %s", id)
				}
			}
		})
	}
}

// Without anonymous access the space is group staff's; the restricted
// pages below then need someone in staff and in eng (or alice, bob), which
// the export cannot tell: facet hides them from everyone and the report
// says so.
func TestImportGroupSpaceHidesWhatItCannotKnow(t *testing.T) {
	t.Parallel()
	anon := "<object class=\"SpacePermission\" package=\"com.atlassian.confluence.security\">\n<id name=\"id\">1101</id>"
	export := zipDir(t, "testdata/space", func(name string, data []byte) []byte {
		if name != "entities.xml" {
			return data
		}
		s := string(data)
		if !strings.Contains(s, anon) {
			t.Fatal("the fixture's anonymous permission moved")
		}
		return []byte(strings.Replace(s, anon, strings.Replace(anon, "SpacePermission", "SpacePermissionRemoved", 1), 1))
	})
	site, res := importSite(t, export)
	if res.Inexact != 3 {
		t.Errorf("%d inexact pages, want 3", res.Inexact)
	}
	got := visibleByAudience(t, site)
	want := map[string][]string{
		"anonymous": nil, "members": nil, "group:eng": nil,
		"group:staff": {home, guide, install},
	}
	for id, w := range want {
		w = slices.Sorted(slices.Values(w))
		if !slices.Equal(got[id], w) {
			t.Errorf("%s sees %v, want %v", id, got[id], w)
		}
	}
	report, err := os.ReadFile(filepath.Join(site, "import-report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"**Not exact**: facet hides the page from group eng who is also in group staff",
		"user alice@example.com who is also in group staff", "SpacePermissionRemoved"} {
		if !strings.Contains(string(report), s) {
			t.Errorf("the report lacks %q:\n%s", s, report)
		}
	}
}

// checkFiles checks what the import wrote besides the rules: frontmatter,
// the access draft and the report.
func checkFiles(t *testing.T, site string) {
	t.Helper()
	want := map[string][]string{
		"content/doc/_index.md": {"title = \"Documentation\"", "[access]\nallow = [\"anyone\"]\ncascade = true",
			"[guide](guide/_index.md)", "[](notes.txt)"},
		"content/doc/guide/_index.md": {"title = \"Guide\"", "date = 2025-05-02T08:15:00Z", "weight = 1",
			"tags = [\"howto\"]", "![Architecture](diagram.png)", "[](install.md)"},
		"content/doc/team/roadmap.md":       {"allow = [\"group:eng\", \"user:alice@example.com\"]"},
		"content/doc/team/meeting-notes.md": {"[plans](roadmap.md#q3)"},
		"config/access.toml": {"domains = [\"example.com\"]", "[groups.\"eng\"]", "[groups.\"staff\"]",
			"# TODO: the Confluence user \"dana\" has no email"},
		"import-report.md": {"### Roadmap", "restricted on \"Team\" to group eng, user alice@example.com, user bob@example.com; restricted on \"Roadmap\" to group eng, user alice@example.com",
			"- Readers in facet: `allow = [\"group:eng\", \"user:alice@example.com\"]` ([access] in this file)",
			"([access] from `content/doc/team/_index.md`)", "### edit (1)", "entities.xml:304: 1 object(s) of the unknown class WhiteboardThing"},
	}
	for file, subs := range want {
		data, err := os.ReadFile(filepath.Join(site, file))
		if err != nil {
			t.Error(err)
			continue
		}
		for _, s := range subs {
			if !strings.Contains(string(data), s) {
				t.Errorf("%s lacks %q:\n%s", file, s, data)
			}
		}
	}
	for _, gone := range []string{"Unfinished idea", "Old process", "old draft title"} {
		filepath.WalkDir(filepath.Join(site, "content"), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if data, _ := os.ReadFile(p); strings.Contains(string(data), gone) {
					t.Errorf("%s holds %q (a draft, trashed page or old version)", p, gone)
				}
			}
			return nil
		})
	}
}
