package verify

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// filterTitles are the titles the filter tests look for; filterProse is
// the text around them, sharing none of their words.
var (
	filterTitles = []string{"Quasar Kickoff", "Handover notes", "Rotating the keys", "Zebra",
		"Fjord jinx plan", "Ops Backlog 2026", "Q3 Skunkworks review", "Résumé — Falcon plan", "snake_case guide",
		"Q&A: ops plan", "It's a \"quoted\" plan"}
	filterProse = []string{"the", "release", "manager", "reports", "a", "weekly", "bucket", "it's",
		"gateway", "restores", "schema", "if", "build", "fails", "twice", "node", "ticket"}
)

// encodeRune writes one character of a title the way a file may carry it;
// file is the kind of file (html, js, css, txt).
func encodeRune(r *rand.Rand, sb *strings.Builder, c rune, file string) {
	if c == ' ' && r.IntN(3) == 0 {
		spaces := []string{"\n  ", "&nbsp;", "\u00a0", "  ", "<br>", "\t"}
		sb.WriteString(spaces[r.IntN(len(spaces))])
		return
	}
	switch k := r.IntN(16); {
	case k < 6:
		sb.WriteRune(c)
	case k == 6:
		fmt.Fprintf(sb, "&#%d;", c)
	case k == 7:
		fmt.Fprintf(sb, "&#x%X;", c)
	case k == 8:
		fmt.Fprintf(sb, "&amp;#%d;", c)
	case k == 9:
		fmt.Fprintf(sb, "%%%02X", c)
	case k == 10:
		fmt.Fprintf(sb, "%%25%02X", c)
	case k == 11:
		fmt.Fprintf(sb, `\u%04x`, c)
	case k == 12 && file == "css":
		fmt.Fprintf(sb, `\%x `, c)
	case k == 12:
		fmt.Fprintf(sb, `\\u%04x`, c)
	case k == 13 && (c == 'k' || c == 'K'):
		sb.WriteString("\u212a") // the Kelvin sign, K after NFC
	case k == 14 && c >= 'a' && c <= 'z':
		sb.WriteRune(c - 'a' + 'A')
	default:
		sb.WriteRune(c)
	}
	if r.IntN(6) == 0 {
		// something the scanner passes over between two characters
		gaps := []string{"*", "_", "\u00ad", "\u200b"}
		if file == "html" {
			gaps = append(gaps, "<em>", "</em>", `<span class="a>b">`, "<b title='x>y'>", "</b>", "<a href=\"/x/\">")
		}
		sb.WriteString(gaps[r.IntN(len(gaps))])
	}
}

// filterCase makes a file that holds title, encoded, in one of the places
// a scanner reads text, or (one file in five, with put false) only text
// around it.
func filterCase(r *rand.Rand, title string) (name string, data []byte, put bool) {
	kinds := []string{"html", "js", "css", "txt"}
	kind := kinds[r.IntN(len(kinds))]
	prose := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = filterProse[r.IntN(len(filterProse))]
		}
		return strings.Join(w, " ")
	}
	var occ strings.Builder
	if put = r.IntN(5) > 0; put {
		if kind == "html" && r.IntN(4) == 0 {
			occ.WriteString("e\u0301 ") // a combining mark: the text is made NFC
		}
		for _, c := range title {
			encodeRune(r, &occ, c, kind)
		}
	}
	before, after := prose(r.IntN(8)), prose(r.IntN(8))
	var sb strings.Builder
	switch kind {
	case "html":
		name = "a/index.html"
		switch r.IntN(6) {
		case 0:
			fmt.Fprintf(&sb, "<p>%s %s %s</p>", before, occ.String(), after)
		case 1:
			fmt.Fprintf(&sb, "<p>%s</p><img alt=\"%s\" title='%s'>", before, after, occ.String())
		case 2:
			fmt.Fprintf(&sb, "<script>var x = {\"t\": \"%s\"};</script><p>%s</p>", occ.String(), after)
		case 3:
			fmt.Fprintf(&sb, "<!-- %s --><p>%s</p>", occ.String(), before)
		case 4:
			fmt.Fprintf(&sb, "<noscript><p>%s %s</p></noscript>", before, occ.String())
		default:
			fmt.Fprintf(&sb, "<ul><li>%s</li><li><a href=\"/b/\">%s</a> %s</li></ul>", before, occ.String(), after)
		}
	case "js":
		name = "_facet/nav.js"
		fmt.Fprintf(&sb, "facetNav({\"t\":\"%s\",\"x\":[\"%s\",\"%s\"]});", before, occ.String(), after)
	case "css":
		name = "assets/x.css"
		fmt.Fprintf(&sb, "/* %s */ .a::after { content: \"%s\"; }", before, occ.String())
	default:
		name = "llms.txt"
		fmt.Fprintf(&sb, "- %s\n- %s (%s)\n", before, occ.String(), after)
	}
	return name, []byte(sb.String()), put
}

// hasTitle reports whether the scanner finds item 0's title in the file.
func hasTitle(ix *Index, name string, data []byte) bool {
	for _, ref := range ix.Refs(name, data) {
		if ref.Kind == Title {
			return true
		}
	}
	return false
}

// TestTitleFilterNeverMisses: whenever the scanner finds a title in a
// file, however encoded, the filter does not clear the file; and it
// clears most files that do not hold the title.
func TestTitleFilterNeverMisses(t *testing.T) {
	neverMisses(t, "the filter", rand.New(rand.NewPCG(7, 11)), func(ix *Index, title, name string, data []byte) bool {
		f, ok := NewTitleFilter([]string{title})
		if !ok {
			t.Fatalf("no filter for %q", title)
		}
		return f.MayHold(data)
	})
}

// neverMisses checks a way to clear files of a title (mayHold, true
// for a file that may hold it) against the scanner over 6,000 files
// filterCase makes: every file the scanner finds the title in may hold
// it, and nine in ten of those that hold only the text around it are
// cleared. mayHold is given the index the scanner looks with.
func neverMisses(t *testing.T, what string, r *rand.Rand, mayHold func(ix *Index, title, name string, data []byte) bool) {
	t.Helper()
	found, cleared, without := 0, 0, 0
	const n = 6000
	for i := 0; i < n; i++ {
		title := filterTitles[r.IntN(len(filterTitles))]
		ix := NewIndex([]Item{{URL: "/zz-other/", Title: title}}, nil)
		name, data, put := filterCase(r, title)
		may := mayHold(ix, title, name, data)
		if hasTitle(ix, name, data) {
			found++
			if !may {
				t.Fatalf("the scanner finds %q in %s, %s clears it:\n%s", title, name, what, data)
			}
			continue
		}
		if !put {
			without++
			if !may {
				cleared++
			}
		}
	}
	if found < n/4 {
		t.Fatalf("the scanner found the title in %d of %d files: the cases test too little", found, n)
	}
	if without == 0 || cleared*10 < without*9 {
		t.Fatalf("%s cleared %d of %d files without the title: too few to be of use", what, cleared, without)
	}
	t.Logf("%d files with the title, none cleared; %d of %d without it cleared", found, cleared, without)
}

// TestTitleFilterCases pins the forms named in TitleFilter's comment.
func TestTitleFilterCases(t *testing.T) {
	f, ok := NewTitleFilter([]string{"Kickoff", ""})
	if !ok {
		t.Fatal("no filter")
	}
	for _, c := range []struct {
		data string
		may  bool
	}{
		{"<p>the kickoff of quasar</p>", true},
		{"<p>nothing here</p>", false},
		{"<p>kick off</p>", false},
		{"<p>KICK<em>OFF</em></p>", true},
		{"<p>kick<b title='a>b'>off</b></p>", true},
		{"<p>&#107;ickoff</p>", true},
		{"<p>\u212aickoff</p>", true},
		{"<p>kick\u00adoff</p>", true},
		{`{"t":"\u006bickoff"}`, true},
		{"<p>k%69ckoff</p>", true},
		{"<p>ki&amp;#99;koff</p>", true},
		{`.a{content:"\6b ickoff"}`, true},
		{"<p>kick-off</p>", false},
		{"<p>the srcdoc attribute</p>", false}, // only a tag's srcdoc is markup
		{"<iframe SsrcDoc='x'></iframe>", true},
		{"<p>kick. off</p>", false},
		{"<iframe srcdoc=\"&lt;p&gt;nothing\"></iframe>", true}, // re-parsed markup is always scanned
	} {
		if got := f.MayHold([]byte(c.data)); got != c.may {
			t.Errorf("MayHold(%q) = %v, want %v", c.data, got, c.may)
		}
	}
	// the words of a title in order, or it is not there
	two, _ := NewTitleFilter([]string{"Quasar Kickoff"})
	for data, may := range map[string]bool{"<p>quasar</p>": false, "<p>kickoff quasar</p>": false, "<p>quasarkickoff</p>": false,
		"<p>Quasar <em>kick</em>off</p>": true, "<p>quasar,\n kickoff</p>": true, "<p>quasar&nbsp;kickoff</p>": true} {
		if two.MayHold([]byte(data)) != may {
			t.Errorf("MayHold(%q) for two words = %v", data, !may)
		}
	}
	// gaps that are marks, tags in text, other letters
	for title, data := range map[string]string{"snake_case guide": "<p>snake_case guide</p>", "x<y plan": "var t = 'x<y plan';",
		"Résumé — Falcon": "<p>R&eacute;sum\u00e9 &mdash; Falcon</p>"} {
		g, _ := NewTitleFilter([]string{title})
		if !g.MayHold([]byte(data)) {
			t.Errorf("MayHold(%q) for %q = false", data, title)
		}
	}
	// "<" before a digit opens no tag: it is text, and a tag may follow
	// it before the title goes on
	year, _ := NewTitleFilter([]string{"2026 plan"})
	data0 := []byte("<p><2<em>026 plan</em></p>")
	if !hasTitle(NewIndex([]Item{{URL: "/x/", Title: "2026 plan"}}, nil), "a.html", data0) || !year.MayHold(data0) {
		t.Error("a title after a \"<\" that opens no tag is not found, or the filter clears it")
	}
	// one reference, two letters: "&fjlig;" is "fj"
	fj, _ := NewTitleFilter([]string{"Fjord jinx plan"})
	data := []byte("<p>&fjlig;ord jinx plan</p>")
	if !hasTitle(NewIndex([]Item{{URL: "/x/", Title: "Fjord jinx plan"}}, nil), "a.html", data) || !fj.MayHold(data) {
		t.Error("a title written with a two-letter reference is not found, or the filter clears it")
	}
	if _, ok := NewTitleFilter([]string{"Q&A"}); ok {
		t.Error("a title without a run of three letters got a filter")
	}
	var none *TitleFilter
	if none.MayHold([]byte("kickoff")) {
		t.Error("a nil filter holds something")
	}
}

// FuzzTitleFilter checks the filter's promise on any file: what the
// scanner finds, the filter does not clear.
func FuzzTitleFilter(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 5))
	for i := 0; i < 40; i++ {
		title := filterTitles[r.IntN(len(filterTitles))]
		name, data, _ := filterCase(r, title)
		f.Add(title, name, data)
	}
	f.Fuzz(func(t *testing.T, title, name string, data []byte) {
		flt, ok := NewTitleFilter([]string{title})
		if !ok || NormTitle(title) == "" {
			return
		}
		ix := NewIndex([]Item{{URL: "/zz-other/", Title: title}}, nil)
		// a scan that read what the bytes do not show (a data: URL's
		// base64, a doctype's entities) says so, and a rebuild scans
		// such a file again rather than ask the filter
		if hasTitle(ix, name, data) && !ix.RefsPacked(name, data).Hides() && !flt.MayHold(data) {
			t.Fatalf("the scanner finds %q in %s, the filter clears it:\n%q", title, name, data)
		}
	})
}

// BenchmarkTitleFilter runs the filter over a page of prose and markup
// that holds one of the title's words but not the title.
func BenchmarkTitleFilter(b *testing.B) {
	f, _ := NewTitleFilter([]string{"How to migrate the shared handover"})
	r := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	for sb.Len() < 64<<10 {
		fmt.Fprintf(&sb, "<p>The <em>%s</em> %s, it&#39;s %s <a href=\"../x/\">%s</a>.</p>\n",
			filterProse[r.IntN(len(filterProse))], filterProse[r.IntN(len(filterProse))],
			filterProse[r.IntN(len(filterProse))], "handover")
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if f.MayHold(data) {
			b.Fatal("the page holds the title")
		}
	}
}

// TestTitleFilterSkipsExactly: passing over bytes (in text and in tags)
// gives the answer the automaton gives stepping through every byte, on
// the cases of TestTitleFilterNeverMisses and on tag-heavy markup cut at
// random places, where quotes, "=", ">" and "srcdoc" land anywhere.
func TestTitleFilterSkipsExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 17))
	markup := []byte(markupPage(r, 8<<10))
	differ, held := 0, 0
	for i := 0; i < 4000; i++ {
		title := filterTitles[r.IntN(len(filterTitles))]
		f, ok := NewTitleFilter([]string{title})
		if !ok {
			t.Fatalf("no filter for %q", title)
		}
		_, data, _ := filterCase(r, title)
		if i%2 == 1 {
			a, b := r.IntN(len(markup)), r.IntN(len(markup))
			data = append(append(slices.Clone(markup[min(a, b):max(a, b)]), data...), markup[:r.IntN(200)]...)
		}
		ft := &f.titles[0]
		want := ft.run(data, false)
		if got := ft.run(data, true); got != want {
			differ++
			t.Errorf("title %q: with skips %v, without %v:\n%q", title, got, want, data)
		}
		if want {
			held++
		}
	}
	if held == 0 || held == 4000 {
		t.Fatalf("%d of 4000 files may hold the title: the cases test too little", held)
	}
}

// FuzzTitleFilterSkip checks on any file that the skips change nothing.
func FuzzTitleFilterSkip(f *testing.F) {
	f.Add("Kickoff plan", []byte(`<a class="x" title='kick>off' srcdo="k">kickoff plan</a>`))
	f.Add("Quasar review", []byte(`<p data-x=quasar>review</p><i s="q">quasar &amp; review</i>`))
	f.Fuzz(func(t *testing.T, title string, data []byte) {
		flt, ok := NewTitleFilter([]string{title})
		if !ok || len(flt.titles) == 0 {
			return
		}
		ft := &flt.titles[0]
		if got, want := ft.run(data, true), ft.run(data, false); got != want {
			t.Fatalf("title %q: with skips %v, without %v:\n%q", title, got, want, data)
		}
	})
}

// markupPage returns about n bytes of markup shaped like a rendered page:
// navigation and highlighted code, mostly tags and attributes.
func markupPage(r *rand.Rand, n int) string {
	var sb strings.Builder
	for sb.Len() < n {
		w := filterProse[r.IntN(len(filterProse))]
		switch r.IntN(6) {
		case 5:
			// quotes inside unquoted values and around "srcdoc"
			frag := []string{`<a x=ab"c srcdoc=1>`, `<a x=ab'c d='srcdoc'>`, `<b data-q="srcd" oc>`, `<i y= "q>srcdoc">`,
				`<u z=a="b srcdoc">`}[r.IntN(5)]
			sb.WriteString(frag)
		case 4:
			attr := []string{"srcdoc", "SrcDoc", "ssrcdoc", "srcdo", "data-srcdoc", "srcdocs", "s rcdoc"}[r.IntN(7)]
			fmt.Fprintf(&sb, "<iframe %s=\"&lt;p&gt;%s\" class=d></iframe>", attr, w)
		case 0:
			fmt.Fprintf(&sb, "<li class=\"fc-nav-item\" data-depth=\"2\"><a class=\"fc-link\" href=\"../../%s/\" aria-current=\"false\">%s</a></li>\n", w, w)
		case 1:
			fmt.Fprintf(&sb, "<span class=\"line\"><span class=\"cl\"><span class=\"nx\">%s</span><span class=\"o\">=</span><span class=\"mi\">%d</span></span></span>\n", w, r.IntN(100))
		case 2:
			fmt.Fprintf(&sb, "<img src=\"../assets/%s.png\" alt='%s' width=640 loading=lazy>", w, w)
		default:
			fmt.Fprintf(&sb, "<p>The %s &amp; <code>%s</code>.</p>\n", w, w)
		}
	}
	return sb.String()
}

// BenchmarkTitleFilterMarkup runs the filter over a page that is mostly
// markup, as rendered pages with navigation and highlighted code are.
// Each round has a new filter, which keeps no piece.
func BenchmarkTitleFilterMarkup(b *testing.B) {
	data := []byte(clearablePage(rand.New(rand.NewPCG(1, 2)), 64<<10))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		f, _ := NewTitleFilter([]string{"How to migrate the shared handover"})
		if f.MayHold(data) {
			b.Fatal("the page holds the title")
		}
	}
}

// BenchmarkTitleFilterVariants runs one filter over 20 variants of a page
// that differ in one line each, as a page's files in 20 builds do.
func BenchmarkTitleFilterVariants(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	page := clearablePage(r, 64<<10)
	var files [][]byte
	for i := range 20 {
		at := strings.Index(page[len(page)/2:], "\n<li") + len(page)/2 + 1
		files = append(files, []byte(page[:at]+fmt.Sprintf("<li>variant %d</li>\n", i)+page[at:]))
	}
	b.SetBytes(int64(20 * len(page)))
	for b.Loop() {
		f, _ := NewTitleFilter([]string{"How to migrate the shared handover"})
		for _, data := range files {
			if f.MayHold(data) {
				b.Fatal("the page holds the title")
			}
		}
	}
}

// TestTitleFilterPiecesExactly: MayHold, which runs a file piece by piece
// and keeps what each piece entered clean did, answers as the automaton
// stepping through the whole file does, over files that share most of
// their pieces (page variants with a title case planted at random places,
// in text, inside tags and escapes, across piece boundaries), one filter
// answering for all of them in turn.
func TestTitleFilterPiecesExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 29))
	base := []byte(clearablePage(r, 32<<10))
	held, cleared := 0, 0
	for _, title := range filterTitles {
		f, ok := NewTitleFilter([]string{title})
		if !ok {
			t.Fatalf("no filter for %q", title)
		}
		kept := 0
		for i := 0; i < 300; i++ {
			_, planted, _ := filterCase(r, title)
			if i%2 == 0 {
				// the title runs on across a line that opens a block,
				// where a piece may end
				at := r.IntN(len(planted) + 1)
				planted = append(append(slices.Clone(planted[:at]), "\n<li>"...), planted[at:]...)
			}
			// at a line start that may end a piece
			starts := splitStarts(base)
			at := starts[r.IntN(len(starts))]
			if i%4 == 1 {
				at = r.IntN(len(base))
			}
			data := append(append(slices.Clone(base[:at]), planted...), base[at:]...)
			if i%3 == 0 {
				// a tag, an escape or a partial title left open where a
				// piece may end
				cut := []string{"<a title=\"", "&#", "<b x='", "\\u00", "<!-- ", "%2", title[:len(title)/2]}[r.IntN(7)]
				starts := splitStarts(data)
				at2 := starts[r.IntN(len(starts))]
				data = append(append(slices.Clone(data[:at2]), cut...), data[at2:]...)
			}
			want := f.titles[0].run(data, false)
			if got := f.MayHold(data); got != want {
				t.Fatalf("title %q, file %d: MayHold %v, the automaton over the whole file %v", title, i, got, want)
			}
			if want {
				held++
			} else {
				cleared++
			}
		}
		for i := range f.pieces[0] {
			kept += len(f.pieces[0][i].m)
		}
		if kept < 20 {
			t.Fatalf("title %q: %d pieces kept: the files are not cut", title, kept)
		}
	}
	if held < 1000 || cleared < 300 {
		t.Fatalf("%d files may hold their title, %d not: the cases test too little", held, cleared)
	}
}

// FuzzTitleFilterPieces checks on any files that answering piece by
// piece, with pieces kept from the files before, changes nothing.
func FuzzTitleFilterPieces(f *testing.F) {
	page := markupPage(rand.New(rand.NewPCG(3, 4)), 4<<10)
	f.Add("Kickoff plan", page, "<p>kickoff <b title=\"x\n<div>\">plan</b></p>\n<div>")
	f.Add("Quasar review", page, "&#x51;uasar\n<p>review</p>")
	f.Fuzz(func(t *testing.T, title, a, b string) {
		flt, ok := NewTitleFilter([]string{title})
		if !ok || len(flt.titles) == 0 {
			return
		}
		for _, data := range []string{a, a + b, b + a, a + b + a, b} {
			if got, want := flt.MayHold([]byte(data)), flt.titles[0].run([]byte(data), false); got != want {
				t.Fatalf("title %q: MayHold %v, the whole automaton %v:\n%q", title, got, want, data)
			}
		}
	})
}

// splitStarts lists the places in data where nextSplit may cut.
func splitStarts(data []byte) []int {
	var out []int
	for from := 0; ; {
		at := nextSplit(data, from)
		if at >= len(data) {
			break
		}
		out, from = append(out, at-1), at+1
	}
	return append(out, len(data))
}

// clearablePage is markupPage without the lines naming srcdoc, which no
// filter clears.
func clearablePage(r *rand.Rand, n int) string {
	var lines []string
	for _, l := range strings.SplitAfter(markupPage(r, 2*n), "\n") {
		if low := strings.ToLower(l); !strings.Contains(low, "srcdo") && !strings.Contains(low, "oc>") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "")
}
