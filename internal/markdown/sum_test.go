package markdown

import (
	"slices"
	"testing"
)

// TestSumFollowsRender: Docs that render differently for some audience
// have different Sums, and a Doc made again from the same source, decoded
// from its encoding, or remapped with every id kept has its original's.
// bodyPrints (internal/build) takes a Doc's Sum for its rendered bytes.
func TestSumFollowsRender(t *testing.T) {
	docs := caseDocs(t)
	files := make([]string, 0, len(docs))
	for f := range docs {
		files = append(files, f)
	}
	slices.Sort(files)
	for i, a := range files {
		for _, b := range files[i+1:] {
			da, db := docs[a], docs[b]
			if !slices.Equal(renders(da), renders(db)) && da.Sum() == db.Sum() {
				t.Errorf("%s and %s render differently with the same Sum", a, b)
			}
		}
	}
	for file, d := range docs {
		if d.Sum() == ([2]uint64{}) {
			t.Errorf("%s: Sum not set", file)
		}
		enc, err := d.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var got Doc
		if err := got.UnmarshalBinary(enc); err != nil {
			t.Fatal(err)
		}
		if got.Sum() != d.Sum() {
			t.Errorf("%s: decoded Doc's Sum differs", file)
		}
		if d.Remap(func(t int) int { return t }).Sum() != d.Sum() {
			t.Errorf("%s: Remap keeping every id changed the Sum", file)
		}
	}
}

// TestSumChangesWithTargetsAndText: a remap to other ids, another link
// target and another word each change the Sum.
func TestSumChangesWithTargetsAndText(t *testing.T) {
	conv := func(src string) *Doc {
		d, err := New(Options{}).Convert([]byte(src), mapResolver{})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	base := conv("See [one](p1) and [](p2).\n")
	if conv("See [one](p1) and [](p2).\n").Sum() != base.Sum() {
		t.Error("the same source converted twice has two Sums")
	}
	for name, d := range map[string]*Doc{
		"other target": conv("See [one](p1) and [](p3).\n"),
		"other word":   conv("See [two](p1) and [](p2).\n"),
		"remapped":     base.Remap(func(t int) int { return t + 10 }),
	} {
		if d.Sum() == base.Sum() {
			t.Errorf("%s: Sum unchanged", name)
		}
	}
}
