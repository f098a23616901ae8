package verify

import (
	"math/rand/v2"
	"path"
	"strings"
	"testing"
)

// oldResolve is resolveRel as it was written with strings: the reference
// the in-place version must agree with.
func (ix *Index) oldResolve(dir, ref string) (int, bool) {
	raw, _ := splitSuffix(strings.ReplaceAll(ref, `\`, "/"))
	if raw == "" {
		return ix.lookup(dir)
	}
	return ix.lookup(dir + raw)
}

// randPath joins random segments, dots, slashes and escapes.
func randPath(r *rand.Rand, n int) string {
	parts := []string{"a", "b", "c d", ".", "..", "/", "//", `\`, "%2e", "%2F", "%41", "index.html", "?q", "#f", "x.pdf", "%", "./", "../"}
	var sb strings.Builder
	for range r.IntN(n) {
		sb.WriteString(parts[r.IntN(len(parts))])
		if r.IntN(2) == 0 {
			sb.WriteByte('/')
		}
	}
	return sb.String()
}

func TestResolveRelSameAsStrings(t *testing.T) {
	items := []Item{{URL: "/a/"}, {URL: "/a/b/"}, {URL: "/b/"}, {URL: "/a/x.pdf"}, {URL: "/c d/"}, {URL: "/A/"}, {URL: "/index.html"}, {URL: "/a/b/c d/"}}
	ix := NewIndex(items, nil)
	r := rand.New(rand.NewPCG(1, 2))
	found := 0
	for range 200000 {
		dir := "/" + randPath(r, 4)
		if !strings.HasSuffix(dir, "/") {
			dir += "/"
		}
		ref := randPath(r, 6)
		id, ok := ix.resolveRel(dir, ref)
		wid, wok := ix.oldResolve(dir, ref)
		if id != wid || ok != wok {
			t.Fatalf("resolveRel(%q, %q) = %d, %v; want %d, %v", dir, ref, id, ok, wid, wok)
		}
		if ok {
			found++
		}
	}
	if found < 1000 {
		t.Fatalf("only %d references resolved: the inputs test too little", found)
	}
}

func TestCleanRootedIsPathClean(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		p := "/" + randPath(r, 8)
		if got, want := string(cleanRooted([]byte(p))), path.Clean(p); got != want {
			t.Fatalf("cleanRooted(%q) = %q, want %q", p, got, want)
		}
	}
}
