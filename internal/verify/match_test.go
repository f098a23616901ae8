package verify

import (
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
// trie: the text read from i extends a prefix of some pattern while it
// can, passing over an inline mark after the first byte where no pattern
// goes on with it, and each pattern equal to the text read so far is
// reported, with the ids of equal patterns in the order given.
func prefixWalk(pats []string, ids []int32, text []byte, i int) []hit {
	prefixes := map[string]bool{}
	for _, p := range pats {
		for n := 1; n <= len(p); n++ {
			prefixes[p[:n]] = true
		}
	}
	var out []hit
	read := ""
	for j := i; j < len(text); j++ {
		if !prefixes[read+string(text[j])] {
			if j > i && inlineMark(text[j]) {
				continue
			}
			break
		}
		read += string(text[j])
		var seen []int32
		for k, p := range pats {
			if p == read && !slices.Contains(seen, ids[k]) {
				seen = append(seen, ids[k])
				out = append(out, hit{ids[k], i, j + 1})
			}
		}
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
