package build

import (
	"strings"
	"testing"
)

// gateBase is a public site at https://example.com/docs/ with members-only
// pages: a title of two common words, a section at /admin/, a page titled
// with a date, a page whose title comes from its file name, a page with a
// space in its URL and a folder without _index.md.
const gateBase = `
-- config/site.toml --
title = "Gate Site"
base_url = "https://example.com/docs/"
[markdown]
unsafe = true
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/roadmap.md --
+++
title = "Table Roadmap"
[access]
allow = ["members"]
+++
Hidden body zqcanaryzq.
-- content/admin/_index.md --
+++
title = "Admin Console"
[access]
allow = ["members"]
+++
Admin.
-- content/day.md --
+++
title = "2024-05-01"
[access]
allow = ["members"]
+++
Day.
-- content/roadmap-notes.md --
+++
[access]
allow = ["members"]
+++
Notes.
-- content/sp ace.md --
+++
title = "Spaced Harbor"
[access]
allow = ["members"]
+++
Spaced.
-- content/gen/inner.md --
+++
title = "Inner Harbor Page"
[access]
allow = ["members"]
+++
Inner.
`

// gateSite is gateBase with more files (a txtar fragment).
func gateSite(t *testing.T, extra string) *testSite {
	t.Helper()
	return newTestSite(t, gateBase+extra)
}

// A text attachment holding a hidden page's URL or title, in any
// spelling, fails the build naming the attachment and the hidden page.
func TestGateAttachmentLeaks(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ file, data, page string }{
		"csvURL":        {"data.csv", "name,url\nx,/docs/admin/\n", "content/admin/_index.md"},
		"htmlBare":      {"page.html", "<a href=admin/>x</a>\n", "content/admin/_index.md"},
		"htmlSingle":    {"page.html", "<a href='./admin/'>x</a>\n", "content/admin/_index.md"},
		"htmlSrcset":    {"page.html", "<img srcset=\"a.png 1x, admin/ 2x\">\n", "content/admin/_index.md"},
		"htmlEntity":    {"page.html", "<p>&#47;docs&#47;admin&#47;</p>\n", "content/admin/_index.md"},
		"percent":       {"notes.txt", "see /docs/%61dmin/ now\n", "content/admin/_index.md"},
		"jsonSlash":     {"data.json", `{"u":"\/docs\/admin\/"}`, "content/admin/_index.md"},
		"jsonU":         {"data.json", `{"u":"\u002fdocs\u002fadmin\u002f"}`, "content/admin/_index.md"},
		"hostNoScheme":  {"notes.txt", "see example.com/docs/admin/ there\n", "content/admin/_index.md"},
		"hostUpper":     {"feed.xml", "<link>https://EXAMPLE.com:443/docs/./admin/</link>\n", "content/admin/_index.md"},
		"svgXlink":      {"pic.svg", `<svg xmlns="http://www.w3.org/2000/svg"><a xlink:href="admin/"><text>x</text></a></svg>`, "content/admin/_index.md"},
		"spacePath":     {"notes.txt", "at /docs/sp ace/ and more\n", "content/sp ace.md"},
		"spacePct":      {"notes.txt", "at /docs/sp%20ace/\n", "content/sp ace.md"},
		"titleCSV":      {"data.csv", "a,«Table Roadmap»\n", "content/roadmap.md"},
		"titleCJK":      {"notes.txt", "见Table Roadmap文档\n", "content/roadmap.md"},
		"titleDash":     {"notes.md.txt", "see—Table Roadmap—now\n", "content/roadmap.md"},
		"titleNoExt":    {"NOTES", "Table Roadmap\n", "content/roadmap.md"},
		"titleXMLAmp":   {"list.xml", "<t>Table&#32;Roadmap</t>\n", "content/roadmap.md"},
		"titleSpacedNL": {"data.csv", "x,\"Table\n  Roadmap\"\n", "content/roadmap.md"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := gateSite(t, "-- content/"+c.file+" --\n"+c.data)
			err := s.tryBuild()
			if err == nil {
				t.Fatalf("build with %s holding a hidden page's trace succeeded", c.file)
			}
			for _, want := range []string{"verify: build anonymous", c.file, c.page, "to resolve"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}

// A binary attachment is not scanned.
func TestGateBinaryNotScanned(t *testing.T) {
	t.Parallel()
	s := gateSite(t, "-- content/blob.bin --\n\x00\x01PNG /docs/admin/ Table Roadmap\n").build()
	s.assertFile("anonymous", "blob.bin", "/docs/admin/")
}

// An author writing a hidden page's URL as running text (not code) in a
// visible page fails the build: it is meant as a link.
func TestGateURLInProse(t *testing.T) {
	t.Parallel()
	s := gateSite(t, "-- content/probe.md --\n+++\ntitle = \"Probe\"\n+++\nGo to /admin/ now.\n")
	err := s.tryBuild()
	if err == nil || !strings.Contains(err.Error(), "/admin/") || !strings.Contains(err.Error(), "probe/index.html") {
		t.Fatalf("want a leak of /admin/ in probe/index.html, got %v", err)
	}
}

// Every legitimate form of the false-positive list builds, and the
// hidden pages leave no trace but the author's own words.
func TestGateLegitimateForms(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"linkBoundary": "Our Table [Roadmap Document](roadmap.md) is late.\n",
		"softBreak":    "Our Table\nRoadmap is late.\n",
		"emphasis":     "Our *Table* Roadmap and **Table** Roadmap.\n",
		"codePart":     "Our `Table` Roadmap is late.\n",
		"headingJoin":  "## Big Table\n\nRoadmap is next.\n\n### More\n\ntext\n",
		"headingTitle": "# Table Roadmap\n\nIntro.\n\n## Table Roadmap\n\nMore.\n",
		"dateTitle":    "On 2024-05-01 we met.\n",
		"codeURL":      "Call it:\n\n```\nPOST /admin\nGET /docs/admin/\n```\n\nor `GET /admin/`.\n",
		"fileTitle":    "Roadmap notes are kept elsewhere.\n",
		"genTitle":     "Gen is short for generated.\n",
		"csvMentioned": "The Table Roadmap lists it.\n\n[data](data.csv)\n",
		"cjkText":      "路线图：Table Roadmap的说明。\n",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			extra := "-- content/probe.md --\n+++\ntitle = \"Probe\"\ndate = 2024-05-01\n+++\n" + body
			if name == "csvMentioned" {
				extra += "-- content/data.csv --\nname\nTable Roadmap\n"
			}
			s := gateSite(t, extra).build()
			s.assertNoTrace("anonymous", "zqcanaryzq", "Admin Console", "Spaced Harbor", "Inner Harbor Page", "roadmap/", "sp%20ace")
			s.assertFile("anonymous", "probe/index.html", "Probe")
		})
	}
}

// The theme's words are text every build carries only where a build holds
// them: a template or asset of the theme. A file of the theme folder that
// no build publishes (a README, a template's draft saved under another
// extension) exempts nothing, so an attachment holding a hidden page's
// title or URL still fails the build; the same words in a published asset
// do not.
func TestGateThemeUnpublishedFilesExemptNothing(t *testing.T) {
	t.Parallel()
	for name, file := range map[string]string{
		"readme":      "themes/default/README.md",
		"layoutDraft": "themes/default/layouts/page.html.bak",
		"topLevel":    "themes/default/notes/plan.txt",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := gateSite(t, "-- "+file+" --\nStyling for Table Roadmap at /docs/admin/.\n"+
				"-- content/data.csv --\nname,url\nTable Roadmap,/docs/admin/\n")
			err := s.tryBuild()
			if err == nil {
				t.Fatalf("a hidden title and URL in data.csv passed the gate because %s says them", file)
			}
			if !strings.Contains(err.Error(), "data.csv") {
				t.Errorf("error %q does not name data.csv", err)
			}
		})
	}
	s := gateSite(t, "-- themes/default/assets/notes.txt --\nStyling for Table Roadmap at /docs/admin/.\n"+
		"-- content/data.csv --\nname,url\nTable Roadmap,/docs/admin/\n").build()
	s.assertFile("anonymous", "data.csv", "Table Roadmap")
}
