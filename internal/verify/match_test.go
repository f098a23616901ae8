package verify

import (
	"math/rand/v2"
	"slices"
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
