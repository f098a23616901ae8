package verify

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// wordsOf scans a file and returns its words, failing the test when the
// scan kept none.
func wordsOf(t testing.TB, ix *Index, name string, data []byte) *Words {
	t.Helper()
	refs, w := ix.RefsWords(name, data)
	if w == nil && !refs.Hides() {
		t.Fatalf("%s: no words from a scan that read only what the bytes show", name)
	}
	return w
}

// TestTitleWordsNeverMiss: whenever the scanner finds a title in a file,
// however encoded, the words of the file as the scan kept them do not
// clear it; and they clear most files that do not hold the title. The
// index is fresh each time, and each file scanned twice: chunks met before
// give their words from the cache, which must be the same.
func TestTitleWordsNeverMiss(t *testing.T) {
	neverMisses(t, "its words", rand.New(rand.NewPCG(19, 23)), func(ix *Index, title, name string, data []byte) bool {
		ix.GatherWords()
		tw := NewTitleWords([]string{title})
		may := tw.MayHold(wordsOf(t, ix, name, data))
		if again := tw.MayHold(wordsOf(t, ix, name, data)); again != may {
			t.Fatalf("%s: the words of a file scanned again (chunks from the cache) differ", name)
		}
		return may
	})
}

// TestTitleWordsCases pins the joins of Words' comment: runs split by
// marks, words inside other words, and what is never cleared.
func TestTitleWordsCases(t *testing.T) {
	for _, c := range []struct {
		title, data string
		may         bool
	}{
		{"Kickoff", "<p>the kickoff of quasar</p>", true},
		{"Kickoff", "<p>nothing here</p>", false},
		{"Kickoff", "<p>kick off</p>", false},
		{"Kickoff", "<p>KICK<em>OFF</em></p>", true},
		{"Kickoff", "<p>kick*off</p>", true},
		{"Kickoff", "<p>x_kick*off_y</p>", true},
		{"Kickoff", "<p>&#107;ickoff</p>", true},
		{"Kickoff", "<p>\u212aickoff</p>", false}, // the Kelvin sign stays itself in the folded text
		{"Kickoff", "<p>kick\u00adoff</p>", true},
		{"Kickoff", `{"t":"\u006bickoff"}`, true},
		{"Kickoff", "<p>k%69ckoff</p>", true},
		{"Kickoff", "<p>kickoffs</p>", false},
		{"Kickoff", "<p title=\"kickoff\">x</p>", true},
		{"Ops plan", "<p>foo_ops plan</p>", true}, // "ops" after a mark starts a word
		{"Ops plan", "<p>ops</p><p>other plan</p>", true},
		{"Ops plan", "<p>ops</p>", false},
		{"snake_case guide", "<p>snake_case guide</p>", true},
		{"snake_case guide", "<p>snake case guide</p>", false},
		{"snake_case guide", "<p>snakecase guide</p>", false},
		{"a_b_c_d_e_f_g_h_i_j", "<p>nothing</p>", true}, // a title too long to join
		{"東京", "<p>nothing</p>", true},                  // no ASCII word: never cleared
		{"Kickoff", "<p>" + strings.Repeat("a*", maxJoin+1) + "b</p>", true},
	} {
		ix := NewIndex([]Item{{URL: "/zz-other/", Title: c.title}}, nil)
		ix.GatherWords()
		w := wordsOf(t, ix, "a.html", []byte(c.data))
		if got := NewTitleWords([]string{c.title}).MayHold(w); got != c.may {
			t.Errorf("%q in %q: MayHold = %v, want %v", c.title, c.data, got, c.may)
		}
		if !c.may && hasTitle(ix, "a.html", []byte(c.data)) {
			t.Errorf("%q in %q: the scanner finds the title the case says is not there", c.title, c.data)
		}
	}
	// several titles: a file may hold one of them
	tw := NewTitleWords([]string{"Quasar review", "Zebra"})
	ix := NewIndex(nil, nil)
	ix.GatherWords()
	if !tw.MayHold(wordsOf(t, ix, "a.html", []byte("<p>a zebra</p>"))) {
		t.Error("a file with the second title is cleared")
	}
	if tw.MayHold(wordsOf(t, ix, "a.html", []byte("<p>quasar zeal</p>"))) {
		t.Error("a file with neither title is not cleared")
	}
	if !tw.MayHold(nil) {
		t.Error("unknown words clear a file")
	}
	if !NewTitleWords(nil).MayHold(nil) || NewTitleWords([]string{""}).MayHold(&Words{}) {
		t.Error("no title to look for: unknown words may hold it, known words clear it")
	}
	// an index not told to gather words keeps none, and chunks it
	// scanned before it was told give none after
	plain := NewIndex(nil, nil)
	page := []byte("<p>zebra</p>" + strings.Repeat("<p>the release manager reports</p>\n", 40))
	if _, w := plain.RefsWords("a.html", page); w != nil {
		t.Error("an index that does not gather words returns some")
	}
	plain.GatherWords()
	if _, w := plain.RefsWords("a.html", page); w != nil {
		t.Error("chunks scanned without words give a file words")
	}
	if _, w := plain.RefsWords("b.html", []byte("<p>new text</p>")); w == nil {
		t.Error("an index told to gather words gives none for a file it had not met")
	}
}

// FuzzTitleWords checks the promise on any file: what the scanner finds,
// the words do not clear.
func FuzzTitleWords(f *testing.F) {
	r := rand.New(rand.NewPCG(29, 31))
	for i := 0; i < 40; i++ {
		title := filterTitles[r.IntN(len(filterTitles))]
		name, data, _ := filterCase(r, title)
		f.Add(title, name, data)
	}
	f.Add("Kickoff", "a.html", []byte("<p>x*kick_off*</p>"))
	f.Fuzz(func(t *testing.T, title, name string, data []byte) {
		ix := NewIndex([]Item{{URL: "/zz-other/", Title: title}}, nil)
		ix.GatherWords()
		refs, w := ix.RefsWords(name, data)
		if hasTitle(ix, name, data) && !refs.Hides() && !NewTitleWords([]string{title}).MayHold(w) {
			t.Fatalf("the scanner finds %q in %s, its words clear it:\n%q", title, name, data)
		}
	})
}

// TestInheritScansExactly: an index that takes the chunks of the last one
// (Inherit) after some titles changed finds in every file exactly what a
// fresh index finds, in files met before and in files changed since; and
// it takes most chunks rather than scanning them.
func TestInheritScansExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(37, 41))
	items := []Item{{URL: "/a/", Title: "Quasar Kickoff"}, {URL: "/b/", Title: "Handover notes"},
		{URL: "/c/", Title: "Zebra"}, {URL: "/d/", Title: "Rotating the keys"}}
	var files [][2]string
	for range 300 {
		title := filterTitles[r.IntN(len(filterTitles))]
		name, data, _ := filterCase(r, title)
		page := markupPage(r, 2<<10)
		files = append(files, [2]string{name, page + string(data) + page})
	}
	prev := NewIndex(items, nil)
	prev.GatherWords()
	for _, f := range files {
		prev.RefsWords(f[0], []byte(f[1]))
	}
	for step, retitle := range []struct {
		id    int
		title string
	}{{2, "Fjord jinx plan"}, {0, "Handover notes"}, {1, "Ops Backlog 2026"}, {3, "snake_case guide"}} {
		now := slices.Clone(items)
		now[retitle.id].Title = retitle.title
		ix := NewIndex(now, nil)
		ix.GatherWords()
		ix.Inherit(prev, []int{retitle.id})
		fresh := NewIndex(now, nil)
		for k, f := range files {
			data := []byte(f[1])
			if k%5 == step%5 {
				// a changed file: a chunk of it is new
				data = append([]byte("<p>"+filterProse[r.IntN(len(filterProse))]+" "+retitle.title+"</p>\n"), data...)
			}
			got, _ := ix.RefsWords(f[0], data)
			if want := fresh.RefsPacked(f[0], data); !slices.Equal(got, want) {
				t.Fatalf("step %d, %s: an index that inherits finds %v, a fresh one %v", step, f[0], got, want)
			}
		}
		if ix.from.taken.Load() == 0 {
			t.Fatalf("step %d: no chunk taken from the last index", step)
		}
		ix.Uninherit()
		prev, items = ix, now
	}
}

// TestInheritWhereAnotherTitleHeldAMark: a chunk inherited from before a
// retitle holds what a fresh scan finds even where the old title held a
// mark the text has ("Config_Loader" against "_Config_ Files"): what the
// matcher finds of one title does not depend on the others.
func TestInheritWhereAnotherTitleHeldAMark(t *testing.T) {
	data := []byte("<p>_Config_ Files</p>")
	before := []Item{{URL: "/x/", Title: "Config_Loader"}, {URL: "/y/", Title: "Config Files"}}
	now := slices.Clone(before)
	now[0].Title = "Loader Settings"
	prev := NewIndex(before, nil)
	prev.GatherWords()
	prev.RefsWords("a.html", data)
	ix := NewIndex(now, nil)
	ix.GatherWords()
	ix.Inherit(prev, []int{0})
	got, _ := ix.RefsWords("a.html", data)
	want := NewIndex(now, nil).RefsPacked("a.html", data)
	if !slices.Equal(got, want) || len(want) == 0 {
		t.Fatalf("an index that inherits finds %v, a fresh one %v", got, want)
	}
	if ix.from.taken.Load() == 0 {
		t.Fatal("the chunk was scanned again, not taken")
	}
}
