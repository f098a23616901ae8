package render

import (
	"bytes"
	"context"
	"maps"
	"strings"
	"sync"
	"testing"
)

// mapStore is a SearchStore in memory that counts its hits.
type mapStore struct {
	mu   sync.Mutex
	m    map[string][]byte
	hits int
}

func (s *mapStore) k(key [][]byte) string {
	var b strings.Builder
	for _, p := range key {
		b.WriteString(strings.Repeat("x", len(p)%7)) // part boundaries
		b.Write(p)
		b.WriteByte(0)
	}
	return b.String()
}

func (s *mapStore) Get(key [][]byte) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[s.k(key)]
	if ok {
		s.hits++
	}
	return v, ok
}

func (s *mapStore) Put(key [][]byte, v []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[s.k(key)] = bytes.Clone(v)
}

// madeOnly is a Reuser that writes every file it is given and never
// writes one again: each build makes its own.
type madeOnly struct {
	mu  sync.Mutex
	out output
}

func (m *madeOnly) Made(path string, data []byte, _ Tag) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.out[path] = bytes.Clone(data)
	return nil
}

func (m *madeOnly) Again(string, Tag) (bool, error) { return false, nil }

// renderStored renders the fixture's builds through RenderReusing with a
// new Renderer and store st (nil: none).
func renderStored(t *testing.T, f *fixture, st SearchStore) map[string]output {
	t.Helper()
	r := newRenderer(t, Site{Title: "Docs"}, f.tree)
	if st != nil {
		r.SetSearchStore(st)
	}
	outs := map[string]output{}
	for _, b := range []*Target{f.anon, f.eng} {
		m := &madeOnly{out: output{}}
		err := r.RenderReusing(context.Background(), b, f.bodies, func(p string, data []byte) error {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.out[p] = bytes.Clone(data)
			return nil
		}, m)
		if err != nil {
			t.Fatal(err)
		}
		outs[b.Dir] = m.out
	}
	return outs
}

// What search takes from each body version comes from the store when it
// holds it, and the builds are the same bytes as without a store: filled
// cold, read warm, and with a store whose values are damaged.
func TestSearchStoreSameOutput(t *testing.T) {
	t.Parallel()
	f := newFixture()
	want := renderStored(t, f, nil)
	st := &mapStore{m: map[string][]byte{}}
	same := func(what string, got map[string]output) {
		t.Helper()
		for dir, w := range want {
			if !maps.EqualFunc(got[dir], w, bytes.Equal) {
				t.Errorf("%s: build %s differs from a build without a store", what, dir)
			}
		}
	}
	same("cold", renderStored(t, f, st))
	if len(st.m) == 0 {
		t.Fatalf("cold: nothing stored")
	}
	st.hits = 0
	same("warm", renderStored(t, f, st))
	if st.hits < len(st.m) {
		t.Fatalf("warm: %d hits for %d entries", st.hits, len(st.m))
	}
	for k, v := range st.m {
		st.m[k] = v[:len(v)/2]
	}
	same("damaged", renderStored(t, f, st))
}

func TestEncodeSearch(t *testing.T) {
	t.Parallel()
	frag := []byte(`facetSearch({"t":"A"});`)
	terms, infos := []string{"alpha", "beta", "zeta"}, []uint32{1, 0xffffffff, 7}
	b := encodeSearch(frag, terms, infos)
	gf, gt, gi, ok := decodeStored(b)
	if !ok || !bytes.Equal(gf, frag) || strings.Join(gt, ",") != "alpha,beta,zeta" || gi[1] != 0xffffffff || gi[2] != 7 {
		t.Fatalf("round trip: %q %q %v %v", gf, gt, gi, ok)
	}
	for name, bad := range map[string][]byte{
		"truncated":  b[:len(b)-1],
		"trailing":   append(bytes.Clone(b), 0),
		"unsorted":   encodeSearch(frag, []string{"beta", "alpha"}, []uint32{1, 2}),
		"duplicate":  encodeSearch(frag, []string{"alpha", "alpha"}, []uint32{1, 2}),
		"empty":      nil,
		"empty term": encodeSearch(frag, []string{""}, []uint32{1}),
	} {
		if _, _, _, ok := decodeStored(bad); ok {
			t.Errorf("%s: decoded", name)
		}
	}
}
