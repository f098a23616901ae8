package content

import "testing"

func TestResolvePath(t *testing.T) {
	t.Parallel()
	tr, err := Load(site())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		p, suffix string
		found     bool
		target    string
	}{
		{"/", "", true, "content/_index.md"},
		{"/a/b/", "#top", true, "content/a/b.md"},
		{"/a/b", "", true, "content/a/b.md"},
		{"/a/b.md", "", true, "content/a/b.md"},
		{"/a/c/index.html", "?x=1", true, "content/a/c/index.md"},
		{"/a/x.pdf", "", true, "content/a/x.pdf"},
		{"/my file/", "", true, "content/my file.md"},
		// Decoded once: a literal percent sign is not decoded again.
		{"/my%20file/", "", false, ""},
		{"/a/x.pdf/", "", false, ""},
		{"/nope/", "", false, ""},
	}
	for _, tt := range tests {
		tgt, found := tr.ResolvePath(tt.p, tt.suffix)
		got := ""
		switch {
		case tgt.Page != nil:
			got = tgt.Page.File
		case tgt.Attachment != nil:
			got = tgt.Attachment.File
		}
		if found != tt.found || got != tt.target || tgt.Suffix != tt.suffix {
			t.Errorf("ResolvePath(%q, %q) = %q %q %v; want %q %q %v", tt.p, tt.suffix, got, tgt.Suffix, found, tt.target, tt.suffix, tt.found)
		}
	}
}
