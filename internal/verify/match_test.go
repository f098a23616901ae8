package verify

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// hit is one match as each reports it.
type hit struct {
	id       int32
	at, next int
}

// walkEverywhere is each without the bitmaps: the trie walked from every
// position where a match may start (a copy of m whose every first byte
// may begin a pattern).
func walkEverywhere(m *matcher, text []byte) []hit {
	all := *m
	for c := range all.first {
		all.first[c] = true
	}
	var out []hit
	all.each(text, func(id int32, at, end int) bool {
		out = append(out, hit{id, at, end})
		return true
	})
	return out
}

// TestMatcherFindsWhatTheTrieHolds holds that the bitmaps each tests a
// position with never drop a match the trie walk would find there: for
// random patterns (one to twelve bytes, some with inline marks of their
// own, many sharing first bytes) and texts made of them with inline marks
// and spaces put in, each finds exactly what walking from every position
// finds.
func TestMatcherFindsWhatTheTrieHolds(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abcd /_*`~-"
	word := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			if r.IntN(6) == 0 {
				b[i] = alphabet[r.IntN(len(alphabet))]
			} else {
				b[i] = "abcd"[r.IntN(4)]
			}
		}
		return b
	}
	matches := 0
	for round := 0; round < 300; round++ {
		var pats []string
		var ids []int32
		for k := 0; k < 1+r.IntN(40); k++ {
			p := word(1 + r.IntN(12))
			if k > 0 && r.IntN(3) == 0 { // share a start with an earlier one
				q := pats[r.IntN(len(pats))]
				p = append([]byte(q[:r.IntN(len(q)+1)]), p...)
			}
			pats = append(pats, string(p))
			ids = append(ids, int32(k))
		}
		m := newMatcher(pats, ids)
		for n := 0; n < 20; n++ {
			var text []byte
			for len(text) < 200 {
				switch r.IntN(4) {
				case 0:
					text = append(text, word(1+r.IntN(6))...)
				default:
					p := []byte(pats[r.IntN(len(pats))])
					for _, c := range p {
						text = append(text, c)
						if r.IntN(8) == 0 {
							text = append(text, "*_`~"[r.IntN(4)])
						}
					}
				}
				if r.IntN(2) == 0 {
					text = append(text, ' ')
				}
			}
			want := walkEverywhere(m, text)
			var got []hit
			m.each(text, func(id int32, at, end int) bool {
				got = append(got, hit{id, at, end})
				return true
			})
			if !slices.Equal(got, want) {
				t.Fatalf("patterns %q\ntext %q\neach found %v\nthe trie holds %v", pats, text, got, want)
			}
			matches += len(want)
		}
	}
	if matches < 1000 {
		t.Fatalf("only %d matches in all texts: the test no longer exercises the matcher", matches)
	}
}

// prefixWalk is what the trie walk finds from text[i], found without a
// trie: the texts read from i, each extended while it is a prefix of some
// pattern, and, at an inline mark after the first byte, also kept as it
// was (the mark passed over); each pattern equal to a text just extended
// is reported, with the ids of equal patterns in the order given.
func prefixWalk(pats []string, ids []int32, text []byte, i int) []hit {
	prefixes := map[string]bool{}
	for _, p := range pats {
		for n := 1; n <= len(p); n++ {
			prefixes[p[:n]] = true
		}
	}
	var out []hit
	report := func(read string, end int) {
		var seen []int32
		for k, p := range pats {
			if p == read && !slices.Contains(seen, ids[k]) {
				seen = append(seen, ids[k])
				out = append(out, hit{ids[k], i, end})
			}
		}
	}
	if !prefixes[string(text[i])] {
		return nil
	}
	reads := []string{string(text[i])}
	report(reads[0], i+1)
	for j := i + 1; j < len(text) && len(reads) > 0; j++ {
		var next []string
		for _, read := range reads {
			if ext := read + string(text[j]); prefixes[ext] && !slices.Contains(next, ext) {
				next = append(next, ext)
				report(ext, j+1)
			}
			if inlineMark(text[j]) && !slices.Contains(next, read) {
				next = append(next, read)
			}
		}
		reads = next
	}
	return out
}

// TestMatcherTrieHoldsThePatterns holds the trie to its patterns: from
// every position of random texts, the walk finds what prefixWalk finds,
// for random patterns given in any order, with repeats, shared prefixes
// and ids shared by several patterns.
func TestMatcherTrieHoldsThePatterns(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "abc *_"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	matches := 0
	for round := 0; round < 400; round++ {
		var pats []string
		var ids []int32
		for k := 0; k < 1+r.IntN(30); k++ {
			p := word(r.IntN(7))
			if k > 0 && r.IntN(3) == 0 {
				q := pats[r.IntN(len(pats))]
				p = q[:r.IntN(len(q)+1)] + p
			}
			pats = append(pats, p)
			ids = append(ids, int32(r.IntN(20)))
		}
		m := newMatcher(pats, ids)
		text := []byte(word(60) + strings.Join(pats, "_"))
		for i := range text {
			var got []hit
			m.walk(text, i, func(id int32, at, end int) bool {
				got = append(got, hit{id, at, end})
				return true
			})
			want := prefixWalk(pats, ids, text, i)
			if !slices.Equal(got, want) {
				t.Fatalf("patterns %q ids %v\ntext %q from %d\nthe trie finds %v\nthe patterns give %v", pats, ids, text, i, got, want)
			}
			matches += len(want)
		}
	}
	if matches < 1000 {
		t.Fatalf("only %d matches: the test no longer exercises the trie", matches)
	}
}

// BenchmarkNewIndex indexes 12,000 pages and 3,000 attachments, as a
// build or a rebuild after a title edit does once.
func BenchmarkNewIndex(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	words := []string{"release", "notes", "install", "guide", "api", "client", "server", "policy",
		"roadmap", "billing", "search", "index", "design", "review", "team", "onboarding"}
	var items []Item
	for i := range 12000 {
		var title []string
		for range 2 + r.IntN(4) {
			title = append(title, words[r.IntN(len(words))])
		}
		t := strings.Join(title, " ")
		items = append(items, Item{URL: "/" + strings.ReplaceAll(t, " ", "-") + "-" + strconv.Itoa(i) + "/", Title: t, File: "content/p" + strconv.Itoa(i) + ".md"})
	}
	for i := range 3000 {
		items = append(items, Item{URL: "/files/attachment-" + strconv.Itoa(i) + ".pdf", File: "content/files/attachment-" + strconv.Itoa(i) + ".pdf"})
	}
	b.ReportAllocs()
	for b.Loop() {
		NewIndex(items, nil)
	}
}

// TestTitleFoundWhateverOtherTitles: a mark in the text is passed over
// even where another title holds that mark, so what the scanner finds of
// one title never depends on the others. Before, a trie edge for "_" (of
// "Config_Loader") was followed and the walk stopped at the space, and a
// hidden "Config Files" went unseen in "_Config_ Files".
func TestTitleFoundWhateverOtherTitles(t *testing.T) {
	data := []byte("<p>_Config_ Files</p>")
	alone := NewIndex([]Item{{URL: "/y/", Title: "Config Files"}}, nil)
	if !hasTitle(alone, "a.html", data) {
		t.Fatal("the title alone is not found")
	}
	both := NewIndex([]Item{{URL: "/x/", Title: "Config_Loader"}, {URL: "/y/", Title: "Config Files"}}, nil)
	if !slices.ContainsFunc(both.Refs("a.html", data), func(r Ref) bool { return r.Kind == Title && r.ID == 1 }) {
		t.Fatal("next to Config_Loader, the title is not found")
	}
	if titles, _ := both.Mentions(data); !slices.Contains(titles, 1) {
		t.Fatal("next to Config_Loader, a body's mention of the title is not found")
	}
	// and the other way: the title with the mark is found through it
	if !slices.ContainsFunc(both.Refs("a.html", []byte("<p>the Config_Loader here</p>")), func(r Ref) bool { return r.Kind == Title && r.ID == 0 }) {
		t.Fatal("a title holding a mark is not found by it")
	}

	// at random: titles and texts made of a few words and marks; every
	// title an index of all of them finds is what an index of it alone
	// finds
	r := rand.New(rand.NewPCG(43, 47))
	words := []string{"config", "files", "loader", "ops", "plan", "x"}
	marks := []string{" ", "_", "*", "__", "~", "`", " _", "_ "}
	phrase := func(n int) string {
		var sb strings.Builder
		for k := 0; k < n; k++ {
			if k > 0 || r.IntN(3) == 0 {
				sb.WriteString(marks[r.IntN(len(marks))])
			}
			sb.WriteString(words[r.IntN(len(words))])
		}
		if r.IntN(3) == 0 {
			sb.WriteString(marks[r.IntN(len(marks))])
		}
		return sb.String()
	}
	for i := 0; i < 3000; i++ {
		var items []Item
		for k := 0; k < 1+r.IntN(4); k++ {
			items = append(items, Item{URL: fmt.Sprintf("/p%d/", k), Title: phrase(2 + r.IntN(2))})
		}
		data := []byte("<p>" + phrase(3+r.IntN(5)) + "</p>")
		all := NewIndex(items, nil)
		got := all.Refs("a.html", data)
		for k, it := range items {
			one := NewIndex([]Item{it}, nil)
			want := hasTitle(one, "a.html", data)
			if has := slices.ContainsFunc(got, func(r Ref) bool { return r.Kind == Title && r.ID == k }); has != want {
				t.Fatalf("%q in %q: found next to %v: %v, alone: %v", it.Title, data, items, has, want)
			}
		}
	}
}

// BenchmarkScanText runs the scanner's text search (decoding, folding and
// the trie walk) over prose that holds words of 10,000 titles, some with
// marks, with no chunk cache: the cost of a scan of new text.
func BenchmarkScanText(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 8))
	words := []string{"config", "files", "loader", "ops", "plan", "release", "gateway", "schema", "build", "node"}
	var items []Item
	for k := 0; k < 10000; k++ {
		sep := []string{" ", " ", "_", " *"}[r.IntN(4)]
		items = append(items, Item{URL: fmt.Sprintf("/p%d/", k), Title: words[r.IntN(len(words))] + sep + words[r.IntN(len(words))] + " " + strconv.Itoa(k)})
	}
	ix := NewIndex(items, nil)
	var sb strings.Builder
	for sb.Len() < 64<<10 {
		sb.WriteString(words[r.IntN(len(words))])
		sb.WriteString([]string{" ", " ", "_", "*", ", "}[r.IntN(5)])
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		c := newCollector(ix)
		c.text(data, false)
		c.release()
	}
}
