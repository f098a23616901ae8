package build

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// advSpellSite has a reports section members see, and an eng-only page in it
// that refers to files of the section in every spelling a browser follows.
// No visible page refers to the q-* files; v-* files are referred to by a
// visible page in the same advSpellings.
const advSpellSite = `
-- config/site.toml --
title = "Spell Site"
base_url = "https://example.com/docs/"
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
+++
Home.
-- content/reports/_index.md --
+++
title = "Reports"
+++
Reports.
-- content/reports/plan.md --
+++
title = "Eng Plan"
[access]
allow = ["group:eng"]
+++
@LINKS(q)
-- content/reports/open.md --
+++
title = "Open Report"
+++
@LINKS(v)
`

// advSpellings are ways to refer to file @-NAME from content/reports/P.md
// (page URL /reports/P/), with the file names they refer to.
var advSpellings = []struct{ src, file string }{
	{"[a](https://example.com/docs/reports/@-abs.csv)", "@-abs.csv"},
	{"[a](https://EXAMPLE.com:443/docs/reports/@-abs2.csv)", "@-abs2.csv"},
	{"[a](//example.com/docs/reports/@-schemeless.csv)", "@-schemeless.csv"},
	{"[a](@%2Dpct.csv)", "@-pct.csv"},
	{"[a](@\\-esc.csv)", "@-esc.csv"},
	{"[a](@&#45;ent.csv)", "@-ent.csv"},
	{"[a](/docs/reports/@-basepath.csv)", "@-basepath.csv"},
	{"[a](/reports/@-root.csv)", "@-root.csv"},
	{"[a](../@-urlrel.csv)", "@-urlrel.csv"},
	{"[a](./sub/../@-dots.csv#frag)", "@-dots.csv"},
	{"[a][@-ref]\n\n[@-ref]: @-ref.csv", "@-ref.csv"},
	{"<https://example.com/docs/reports/@-auto.csv>", "@-auto.csv"},
	{"see https://example.com/docs/reports/@-bare.csv here", "@-bare.csv"},
	{"[![i](@-inner.png)](@-outer.csv)", "@-inner.png"},
	{"[![i](@-inner2.png)](@-outer2.csv)", "@-outer2.csv"},
	{`<img srcset="@-s1.png 1x, @-s2.png 2x" alt="">`, "@-s2.png"},
	{`<picture><source srcset="@-pic.webp"><img src="@-pimg.png" alt=""></picture>`, "@-pic.webp"},
	{`<video poster="@-poster.png"><source src="@-vid.mp4"></video>`, "@-poster.png"},
	{`<video><source src="@-vid2.mp4"><track src="@-track.vtt"></video>`, "@-track.vtt"},
	{`<object data="@-obj.svg"></object>`, "@-obj.svg"},
	{`<embed src="@-embed.pdf">`, "@-embed.pdf"},
	{`<iframe src="@-frame.html"></iframe>`, "@-frame.html"},
	{`<a href=@-unq.csv>u</a>`, "@-unq.csv"},
	{`<A HREF='@-upper.csv'>u</A>`, "@-upper.csv"},
	{`<a href="@&#45;rawent.csv">u</a>`, "@-rawent.csv"},
	{`<a href="@%2Drawpct.csv">u</a>`, "@-rawpct.csv"},
	{`<a href="https://example.com/docs/reports/@-rawabs.csv">u</a>`, "@-rawabs.csv"},
	{`<svg><image href="@-svgimg.png"/><use xlink:href="@-use.svg#i"/></svg>`, "@-use.svg"},
	{`<img src="@-imgsrc.png" alt="">`, "@-imgsrc.png"},
	{`<audio src="@-audio.mp3"></audio>`, "@-audio.mp3"},
}

// advSpellSiteFor fills advSpellSite's links and files: every file name
// a spelling refers to is the decoded @-… word of its source.
func advSpellSiteFor() string {
	out := advSpellSite
	dec := strings.NewReplacer("%2D", "-", "\\-", "-", "&#45;", "-")
	word := regexp.MustCompile(`@(-|%2D|\\-|&#45;)[a-z0-9]+\.[a-z0-9]+`)
	seen := map[string]bool{}
	for _, p := range []string{"q", "v"} {
		var links []string
		for _, sp := range advSpellings {
			links = append(links, strings.ReplaceAll(sp.src, "@", p))
			for _, w := range word.FindAllString(sp.src, -1) {
				name := strings.ReplaceAll(dec.Replace(w), "@", p)
				if !seen[name] {
					seen[name] = true
					out += "-- content/reports/" + name + " --\nFILE-" + strings.ToUpper(name) + "\n"
				}
			}
		}
		out = strings.Replace(out, "@LINKS("+p+")", strings.Join(links, "\n\n"), 1)
	}
	return out
}

// A file that only a hidden page refers to stays out of the builds that
// do not hold the page, whatever the spelling of the reference; the same
// advSpellings in a visible page keep it in.
func TestAdversarialHoldSpellings(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, advSpellSiteFor()).build()
	for _, w := range s.res.Warnings {
		t.Logf("warning: %v", w)
	}
	for _, sp := range advSpellings {
		q := strings.ReplaceAll(sp.file, "@", "q")
		v := strings.ReplaceAll(sp.file, "@", "v")
		s.assertNoFile("members", "reports/"+q)
		if _, ok := s.read("members", "reports/"+v); !ok {
			t.Errorf("members: reports/%s missing", v)
		}
		if _, ok := s.read("group:eng", "reports/"+q); !ok {
			t.Errorf("group:eng: reports/%s missing", q)
		}
	}
	s.assertNoTrace("members", "q-", "Q-")
}

// advUseSite puts the uses of files in places other than a visible page's
// body: a bundle whose own page does not use its file, a visible draft, a
// hidden section's index page, pages of different groups, and files
// (a stylesheet, an SVG, an HTML page) that refer to other files.
const advUseSite = `
-- config/site.toml --
title = "Use Site"
[markdown]
unsafe = true
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
[groups.staff]
[[audiences]]
groups = ["eng", "staff"]
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/guide/index.md --
+++
title = "Guide"
+++
A guide with <link rel="stylesheet" href="look.css"> a look.
-- content/guide/u-bundle.csv --
U-BUNDLE
-- content/guide/look.css --
body { background: url("look-bg.png") } .x { background: url(/shared/look-shared.png) }
-- content/guide/look-bg.png --
LOOK-BG
-- content/shared/_index.md --
+++
title = "Shared"
+++
Shared.
-- content/shared/look-shared.png --
LOOK-SHARED
-- content/shared/u-draft.csv --
U-DRAFT
-- content/shared/u-secidx.csv --
U-SECIDX
-- content/shared/u-both.csv --
U-BOTH
-- content/shared/u-diagram.svg --
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="u-photo.png"/><use href="u-sprite.svg#i"/></svg>
-- content/shared/u-photo.png --
U-PHOTO
-- content/shared/u-sprite.svg --
<svg xmlns="http://www.w3.org/2000/svg"><symbol id="i"/></svg>
-- content/shared/u-frame.html --
<html><body><img src="u-framed.png"><a href="../shared/u-framed.csv">x</a></body></html>
-- content/shared/u-framed.png --
U-FRAMED
-- content/shared/u-framed.csv --
U-FRAMED-CSV
-- content/shared/draft.md --
+++
title = "Draft Note"
draft = true
+++
[d](u-draft.csv)
-- content/eng/_index.md --
+++
title = "Eng"
[access]
allow = ["group:eng"]
+++
[i](../shared/u-secidx.csv) and [d](../shared/u-draft.csv) and [b](../guide/u-bundle.csv)
-- content/eng/plan.md --
+++
title = "Eng Plan"
+++
![d](../shared/u-diagram.svg) [b](../shared/u-both.csv) <iframe src="../shared/u-frame.html"></iframe>
[bg](../guide/look-bg.png) [bs](../shared/look-shared.png)
-- content/staff/_index.md --
+++
title = "Staff"
[access]
allow = ["group:staff"]
+++
[b](../shared/u-both.csv)
`

// advUseWant says which builds hold each file: e (eng), s (staff), m
// (members in no group), es (the eng+staff combination).
var advUseWant = map[string]string{
	"guide/u-bundle.csv":     "e es",
	"shared/u-draft.csv":     "e es",
	"shared/u-secidx.csv":    "e es",
	"shared/u-both.csv":      "e s es",
	"shared/u-diagram.svg":   "e es",
	"shared/u-photo.png":     "e es",
	"shared/u-sprite.svg":    "e es",
	"shared/u-frame.html":    "e es",
	"shared/u-framed.png":    "e es",
	"shared/u-framed.csv":    "e es",
	"guide/look.css":         "m e s es",
	"guide/look-bg.png":      "m e s es",
	"shared/look-shared.png": "m e s es",
}

// A file is in a build exactly when a page or file that uses it is there
// (or nothing uses it and its owner is): a bundle's file used by a hidden
// page only, a file used by a draft and a hidden section page, files used
// by files that only hidden pages use, and a file a visible stylesheet
// uses. Every build agrees with the rule, and no build holds a trace of a
// file it lacks.
func TestAdversarialHoldUses(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, advUseSite).build()
	auds := map[string]string{"m": "members", "e": "group:eng", "s": "group:staff", "es": "groups:eng+staff"}
	for file, want := range advUseWant {
		in := map[string]bool{}
		for _, k := range strings.Fields(want) {
			in[k] = true
		}
		for k, aud := range auds {
			_, ok := s.read(aud, file)
			if ok != in[k] {
				t.Errorf("%s: %s present %v, want %v", aud, file, ok, in[k])
			}
			if !in[k] {
				s.assertNoTrace(aud, "/"+file)
			}
		}
	}
	for _, w := range s.res.Warnings {
		if !strings.Contains(w.Error(), "draft") {
			t.Errorf("warning: %v", w)
		}
	}
}

// A page uses a file it names anywhere in its own text, not only in a
// link: raw HTML that is not rendered (unsafe off), code, plain text, the
// frontmatter summary. A file that only a hidden page names stays out of
// builds without that page; one a visible page names in code stays in.
func TestAdversarialHoldNamedInText(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
-- content/_index.md --
Home.
-- content/reports/plan.md --
+++
summary = "see [x](q-sum.csv) and q-sum2.csv"
[access]
allow = ["group:eng"]
+++
<img src="q-raw.png"> and <a href="q&#45;raw.csv">x</a>

<div><img src="q-rawblock.png"></div>

    curl /reports/q-code.csv

Plain q\-text.csv, and v-code.csv.
-- content/reports/open.md --
+++
title = "Open"
+++
Run `+"`curl /reports/v-code.csv`"+`.
-- content/reports/q-raw.png --
x
-- content/reports/q-raw.csv --
x
-- content/reports/q-rawblock.png --
x
-- content/reports/q-sum.csv --
x
-- content/reports/q-sum2.csv --
x
-- content/reports/q-code.csv --
x
-- content/reports/q-text.csv --
x
-- content/reports/v-code.csv --
V-CODE
`).build()
	for _, f := range []string{"q-raw.png", "q-raw.csv", "q-rawblock.png", "q-sum.csv", "q-sum2.csv", "q-code.csv", "q-text.csv"} {
		s.assertNoFile("members", "reports/"+f)
		if _, ok := s.read("group:eng", "reports/"+f); !ok {
			t.Errorf("group:eng: reports/%s missing", f)
		}
	}
	s.assertFile("members", "reports/v-code.csv", "V-CODE")
	s.assertNoTrace("members", "q-")
}

// For sites where files are used by pages and files of differing
// visibility, every build agrees with the rule: a file is copied exactly
// when the build holds it, and a page's link to it is kept exactly then.
func TestAdversarialHoldAgreement(t *testing.T) {
	t.Parallel()
	for name, archive := range map[string]string{"uses": advUseSite, "spellings": advSpellSiteFor(), "hold": holdSite} {
		t.Run(name, func(t *testing.T) {
			s := newTestSite(t, archive).build()
			ls, err := Load(context.Background(), s.dir)
			if err != nil {
				t.Fatal(err)
			}
			p := ls.s.plan(nil)
			bs := newBodies(ls.s, p)
			n := len(ls.s.tree.Pages)
			held := 0
			for _, bp := range p.builds {
				for i, a := range ls.s.tree.Attachments {
					_, err := os.Stat(filepath.Join(s.out, bp.r.Dir, filepath.FromSlash(a.OutPath)))
					h := bs.holds(bp, n+i)
					if copied := err == nil; copied != h {
						t.Errorf("%s: %s copied %v, held %v", bp.r.Dir, a.File, copied, h)
					}
					if h {
						held++
					}
				}
			}
			if held == 0 {
				t.Fatal("no build holds any file")
			}
		})
	}
}
