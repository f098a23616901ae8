package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// searchFragment is a fragment script's value.
type searchFragment struct {
	Title    string      `json:"t"`
	URL      string      `json:"u"`
	Headings [][2]string `json:"h"`
	Text     []string    `json:"x"`
}

// searchMeta is index.js's value.
type searchMeta struct {
	N      int      `json:"n"`
	Starts []string `json:"s"`
	Names  []string `json:"w"`
}

// decodeSearch reads the value of a search script into v.
func decodeSearch(t *testing.T, name string, js []byte, v any) {
	t.Helper()
	const pre, post = "facetSearch(", ");\n"
	if !bytes.HasPrefix(js, []byte(pre)) || !bytes.HasSuffix(js, []byte(post)) {
		t.Fatalf("%s is not a facetSearch call: %.60q", name, js)
	}
	if err := json.Unmarshal(js[len(pre):len(js)-len(post)], v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// posting is a decoded posting.
type posting struct{ page, info int }

// decodePostings reads a term's postings as assets/facet.js does.
func decodePostings(t *testing.T, s string) []posting {
	t.Helper()
	var out []posting
	n, id, first := 0, -1, true
	for _, c := range []byte(s) {
		if d := strings.IndexByte(moreDigits, c); d >= 0 {
			n = n*13 + d
			continue
		}
		d := strings.IndexByte(finalDigits, c)
		if d < 0 {
			t.Fatalf("postings %q hold %q", s, c)
		}
		n = n*13 + d
		if first {
			id += n + 1
		} else {
			out = append(out, posting{id, n})
		}
		first, n = !first, 0
	}
	if !first || n != 0 {
		t.Fatalf("postings %q end inside a posting", s)
	}
	return out
}

// searchIndex is a build's whole index, read back.
type searchIndex struct {
	meta  searchMeta
	terms map[string][]posting
	frags map[int]searchFragment
}

func readSearch(t *testing.T, out output) *searchIndex {
	t.Helper()
	ix := &searchIndex{terms: map[string][]posting{}, frags: map[int]searchFragment{}}
	decodeSearch(t, SearchIndexPath, out[SearchIndexPath], &ix.meta)
	for k, first := range ix.meta.Starts {
		if len(ix.meta.Names) != len(ix.meta.Starts) {
			t.Fatalf("index.js names %d shards, starts %d", len(ix.meta.Names), len(ix.meta.Starts))
		}
		name := shardPath(ix.meta.Names[k])
		var shard map[string]string
		decodeSearch(t, name, out[name], &shard)
		var keys []string
		for term, post := range shard {
			keys = append(keys, term)
			ix.terms[term] = decodePostings(t, post)
		}
		slices.SortFunc(keys, compareUTF16)
		if len(keys) == 0 || keys[0] != first {
			t.Errorf("%s starts at %q, index.js says %q", name, keys[0], first)
		}
		if k+1 < len(ix.meta.Starts) && compareUTF16(keys[len(keys)-1], ix.meta.Starts[k+1]) >= 0 {
			t.Errorf("%s runs past the next shard's start", name)
		}
	}
	for name, data := range out {
		var id int
		if _, err := fmt.Sscanf(name, SearchDir+"f/%d.js", &id); err != nil {
			continue
		}
		var f searchFragment
		decodeSearch(t, name, data, &f)
		ix.frags[id] = f
	}
	return ix
}

// TestSearchIndex reads a build's index back: every word of every page is
// there, with the page, where in it, and whether in its title or a
// heading; fragments give the page's text by heading.
func TestSearchIndex(t *testing.T) {
	t.Parallel()
	f := newFixture()
	out := render(t, newRenderer(t, Site{Title: "Docs"}, f.tree), f.anon, f.bodies)
	ix := readSearch(t, out)
	nav := navOf(t, out)
	if ix.meta.N != len(nav.Pages) || len(ix.frags) != len(nav.Pages) {
		t.Fatalf("index of %d pages, %d fragments, nav.js lists %d", ix.meta.N, len(ix.frags), len(nav.Pages))
	}
	install := slices.IndexFunc(nav.Pages, func(e navEntry) bool { return e.URL == "/guide/install/" })
	want := searchFragment{Title: "Install", URL: "guide/install/", Headings: [][2]string{{"get", "Get it"}, {"run", "Run it"}},
		Text: []string{"", "Get it Download & unpack the archive.", "Run it Then run it."}}
	if diff := cmp.Diff(want, ix.frags[install]); diff != "" {
		t.Errorf("install fragment (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		term string
		info int
	}{
		{"archive", 1 << infoShift},                    // under "Get it", once
		{"run", 2<<infoShift | inHeading | 1},          // the heading "Run it", and twice in all
		{"install", inTitle},                           // the title only
		{"unpack", 1 << infoShift},                     // "&amp;" decoded, words apart
		{"it", 1<<infoShift | inHeading | tfBucket(3)}, // first in the heading "Get it"
		{"download", 1 << infoShift},                   // after the aria-hidden anchor
	} {
		i := slices.IndexFunc(ix.terms[tc.term], func(p posting) bool { return p.page == install })
		if i < 0 {
			t.Errorf("%q: install is not among its pages %v", tc.term, ix.terms[tc.term])
			continue
		}
		if got := ix.terms[tc.term][i].info; got != tc.info {
			t.Errorf("%q in install: info %#x, want %#x", tc.term, got, tc.info)
		}
	}
	// Every page's every word is there.
	for id, fr := range ix.frags {
		for _, seg := range append(fr.Text, fr.Title) {
			SearchWords(seg, func(term string, _ bool) {
				if !slices.ContainsFunc(ix.terms[term], func(p posting) bool { return p.page == id }) {
					t.Errorf("%q of %s is not indexed for it", term, fr.URL)
				}
			})
		}
	}
	if _, ok := out["search-index.js"]; ok {
		t.Errorf("the old single index is still written")
	}
}

// TestSearchHidden: the words of pages a build lacks are in none of its
// search files; the build that holds them finds them.
func TestSearchHidden(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs"}, f.tree)
	anon, eng := readSearch(t, render(t, r, f.anon, f.bodies)), readSearch(t, render(t, r, f.eng, f.bodies))
	for _, term := range []string{"vault", "quasar", "zephyr", "obsidian", "2031"} {
		if _, ok := anon.terms[term]; ok {
			t.Errorf("anonymous search index holds %q", term)
		}
		if _, ok := eng.terms[term]; !ok && term != "obsidian" && term != "2031" { // summary and date are not text
			t.Errorf("eng search index lacks %q", term)
		}
	}
}

func TestSearchWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Hello, World!", []string{"hello", "world"}},
		{"Café crème brûlée", []string{"cafe", "creme", "brulee"}},
		{"ﬁle ＡＢＣ", []string{"file", "abc"}},
		{"read_file(x) os.ReadFile", []string{"read", "file", "x", "os", "readfile", "read|", "file|"}},
		{"parseHTTPHeader v2", []string{"parsehttpheader", "parse|", "http|", "header|", "v2"}},
		{"ΟΔΟΣ", []string{"οδοσ"}},
		{"東京タワー", []string{"東", "京", "タ", "ワ", "ー"}},
		{"İstanbul", []string{"istanbul"}},
		{strings.Repeat("x", 65) + " y", []string{"y"}},
	} {
		var got []string
		SearchWords(tc.in, func(term string, part bool) {
			if part {
				term += "|"
			}
			got = append(got, term)
		})
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestCompareUTF16(t *testing.T) {
	t.Parallel()
	// JavaScript: "\uffff" > "\u{10000}", since the latter is "\ud800\udc00".
	words := []string{"b", "a", "\U00010000", "\uffff", "ab", ""}
	slices.SortFunc(words, compareUTF16)
	if diff := cmp.Diff([]string{"", "a", "ab", "b", "\U00010000", "\uffff"}, words); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestAppendNum(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 12, 13, 168, 169, 2196, 2197, 1 << 30} {
		s := string(appendNum(appendNum(nil, n), 0))
		if got := decodePostings(t, s); len(got) != 1 || got[0].page != n {
			t.Errorf("%d encodes as %q, read back as %v", n, s, got)
		}
	}
}
