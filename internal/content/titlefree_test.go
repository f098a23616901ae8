package content

import "testing"

// TestTitleFree holds TitleFree to its promise: equal and non-zero only
// for files whose frontmatters differ in a one-line top-level title.
func TestTitleFree(t *testing.T) {
	sum := func(src string) [32]byte {
		t.Helper()
		p, err := ParsePage("content/a.md", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		return p.TitleFree
	}
	base := "+++\nweight = 2\ntitle = \"Alpha\"\ntags = [\"x\"]\n+++\nBody.\n"
	a := sum(base)
	if a == ([32]byte{}) {
		t.Fatal("a one-line title gives no TitleFree")
	}
	same := []string{
		"+++\nweight = 2\ntitle = \"Beta\"\ntags = [\"x\"]\n+++\nBody.\n",
		"+++\nweight = 2\ntitle = 'Beta gamma' # renamed\ntags = [\"x\"]\n+++\nBody.\n",
		"+++\nweight = 2\n  title=\"Alpha\"\ntags = [\"x\"]\n+++\nOther body.\n",
	}
	for _, src := range same {
		if sum(src) != a {
			t.Errorf("%q: TitleFree differs from a title-only change", src)
		}
	}
	differ := []string{
		"+++\nweight = 3\ntitle = \"Alpha\"\ntags = [\"x\"]\n+++\nBody.\n",
		"+++\ntitle = \"Alpha\"\nweight = 2\ntags = [\"x\"]\n+++\nBody.\n",
		"+++\nweight = 2\ntitle = \"Alpha\"\ntags = [\"y\"]\n+++\nBody.\n",
		"+++\nweight = 2\ntitle = \"Alpha\"\ntags = [\"x\"]\nsummary = \"s\"\n+++\nBody.\n",
	}
	for _, src := range differ {
		if sum(src) == a {
			t.Errorf("%q: TitleFree equal though more than the title changed", src)
		}
	}
	zero := []string{
		"+++\nweight = 2\n+++\nBody.\n",
		"+++\ntitle = \"\"\"\nAlpha\"\"\"\n+++\nBody.\n",
		"+++\nsummary = \"\"\"\ntitle = \"Alpha\"\n\"\"\"\n+++\nBody.\n",
		"Body alone.\n",
	}
	for _, src := range zero {
		if sum(src) != ([32]byte{}) {
			t.Errorf("%q: TitleFree set without a one-line title", src)
		}
	}
}
