package render

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// searchFiles keeps the search files of out.
func searchFiles(out output) output {
	m := output{}
	for p, data := range out {
		if strings.HasPrefix(p, SearchDir) && p != SearchPagePath {
			m[p] = data
		}
	}
	return m
}

// TestSearchEditMatchesRender edits page bodies at random (words changed,
// added, removed for good), updates the search files with SearchEdit after
// each edit, and requires them to equal those a full Render writes, with
// shards small enough that edits split, merge and move them.
func TestSearchEditMatchesRender(t *testing.T) {
	t.Parallel()
	words := strings.Fields("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau")
	for _, size := range []int{60, 150, 400} {
		f := newFixture()
		r := newRenderer(t, Site{Title: "Docs", ShardSize: size}, f.tree)
		b := f.eng
		pub := searchFiles(render(t, r, b, f.bodies))
		rnd := rand.New(rand.NewPCG(uint64(size), 7))
		var pages []int
		for _, p := range f.tree.Pages {
			if _, ok := f.bodies.bodies[p.URL]; ok && f.bodies.headings[p.URL] == nil {
				pages = append(pages, p.Index)
			}
		}
		for step := range 60 {
			p := f.tree.Pages[pages[rnd.IntN(len(pages))]]
			old := string(f.bodies.Body(p, b))
			var sb strings.Builder
			for range rnd.IntN(12) {
				w := words[rnd.IntN(len(words))]
				if rnd.IntN(4) == 0 {
					w = fmt.Sprintf("novel%c", 'a'+rnd.IntN(20))
				}
				sb.WriteString(w + " ")
			}
			body := "<p>" + sb.String() + "</p>"
			f.bodies.bodies[p.URL] = body
			delete(f.bodies.bodies, p.URL+"|"+b.Dir)
			files := SearchFiles{
				Read: func(path string) ([]byte, error) {
					data, ok := pub[path]
					if !ok {
						return nil, fmt.Errorf("no %s", path)
					}
					return data, nil
				},
				Write:  func(path string, data []byte) error { pub[path] = slices.Clone(data); return nil },
				Remove: func(path string) error { delete(pub, path); return nil },
			}
			if err := r.SearchEdit(b, p.Index, []byte(old), []byte(body), files); err != nil {
				t.Fatalf("size %d, step %d: SearchEdit: %v", size, step, err)
			}
			want := searchFiles(render(t, r, b, f.bodies))
			if !maps.EqualFunc(pub, want, func(a, b []byte) bool { return string(a) == string(b) }) {
				for path := range want {
					if string(pub[path]) != string(want[path]) {
						t.Errorf("%s: got\n%s\nwant\n%s", path, pub[path], want[path])
					}
				}
				for path := range pub {
					if _, ok := want[path]; !ok {
						t.Errorf("%s left over", path)
					}
				}
				t.Fatalf("size %d, step %d (%s): search files differ from a full render", size, step, p.URL)
			}
		}
	}
}
