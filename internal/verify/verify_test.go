package verify

import (
	"strings"
	"testing"
)

func TestScan(t *testing.T) {
	t.Parallel()
	hidden := []Hidden{
		{URL: "/eng/secret/", Title: "Secret Plan", File: "content/eng/secret.md"},
		{URL: "/eng/x.pdf", File: "content/eng/x.pdf"},
		{URL: "/ops/", Title: "Ops", File: "content/ops/_index.md"},
		{URL: "/r&d/", Title: "R&D 'notes'", File: "content/r&d/_index.md"},
	}
	s := New("anonymous", hidden, "https://docs.example.com/")
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
		{"index.html", `<main>we keep the Secret Plan words</main><nav></nav>`, "we keep the Secret Plan words", ""},
		{"index.html", `<main>body</main><nav>Secret Plan</nav>`, "body", "title Secret Plan"},
	}
	for _, tt := range tests {
		var body []byte
		if tt.body != "" {
			body = []byte(tt.body)
		}
		l := s.Scan(tt.file, []byte(tt.data), body)
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

func FuzzScan(f *testing.F) {
	f.Add("a/b/index.html", `<a href="../x/">Secret</a> /eng/secret/`)
	f.Fuzz(func(t *testing.T, name, data string) {
		s := New("b", []Hidden{{URL: "/eng/secret/", Title: "Secret", File: "f"}}, "https://h.example/")
		l := s.Scan(name, []byte(data), nil)
		if strings.Contains(data, `"/eng/secret/"`) && l == nil {
			t.Fatalf("missed quoted URL in %q", data)
		}
	})
}
