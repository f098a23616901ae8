package render

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

func TestTags(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs"}, f.tree)
	counts := regexp.MustCompile(`<a class="fc-tag" href="([^"]+)">([^<]+)</a> <span class="fc-count">(\d+)</span>`)
	for _, tc := range []struct {
		b    *Target
		want [][]string
	}{
		{f.anon, [][]string{{"basics/", "Basics", "1"}, {"setup/", "setup", "3"}}},
		{f.eng, [][]string{{"basics/", "Basics", "1"}, {"quasartag/", "QuasarTag", "1"}, {"setup/", "setup", "3"}, {"vault-only-tag/", "vault-only-tag", "1"}}},
	} {
		out := render(t, r, tc.b, f.bodies)
		var got [][]string
		for _, m := range counts.FindAllStringSubmatch(string(out["tags/index.html"]), -1) {
			got = append(got, m[1:])
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: tags (-want +got):\n%s", tc.b.Dir, diff)
		}
		setup := string(out["tags/setup/index.html"])
		if n := strings.Count(setup, `class="fc-list-title"`); n != 3 {
			t.Errorf("%s: tags/setup lists %d pages, want 3", tc.b.Dir, n)
		}
	}
	// A build without tags has a tags page that says so, and no others;
	// its pages link to it as every build's pages do.
	tb := newTreeBuilder()
	tb.page("/a/", "A")
	out := render(t, newRenderer(t, Site{}, tb.tree()), &Target{Dir: "anonymous", Kind: "anonymous", Present: presentExcept(tb.tree())}, &fakeBodies{})
	for p := range out {
		if strings.HasPrefix(p, "tags/") && p != "tags/index.html" {
			t.Errorf("untagged site has %s", p)
		}
	}
	if !bytes.Contains(out["tags/index.html"], []byte("No tags yet")) {
		t.Errorf("untagged site's tags page does not say it has none:\n%s", out["tags/index.html"])
	}
	if !bytes.Contains(out["a/index.html"], []byte(`href="../tags/"`)) {
		t.Errorf("untagged site's page does not link to tags/")
	}
}

func TestSitemapAndFeed(t *testing.T) {
	t.Parallel()
	f := newFixture()
	out := render(t, newRenderer(t, Site{Title: "Docs"}, f.tree), f.anon, f.bodies)
	for _, p := range []string{"sitemap.xml", "index.xml"} {
		if _, ok := out[p]; ok {
			t.Errorf("%s written without a base_url", p)
		}
	}
	if find(out, "index.xml") != "" {
		t.Errorf("a page links to a feed that does not exist")
	}

	out = render(t, newRenderer(t, Site{Title: "Docs", BaseURL: "https://docs.example.com/"}, f.tree), f.anon, f.bodies)
	feed := string(out["index.xml"])
	ids := between(feed, "<id>", "</id>")
	want := []string{"https://docs.example.com/", "https://docs.example.com/zeta/", "https://docs.example.com/guide/install/"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("feed ids (-want +got):\n%s", diff)
	}
	if !strings.Contains(feed, "<updated>2024-05-02T00:00:00Z</updated>") {
		t.Errorf("feed updated is not its newest entry:\n%s", feed)
	}
	if !strings.Contains(string(out["guide/install/index.html"]), `<link rel="alternate" type="application/atom+xml" href="../../index.xml"`) {
		t.Errorf("page does not link the feed")
	}
	if n := strings.Count(string(out["sitemap.xml"]), "<loc>"); n != 8 {
		t.Errorf("sitemap has %d URLs, want the 8 present pages", n)
	}
	// A build without dated pages still has the feed its pages link to.
	undated := &Target{Dir: "x", Kind: "member", Present: presentExcept(f.tree, "/guide/install/", "/zeta/", "/secret/plan/")}
	out = render(t, newRenderer(t, Site{Title: "Docs", BaseURL: "https://docs.example.com/"}, f.tree), undated, f.bodies)
	feed = string(out["index.xml"])
	if strings.Contains(feed, "<entry>") || !strings.Contains(feed, "<updated>1970-01-01T00:00:00Z</updated>") {
		t.Errorf("feed without dated pages:\n%s", feed)
	}
	if !strings.Contains(string(out["guide/usage/index.html"]), `href="../../index.xml"`) {
		t.Errorf("page of a build without dated pages does not link the feed")
	}
}

func TestCSP(t *testing.T) {
	t.Parallel()
	f := newFixture()
	out := render(t, newRenderer(t, Site{Title: "Docs", BaseURL: "https://docs.example.com/"}, f.tree), f.eng, f.bodies)
	for _, file := range sortedPaths(out) {
		if !strings.HasSuffix(file, ".html") {
			continue
		}
		z := html.NewTokenizer(bytes.NewReader(out[file]))
		inBody := false
		for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
			tok := z.Token()
			if tok.Data == "div" && attr(tok, "class") == "fc-body" {
				inBody = true // page bodies are the fixture's, not the theme's
			}
			if inBody || (tt != html.StartTagToken && tt != html.SelfClosingTagToken) {
				continue
			}
			switch {
			case tok.Data == "style" && file != "404.html": // 404.html's style is inline too (see Test404)
				t.Errorf("%s: <style> element", file)
			case tok.Data == "script" && attr(tok, "src") == "":
				t.Errorf("%s: inline <script>", file)
			}
			for _, a := range tok.Attr {
				if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: <%s %s>", file, tok.Data, a.Key)
				}
				if (a.Key == "src" || (a.Key == "href" && tok.Data == "link" && attr(tok, "rel") != "canonical")) && strings.Contains(a.Val, "//") {
					t.Errorf("%s: external resource %s", file, a.Val)
				}
			}
		}
	}
	for _, css := range []string{"assets/facet.css", "assets/syntax.css"} {
		if bytes.Contains(out[css], []byte("@import")) || bytes.Contains(out[css], []byte("url(")) {
			t.Errorf("%s loads other resources", css)
		}
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
