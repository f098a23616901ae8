package verify

import "testing"

// Spellings a reader takes for a hidden page's URL or title are found;
// the site's paths stay case-sensitive.
func TestAdvSpellings(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	tests := []struct{ file, data, want string }{
		{"a.css", `p{background:url("/docs/\63 anary/")}`, want(Link, 4)},
		{"a/index.html", `<div style="background:url(../\63 anary/)">x</div>`, want(Link, 4)},
		{"a.css", `p::after{content:"\2F docs\2F ops\2F"}`, want(Text, 2)},
		{"n.txt", "see [x](ops/) and more", want(Text, 2)},
		{"n.txt", "see [x](./ops/#top)", want(Text, 2)},
		{"n.txt", "at /a+b/$&=x/ now", want(Text, 5)},
		{"n.txt", "Uber Stra\u00dfe and U\u0308ber Stra\u00dfe", want(Title, 5)},
		{"n.txt", "R&D \u2018notes\u2019", want(Title, 3)},
		{"n.txt", "Sec\u00adret Plan", want(Title, 0)},
		{"n.txt", "**Secret** Plan", want(Title, 0)},
		{"n.txt", "_Secret Plan_", want(Title, 0)},
		{"n.txt", "TABLE ROADMAP", want(Title, 4)},
		// not references
		{"n.txt", "see /DOCS/ENG/SECRET/ and /docs/Eng/Secret/", ""},
		{"n.txt", "the ops team", ""},
		{"n.txt", "Secret\u200bPlan", ""},
	}
	for _, tt := range tests {
		if got := found(ix, tt.file, ix.Refs(tt.file, []byte(tt.data))); got != tt.want {
			t.Errorf("%s %q: got %q, want %q", tt.file, tt.data, got, tt.want)
		}
	}
}
