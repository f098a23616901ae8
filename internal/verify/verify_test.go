package verify

import (
	"strconv"
	"strings"
	"testing"
)

func TestScan(t *testing.T) {
	t.Parallel()
	items := []Item{
		{URL: "/eng/secret/", Title: "Secret Plan", File: "content/eng/secret.md"},
		{URL: "/eng/x.pdf", File: "content/eng/x.pdf"},
		{URL: "/ops/", Title: "Ops", File: "content/ops/_index.md"},
		{URL: "/r&d/", Title: "R&D 'notes'", File: "content/r&d/_index.md"},
		{URL: "/visible/", Title: "Visible Page", File: "content/visible.md"},
	}
	ix := NewIndex(items, "https://docs.example.com/")
	hidden := func(id int) bool { return id != 4 }
	tests := []struct {
		file, data, body string
		leak             string // "" none, else "URL x" or "title x"
	}{
		{"index.html", `<a href="eng/secret/">x</a>`, "", "URL /eng/secret/"},
		{"a/b/index.html", `<a href="../../eng/secret/#top">x</a>`, "", "URL /eng/secret/"},
		{"a/index.html", `<a href="../eng/secret/index.html">x</a>`, "", "URL /eng/secret/"},
		{"a/index.html", `<img src="../eng/x.pdf">`, "", "URL /eng/x.pdf"},
		{"sitemap.xml", `<loc>https://docs.example.com/eng/secret/</loc>`, "", "URL /eng/secret/"},
		{"search-index.js", `{"url":"/eng/secret/"}`, "", "URL /eng/secret/"},
		{"search-index.js", `{"url":"/eng/secret"}`, "", "URL /eng/secret/"},
		{"index.html", `<a href="https://other.example/eng/secret/">x</a>`, "", ""},
		{"index.html", `<a href="/docs/eng/secret/">x</a>`, "", ""},
		{"index.html", `<a href="eng/secret/deeper/">x</a>`, "", ""},
		{"eng/index.html", `<a href="secret/more/">x</a>`, "", ""},
		{"index.html", `<nav>Secret Plan</nav>`, "", "title Secret Plan"},
		{"index.html", `<a href="x/">ops</a> </ops>`, "", ""},
		{"index.html", `<nav>Top Secret Planning</nav>`, "", ""},
		{"index.html", `<li>Operations</li>`, "", ""},
		{"index.html", `<li>Ops</li>`, "", "title Ops"},
		{"index.html", `<li>R&amp;D &#39;notes&#39;</li>`, "", "title R&D 'notes'"},
		{"index.html", `<a href="visible/">Visible Page</a>`, "", ""},
	}
	for _, tt := range tests {
		var body []byte
		if tt.body != "" {
			body = []byte(tt.body)
		}
		_ = body
		l := ix.Check("anonymous", tt.file, ix.Refs(tt.file, []byte(tt.data)), hidden, hidden)
		got := ""
		if l != nil {
			got = l.What + " " + l.Item.URL
			if l.What == "title" {
				got = l.What + " " + l.Item.Title
			}
			if !strings.Contains(l.Error(), "build anonymous: "+tt.file) {
				t.Errorf("message %q", l.Error())
			}
		}
		if got != tt.leak {
			t.Errorf("%s %q: got %q, want %q", tt.file, tt.data, got, tt.leak)
		}
	}
}

func TestFinderAndSharedPrefixes(t *testing.T) {
	t.Parallel()
	var items []Item
	var titles []string
	for i := 0; i < 500; i++ {
		title := "How to archive the thing " + strings.Repeat("x", i%7) + strconv.Itoa(i)
		items = append(items, Item{Title: title, File: "f"})
		titles = append(titles, title)
	}
	ix := NewIndex(items, "")
	r := ix.Refs("index.html", []byte("<li>"+titles[42]+"</li><li>"+titles[7]+" more</li>"))
	if len(r.Titles) != 2 || r.Titles[0] != 42 || r.Titles[1] != 7 {
		t.Fatalf("titles found: %v", r.Titles)
	}
	f := NewFinder([]string{"Plan", "Plan 2", "Ops"})
	if got := f.Find([]byte("the Plan 2 of Operations")); strings.Join(got, "|") != "Plan|Plan 2" {
		t.Fatalf("finder: %q", got)
	}
}

func FuzzRefs(f *testing.F) {
	f.Add("a/b/index.html", `<a href="../x/">Secret</a> /eng/secret/`)
	f.Fuzz(func(t *testing.T, name, data string) {
		ix := NewIndex([]Item{{URL: "/eng/secret/", Title: "Secret", File: "f"}}, "https://h.example/")
		r := ix.Refs(name, []byte(data))
		if strings.Contains(data, `"/eng/secret/"`) && len(r.URLs) == 0 {
			t.Fatalf("missed quoted URL in %q", data)
		}
		if strings.Contains(data, " Secret ") && len(r.Titles) == 0 {
			t.Fatalf("missed title in %q", data)
		}
	})
}
