package build

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/render"
)

// holdSite has files that only hidden pages use. The reports section is
// open to members; eng's plan page in it is not. The plan links to, embeds
// or references in raw HTML files owned by sections members see, and no
// visible page uses them. shared.csv is used by the plan and by a page
// members see; loose.txt by no page at all.
const holdSite = `
-- config/site.toml --
title = "Hold Site"
[markdown]
unsafe = true
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
-- content/_index.md --
+++
title = "Home"
[access]
allow = ["anyone"]
+++
Home.
-- content/reports/_index.md --
+++
title = "Reports"
+++
Reports.
-- content/reports/open.md --
+++
title = "Open Report"
+++
See [the shared table](shared.csv).
-- content/reports/plan.md --
+++
title = "Eng Plan"
[access]
allow = ["group:eng"]
+++
Data: [numbers](quokka-numbers.csv) and ![chart](quokka-chart.png).

<a href="/media/quokka-raw.pdf">raw</a> <img src="../media/quokka-pic.svg">

Also [the shared table](shared.csv).
-- content/reports/quokka-numbers.csv --
a,b
-- content/reports/quokka-chart.png --
PNG-QUOKKA-CHART
-- content/reports/shared.csv --
SHARED-TABLE
-- content/reports/loose.txt --
LOOSE-FILE
-- content/media/_index.md --
+++
title = "Media"
+++
Media.
-- content/media/quokka-raw.pdf --
PDF-QUOKKA-RAW
-- content/media/quokka-pic.svg --
<svg xmlns="http://www.w3.org/2000/svg"></svg>
-- content/drafts/wip.md --
+++
title = "WIP"
draft = true
[access]
allow = ["anyone"]
+++
![pic](../media/draft-only.png)
-- content/media/draft-only.png --
PNG-DRAFT-ONLY
`

// A file that only hidden pages link to, embed or reference in raw HTML
// is not copied into a build, whatever section owns it, and leaves no
// trace there; a file a visible page uses, or that no page uses, is.
func TestHoldFilesOnlyHiddenPagesUse(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, holdSite).build()
	hiddenOnly := []string{"reports/quokka-numbers.csv", "reports/quokka-chart.png", "media/quokka-raw.pdf",
		"media/quokka-pic.svg", "media/draft-only.png"}
	for _, aud := range []string{"members", "anonymous"} {
		for _, f := range hiddenOnly {
			s.assertNoFile(aud, f)
		}
		s.assertNoTrace(aud, "quokka", "QUOKKA", "draft-only", "DRAFT-ONLY")
	}
	s.assertFile("members", "reports/shared.csv", "SHARED-TABLE")
	s.assertFile("members", "reports/loose.txt", "LOOSE-FILE")
	s.assertFile("members", "reports/open/index.html", "shared.csv")
	for _, f := range hiddenOnly[:4] {
		if _, ok := s.read("group:eng", f); !ok {
			t.Errorf("group:eng: %s missing", f)
		}
	}
	s.assertNoFile("group:eng", "media/draft-only.png")
	s.assertFile("group:eng", "reports/plan/index.html", "quokka-numbers.csv", "quokka-chart.png", "quokka-raw.pdf", "quokka-pic.svg")
}

// The rule that copies an attachment is the rule that redacts links to it
// and that the verifier checks: for every build and attachment, the file
// is in the build exactly when the build holds the attachment.
func TestHoldCopyAgreesWithHolds(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, holdSite).build()
	ls, err := Load(context.Background(), s.dir)
	if err != nil {
		t.Fatal(err)
	}
	p := ls.s.plan(nil)
	bs := newBodies(ls.s, p)
	n := len(ls.s.tree.Pages)
	for _, bp := range p.builds {
		for i, a := range ls.s.tree.Attachments {
			_, err := os.Stat(filepath.Join(s.out, bp.r.Dir, filepath.FromSlash(a.OutPath)))
			if copied := err == nil; copied != bs.holds(bp, n+i) {
				t.Errorf("%s: %s copied %v, held %v", bp.r.Dir, a.File, copied, bs.holds(bp, n+i))
			}
		}
	}
}

// people are the guests and named members of peopleSite, by email and name.
var people = []string{
	"carol@partner.example", "Carol Quince",
	"dave@partner.example", "Dave Rowan",
	"erin@vendor.example", "Erin Sorrel",
	"bob@example.com",
	"old@partner.example", "Old Timer",
}

// peopleSite has two guests who see the same pages (a build each), a
// guest with a page of her own, a member named in a rule and an expired
// guest with a page of his own.
const peopleSite = `
-- config/site.toml --
title = "People Site"
base_url = "https://docs.example.com/"
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.partners]
title = "Partners"
[groups.vendors]
[[guests]]
email = "carol@partner.example"
name = "Carol Quince"
groups = ["partners"]
expires = 2099-12-31
[[guests]]
email = "dave@partner.example"
name = "Dave Rowan"
groups = ["partners"]
[[guests]]
email = "erin@vendor.example"
name = "Erin Sorrel"
groups = ["vendors"]
expires = 2099-06-30T12:00:00Z
[[guests]]
email = "old@partner.example"
name = "Old Timer"
groups = ["partners"]
expires = 2020-01-01
-- content/_index.md --
+++
title = "Home"
[access]
allow = ["anyone"]
+++
Home.
-- content/partners/_index.md --
+++
title = "Partner Area"
[access]
allow = ["group:partners"]
+++
For partners.
-- content/vendors.md --
+++
title = "Vendor Sheet"
[access]
allow = ["user:erin@vendor.example"]
+++
Vendor sheet.
-- content/review.md --
+++
title = "Review Notes"
[access]
allow = ["user:bob@example.com"]
+++
Review notes.
-- content/bygone.md --
+++
title = "Bygone Page"
[access]
allow = ["user:old@partner.example"]
+++
Bygone.
`

// assertNoPerson checks every byte of every file and every file name of
// every build folder (not manifest.json and rules.json, which are never
// served) for a person's email and name, but for a member build's list of
// who can see each page.
func assertNoPerson(t *testing.T, s *testSite, needles ...string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(s.out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(s.out, p)
		if rel == manifest.ManifestFile || rel == manifest.RulesFile || rel == "." {
			return nil
		}
		// The theme's vendored libraries are the same bytes in every build
		// of every site (checked byte for byte): their names and words are
		// no one's.
		if _, inBuild, ok := strings.Cut(filepath.ToSlash(rel), "/"); ok && strings.HasPrefix(inBuild, vendorDir) {
			if b, err := os.ReadFile(p); d.IsDir() || (err == nil && builtinVendor(inBuild, b)) {
				return nil
			}
		}
		for _, nd := range needles {
			local, _, _ := strings.Cut(nd, "@")
			if strings.Contains(strings.ToLower(rel), strings.ToLower(local)) {
				t.Errorf("file name %s holds %q", rel, local)
			}
		}
		if d.IsDir() {
			return nil
		}
		files++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if filepath.ToSlash(rel) == filepath.Base(filepath.Dir(filepath.Dir(rel)))+"/"+render.NavPath {
			// The documented exception: a member build's list of who can
			// read each page names guests and named members (the gate
			// refuses it in other builds, TestWhoCanSee checks both).
			if i := bytes.Index(b, []byte(`"`+render.WhoCanSeeMarker+`"`)); i >= 0 {
				b = b[:i]
			}
		}
		low := bytes.ToLower(b)
		for _, nd := range needles {
			if bytes.Contains(low, []byte(strings.ToLower(nd))) {
				t.Errorf("%s holds %q", rel, nd)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatal("no files")
	}
}

// navBadge reads the badge of an audience's nav.js.
func navBadgeOf(t *testing.T, s *testSite, aud string) map[string]any {
	t.Helper()
	js, ok := s.read(aud, "_facet/nav.js")
	if !ok {
		t.Fatalf("%s: no nav.js", aud)
	}
	js = strings.TrimSuffix(strings.TrimPrefix(js, "window.FACET_NAV = "), ";\n")
	var v struct {
		Badge map[string]any `json:"badge"`
	}
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatalf("%s: nav.js: %v", aud, err)
	}
	return v.Badge
}

// No file of any build names a person: not the builds of guests who see
// the same pages, not a build only one guest has, not a member named in a
// rule. Badges say
// the kind and groups; the name and expiry come from the gateway.
func TestHoldNoPersonInAnyBuild(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, peopleSite).build()
	dirs := s.audienceDirs()
	if dirs["user:carol@partner.example"] == dirs["user:dave@partner.example"] {
		t.Fatalf("carol and dave, guests, share a build: %v", dirs)
	}
	if dirs["user:erin@vendor.example"] == dirs["user:carol@partner.example"] {
		t.Fatalf("erin shares carol's build: %v", dirs)
	}
	assertNoPerson(t, s, people...)
	for aud, want := range map[string]string{
		"user:carol@partner.example": "Guest · Partners",
		"user:erin@vendor.example":   "Guest · vendors",
		"user:bob@example.com":       "Members",
		"members":                    "Members",
		"anonymous":                  "Public",
	} {
		b := navBadgeOf(t, s, aud)
		if b["label"] != want {
			t.Errorf("%s: badge label %v, want %q", aud, b["label"], want)
		}
		for _, k := range []string{"id", "expires"} {
			if _, ok := b[k]; ok {
				t.Errorf("%s: badge has %s: %v", aud, k, b)
			}
		}
	}
	s.assertFile("user:erin@vendor.example", "vendors/index.html", "Vendor Sheet")
	s.assertFile("user:bob@example.com", "review/index.html", "Review Notes")
}

// buildAt builds s with the clock at now.
func buildAt(t *testing.T, s *testSite, now time.Time) {
	t.Helper()
	if _, err := New(Options{Site: s.dir, Out: s.out, Now: func() time.Time { return now }}).Build(context.Background()); err != nil {
		t.Fatalf("build: %v", err)
	}
	m, _, err := manifest.Read(s.out)
	if err != nil {
		t.Fatal(err)
	}
	s.man = m
}

// An expired guest gets no audience, no build and no place in the
// manifest; judged by the builder's clock, the same guest before expiry
// gets all three.
func TestHoldExpiredGuestGetsNoBuild(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, peopleSite)
	for _, tc := range []struct {
		now   time.Time
		email string
		has   bool
	}{
		{time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC), "old@partner.example", true},
		{time.Date(2020, 1, 1, 23, 59, 0, 0, time.UTC), "old@partner.example", true},
		{time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), "old@partner.example", false},
		{time.Date(2099, 6, 30, 11, 59, 0, 0, time.UTC), "erin@vendor.example", true},
		{time.Date(2099, 6, 30, 12, 0, 0, 0, time.UTC), "erin@vendor.example", false},
	} {
		buildAt(t, s, tc.now)
		dirs := s.audienceDirs()
		_, has := dirs["user:"+tc.email]
		if has != tc.has {
			t.Errorf("%s at %s: audience %v, want %v", tc.email, tc.now, has, tc.has)
		}
		if tc.has {
			continue
		}
		for _, b := range s.man.Builds {
			if b.Dir != "anonymous" && len(audiencesOf(s.man, b.Dir)) == 0 {
				t.Errorf("%s at %s: build %s serves no audience", tc.email, tc.now, b.Dir)
			}
		}
		page := map[string]string{"old@partner.example": "bygone", "erin@vendor.example": "vendors"}[tc.email]
		entries, err := os.ReadDir(s.out)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if _, err := os.Stat(filepath.Join(s.out, e.Name(), page, "index.html")); err == nil {
				t.Errorf("%s at %s: %s/%s/ still built", tc.email, tc.now, e.Name(), page)
			}
		}
	}
}

// audiencesOf lists the audiences served from a build folder.
func audiencesOf(m *manifest.Manifest, dir string) []string {
	var out []string
	for _, a := range m.Audiences {
		if a.Dir == dir {
			out = append(out, a.ID)
		}
	}
	return out
}

// Guests who see the same pages but whose groups differ have builds of
// their own: each badge names the guest's own groups (which audiences share
// a build depends on pages hidden from them), and no guest.
func TestHoldSharedGuestLabel(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.partners]
title = "Partners"
[groups.vendors]
title = "Vendors"
[groups.auditors]
[[guests]]
email = "fay@one.example"
name = "Fay Juniper"
groups = ["partners", "vendors"]
[[guests]]
email = "gus@two.example"
groups = ["partners"]
[[guests]]
email = "hal@three.example"
name = "Hal Yarrow"
groups = ["auditors"]
-- content/_index.md --
+++
title = "Home"
[access]
allow = ["guests"]
+++
Home.
-- content/p.md --
+++
title = "Partner Page"
[access]
allow = ["group:partners"]
+++
P.
`).build()
	dirs := s.audienceDirs()
	if dirs["user:fay@one.example"] == dirs["user:gus@two.example"] {
		t.Fatalf("fay and gus, of other groups, share a build: %v", dirs)
	}
	for aud, want := range map[string]string{
		"user:fay@one.example":   "Guest · Partners, Vendors",
		"user:gus@two.example":   "Guest · Partners",
		"user:hal@three.example": "Guest · auditors",
	} {
		if got := navBadgeOf(t, s, aud)["label"]; got != want {
			t.Errorf("%s: label %v, want %q", aud, got, want)
		}
	}
	assertNoPerson(t, s, "fay@one.example", "Fay Juniper", "gus@two.example", "hal@three.example", "Hal Yarrow")
}

// A member build's badge says the groups of its own audience: groups that
// see the same pages have builds of their own, so a member of one group is
// never told a group it is not in, nor, by a badge that drops its group,
// that another group sees what it sees. A member a rule names is told
// "Members", as a member no rule names is.
func TestHoldBadgeNamesOnlyCommonGroups(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Badge Site"
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
[groups.ops]
title = "Operations"
[groups.staff]
title = "Staff"
[groups.lab]
title = "Lab"
[[audiences]]
groups = ["ops", "staff"]
[[audiences]]
groups = ["lab", "staff"]
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/shared/_index.md --
+++
title = "Shared Space"
[access]
allow = ["group:eng", "group:ops"]
+++
For eng and ops.
-- content/review.md --
+++
title = "Review Notes"
[access]
allow = ["user:bob@example.com", "group:lab"]
+++
Review notes.
-- content/staffroom.md --
+++
title = "Staff Room"
[access]
allow = ["group:staff"]
+++
Staff.
`).build()
	dirs := s.audienceDirs()
	if dirs["group:eng"] == dirs["group:ops"] {
		t.Fatalf("eng and ops share a build: %v", dirs)
	}
	if dirs["group:lab"] == dirs["user:bob@example.com"] {
		t.Fatalf("lab and bob share a build: %v", dirs)
	}
	for aud, want := range map[string]string{
		"group:eng":            "Group: Engineering",
		"group:ops":            "Group: Operations",
		"group:lab":            "Group: Lab",
		"user:bob@example.com": "Members",
		"group:staff":          "Group: Staff",
		"groups:ops+staff":     "Groups: Operations + Staff",
		"members":              "Members",
	} {
		if got := navBadgeOf(t, s, aud)["label"]; got != want {
			t.Errorf("%s (build %s): badge label %v, want %q", aud, dirs[aud], got, want)
		}
	}
}
