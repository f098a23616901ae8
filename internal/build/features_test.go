package build

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// featureSite is a public site with a members-only page ("Zanzibar Ledger")
// that uses every body feature the theme adds, and a public page whose
// callouts, tabs and diagram link to it.
const featureSite = `
-- config/site.toml --
title = "Feature Site"
[layout]
repo_url = "https://git.example.com/org/docs"
announcement = "Read the new guide."
[[layout.footer_links]]
title = "Source code"
url = "https://git.example.com/org/docs"
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
-- content/secret.md --
+++
title = "Zanzibar Ledger"
[access]
allow = ["members"]
+++
> [!WARNING]
> Okapi warning words.

=== "Narwhal tab"

    Narwhal tab words.

` + "```mermaid\ngraph TD\n  A[Quokka node] --> B\n```\n" + `
$\wombatfrac{1}{2}$
-- content/pub.md --
+++
title = "Public Guide"
+++
# Public Guide

> [!NOTE]
> [the members' page](secret.md)

> [!TIP]
> Kept words, and [the members' page](secret.md).

=== "Visible tab"

    Visible tab words.

=== "Pangolin tab"

    [the members' page](secret.md)

` + "```mermaid\ngraph TD\n  A[Start] --> B[Members]\n  click B \"secret.md\"\n  click A href \"pub.md\"\n```\n"

// TestNoTraceFeatures: a hidden page's callout, tab title, diagram, math
// and edit link are in no build without the page, and links to it inside
// a callout, a tab and a diagram's click line are redacted like any link:
// a callout or tab holding only such a link drops with its title, a click
// line drops. Builds that hold the page show all of it.
func TestNoTraceFeatures(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, featureSite).build()
	s.assertNoTrace("anonymous", "Zanzibar", "secret/", "Okapi", "Narwhal", "Quokka", "wombatfrac",
		"content/secret.md", "Pangolin", `click B`)
	s.assertFile("anonymous", "pub/index.html",
		`<div class="fc-callout fc-callout-tip" role="note">`, "Kept words, and the members' page.",
		"! fc-callout-note", "Visible tab", `click A href &quot;./&quot;`,
		`<a class="fc-edit" href="https://git.example.com/org/docs/edit/main/content/pub.md">`,
		`<p class="fc-announce" role="note">Read the new guide.</p>`,
		`<li><a href="https://git.example.com/org/docs">Source code</a></li>`)
	s.assertFile("members", "pub/index.html", "fc-callout-note", "Pangolin tab", `click B &quot;../secret/&quot;`)
	s.assertFile("members", "secret/index.html", "Okapi warning words.", `<p class="fc-tab-title">Narwhal tab</p>`,
		`<pre class="fc-mermaid">`, `<span class="fc-math">\wombatfrac{1}{2}</span>`,
		"edit/main/content/secret.md")
}

// TestGitDates: with the site in git, each page shows the day of its
// file's last commit (UTC), the same in every build that holds it, and no
// name or address of whoever committed; a page hidden from a build gives
// it nothing. Outside git there are no dates.
func TestGitDates(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	s := newTestSite(t, featureSite)
	s.build()
	s.assertFile("anonymous", "pub/index.html", "! Last updated")

	git := func(date string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = s.dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null",
			"GIT_AUTHOR_NAME=Committer Name", "GIT_AUTHOR_EMAIL=committer@example.org",
			"GIT_COMMITTER_NAME=Committer Name", "GIT_COMMITTER_EMAIL=committer@example.org",
			"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	git("", "init", "-q")
	git("2025-03-01T23:30:00-05:00", "add", "-A")
	git("2025-03-01T23:30:00-05:00", "commit", "-q", "-m", "first")
	s.editFile("content/pub.md", strings.Replace(s.readSource("content/pub.md"), "Kept words", "Kept words again", 1))
	git("2025-04-10T08:00:00+02:00", "commit", "-q", "-am", "second")
	s.editFile("content/secret.md", s.readSource("content/secret.md")+"\nMore.\n")
	git("2025-05-20T12:00:00Z", "commit", "-q", "-am", "third")
	s.build()
	s.assertFile("anonymous", "index.html", `Last updated <time datetime="2025-03-02">2 Mar 2025</time>`)
	s.assertFile("anonymous", "pub/index.html", `Last updated <time datetime="2025-04-10">10 Apr 2025</time>`)
	s.assertFile("members", "pub/index.html", `Last updated <time datetime="2025-04-10">10 Apr 2025</time>`)
	s.assertFile("members", "secret/index.html", `Last updated <time datetime="2025-05-20">20 May 2025</time>`)
	for _, aud := range []string{"anonymous", "members"} {
		s.assertNoTrace(aud, "Committer Name", "committer@example.org")
	}
	s.assertNoTrace("anonymous", "2025-05-20", "20 May 2025")
}

// readSource returns a file of the site folder.
func (s *testSite) readSource(name string) string {
	s.t.Helper()
	b, err := os.ReadFile(s.dir + "/" + name)
	if err != nil {
		s.t.Fatal(err)
	}
	return string(b)
}

// TestGateVendorWords: the words of the vendored libraries are not text
// every build carries. A hidden page titled "Gantt" (a word mermaid's code
// holds) named by the announcement every build shows is a trace; the
// libraries themselves are in every build, unscanned.
func TestGateVendorWords(t *testing.T) {
	t.Parallel()
	site := strings.Replace(featureSite, `announcement = "Read the new guide."`, `announcement = "See the Gantt."`, 1)
	site = strings.Replace(site, `title = "Zanzibar Ledger"`, `title = "Gantt"`, 1)
	err := newTestSite(t, site).tryBuild()
	if err == nil || !strings.Contains(err.Error(), "Gantt") {
		t.Fatalf("want the announcement's Gantt as a trace, got %v", err)
	}
	s := newTestSite(t, featureSite).build()
	s.assertFile("anonymous", "assets/vendor/mermaid/mermaid.min.js", "Gantt")
	s.assertFile("anonymous", "assets/vendor/katex/katex.min.js", "katex")
}

// diagramLinkSite links to a members' page from a public page's diagrams
// in every way mermaid makes a link other than a click line of its own:
// a click after another statement on its line, a class diagram's link, a
// sequence diagram's actor links and a C4 element's $link.
const diagramLinkSite = `
-- config/site.toml --
title = "T"
base_url = "https://example.com/"
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
-- content/secret.md --
+++
title = "Zanzibar Ledger"
[access]
allow = ["members"]
+++
Secret.
-- content/pub.md --
+++
title = "Public Guide"
+++
` + "```mermaid\nflowchart LR\n  A-->B; click B \"secret.md\"\n  C-->D\n```\n\n" +
	"```mermaid\nclassDiagram\n  class Shape\n  link Shape \"/secret/\" \"tooltip\"\n```\n\n" +
	"```mermaid\nsequenceDiagram\n  participant Alice\n  link Alice: Ledger @ https://example.com/secret/\n" +
	"  links Alice: {\"Ledger\": \"/secret/\"}\n```\n\n" +
	"```mermaid\nC4Context\n  Person(a, \"Alice\", $link=\"/secret/\")\n```\n"

// TestNoTraceDiagramLinks: every link a diagram makes to a hidden page is
// redacted like a click line of its own (the line drops), not left as
// code: mermaid draws each of them as a link.
func TestNoTraceDiagramLinks(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, diagramLinkSite).build()
	s.assertNoTrace("anonymous", "secret/", "secret.md")
	s.assertFile("anonymous", "pub/index.html", "C--&gt;D", "class Shape", "participant Alice")
	s.assertFile("members", "pub/index.html", `A--&gt;B; click B &quot;../secret/&quot;`,
		`link Shape &quot;/secret/&quot;`, `links Alice:`, `$link=&quot;/secret/&quot;`)
}

// diagramEntitySite links to a members' page from a public page's diagram
// through mermaid's entity codes (`#47;` is "/", `#sol;` too) and HTML
// character references in an HTML label: mermaid decodes both, and at its
// strict security level keeps an <a href> of a label, so each is a live
// link to /secret/.
const diagramEntitySite = `
-- config/site.toml --
title = "T"
base_url = "https://example.com/"
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
-- content/secret.md --
+++
title = "Zanzibar Ledger"
[access]
allow = ["members"]
+++
Secret.
-- content/pub.md --
+++
title = "Public Guide"
+++
` + "```mermaid\nflowchart LR\n  A[\"<a href=#47;secret#47;>open</a>\"] --> B\n  click B \"#sol;secret#sol;\"\n" +
	"  C[\"<a href='&#47;secret&#47;'>x</a>\"]\n  D-->E\n```\n"

// TestNoTraceDiagramEntityLinks: a diagram line whose link to a hidden page
// is spelled with mermaid's entity codes or character references drops
// like one spelled plainly.
func TestNoTraceDiagramEntityLinks(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, diagramEntitySite).build()
	s.assertFile("anonymous", "pub/index.html", "D--&gt;E", "! #47;secret", "! #sol;secret", "! &amp;#47;secret")
	s.assertFile("members", "pub/index.html", "#47;secret#47;", "#sol;secret#sol;", "&amp;#47;secret")
}

// diagramBareLinkSite links to a members' page from its public section's
// diagrams by the page's bare name, a relative URL without a slash or a
// dot: mermaid draws a class diagram's link, a sequence diagram's actor
// links and a label's <a href> as links to "zanzibar", which the browser
// resolves to /area/zanzibar.
const diagramBareLinkSite = `
-- config/site.toml --
title = "T"
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
-- content/area/_index.md --
+++
title = "Area"
+++
` + "```mermaid\nclassDiagram\n  class Shape\n  link Shape \"zanzibar\" \"tooltip\"\n```\n\n" +
	"```mermaid\nsequenceDiagram\n  participant Alice\n  link Alice: Ledger @zanzibar\n" +
	"  links Alice: {\"Ledger\": \"zanzibar\"}\n  Alice->>Alice: hello\n```\n\n" +
	"```mermaid\nflowchart LR\n  A[\"<a href=zanzibar>open</a>\"]\n  C-->D\n```\n" + `
-- content/area/zanzibar.md --
+++
title = "Zanzibar Ledger"
[access]
allow = ["members"]
+++
Secret.
`

// TestNoTraceDiagramBareLinks: a diagram's link to a hidden page by a
// relative URL that holds no slash or dot (the page's bare name, from its
// section) drops its line as any other spelling does.
func TestNoTraceDiagramBareLinks(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, diagramBareLinkSite).build()
	s.assertNoTrace("anonymous", "zanzibar")
	s.assertFile("anonymous", "area/index.html", "class Shape", "participant Alice", "Alice-&gt;&gt;Alice: hello", "C--&gt;D")
	s.assertFile("members", "area/index.html", `link Shape &quot;zanzibar&quot;`, `link Alice: Ledger @zanzibar`,
		`links Alice: {&quot;Ledger&quot;: &quot;zanzibar&quot;}`, `href=zanzibar`)
}

// diagramTicketSite links to a members' page from a public page's kanban
// diagram through its ticketBaseUrl: mermaid puts each card's ticket in
// place of #TICKET# and draws the card's link to /area/zanzibar/, a URL
// that no word of the diagram spells.
const diagramTicketSite = `
-- config/site.toml --
title = "T"
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
-- content/area/_index.md --
+++
title = "Area"
+++
Area.
-- content/area/zanzibar.md --
+++
title = "Zanzibar Ledger"
[access]
allow = ["members"]
+++
Secret.
-- content/board.md --
+++
title = "Board"
+++
` + "```mermaid\n---\nconfig:\n  kanban:\n    ticketBaseUrl: '/area/#TICKET#/'\n---\nkanban\n  todo[Todo]\n" +
	"    id1[Write docs]@{ ticket: zanzibar }\n    id2[Review]@{ticket:zanzibar}\n    id3[Ship it]@{ ticket: 'area' }\n```\n"

// TestNoTraceDiagramTicketLinks: a card whose ticket makes, through the
// diagram's ticketBaseUrl, the URL of a hidden page drops its line.
func TestNoTraceDiagramTicketLinks(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, diagramTicketSite).build()
	s.assertNoTrace("anonymous", "zanzibar")
	s.assertFile("anonymous", "board/index.html", "todo[Todo]", "id3[Ship it]")
	s.assertFile("members", "board/index.html", "id1[Write docs]@{ ticket: zanzibar }", "id2[Review]@{ticket:zanzibar}")
}
