package render

import (
	"os"
	"path/filepath"
	"testing"
)

func TestZZDump(t *testing.T) {
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs", BaseURL: "https://docs.example.com/"}, f.tree)
	for _, b := range []*Build{f.anon, f.eng} {
		out := render(t, r, b, f.bodies)
		for p, d := range out {
			fp := filepath.Join("/tmp/rdev/out", b.Dir, p)
			os.MkdirAll(filepath.Dir(fp), 0o755)
			os.WriteFile(fp, d, 0o644)
		}
	}
}
