package content

import (
	"bytes"
	"errors"
	"testing"
)

func TestSplitFrontmatter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src, front, body string
		open, line       int
		err              error
	}{
		{"# Title\n", "", "# Title\n", 0, 1, nil},
		{"", "", "", 0, 1, nil},
		{"+++\ntitle = \"x\"\n+++\nbody\n", "title = \"x\"\n", "body\n", 1, 4, nil},
		{"+++\n+++\n", "", "", 1, 3, nil},
		{"+++\n+++", "", "", 1, 3, nil},
		{"+++  \r\na = 1\r\n+++\t\r\n\r\nb", "a = 1\r\n", "\r\nb", 1, 4, nil},
		{"+++\na = 1\n", "", "+++\na = 1\n", 1, 1, errUnterminated},
		{"+++", "", "+++", 1, 1, errUnterminated},
		{"++++\na\n++++\n", "", "++++\na\n++++\n", 0, 1, nil},
		{" +++\na\n+++\n", "", " +++\na\n+++\n", 0, 1, nil},
		{"text\n+++\na = 1\n+++\n", "", "text\n+++\na = 1\n+++\n", 0, 1, nil},
		{"---\ntitle: x\n---\n", "", "---\ntitle: x\n---\n", 1, 1, errYAML},
		{"---\n\nA thematic break first.\n", "", "---\n\nA thematic break first.\n", 0, 1, nil},
		// Blank and whitespace-only lines before the opening fence.
		{"\n\n+++\na = 1\n+++\nbody\n", "a = 1\n", "body\n", 3, 6, nil},
		{"  \n\t\n \t \r\n+++\n+++\n", "", "", 4, 6, nil},
		{"\r\n+++\r\na = 1\r\n+++\r\nb", "a = 1\r\n", "b", 2, 5, nil},
		{"\n\u00a0\n+++\n+++\n", "", "", 3, 5, nil},
		{"\n+++\na = 1\n", "", "\n+++\na = 1\n", 2, 1, errUnterminated},
		{"\n\n---\ntitle: x\n---\n", "", "\n\n---\ntitle: x\n---\n", 3, 1, errYAML},
		{"\n\ntext\n+++\na = 1\n+++\n", "", "\n\ntext\n+++\na = 1\n+++\n", 0, 1, nil},
		{"\n\n\n", "", "\n\n\n", 0, 1, nil},
	}
	for _, tt := range tests {
		sp, err := splitFrontmatter([]byte(tt.src))
		if string(sp.front) != tt.front || string(sp.body) != tt.body || sp.open != tt.open || sp.bodyLine != tt.line || !errors.Is(err, tt.err) {
			t.Errorf("splitFrontmatter(%q) = %q, %q, open %d, line %d, %v; want %q, %q, %d, %d, %v",
				tt.src, sp.front, sp.body, sp.open, sp.bodyLine, err, tt.front, tt.body, tt.open, tt.line, tt.err)
		}
	}
}

func TestFirstBadLine(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]int{"ok": 0, "\xff": 1, "a\nb\n\xc3": 3, "é\n\xe2\x82": 2} {
		if got := firstBadLine([]byte(src)); got != want {
			t.Errorf("firstBadLine(%q) = %d, want %d", src, got, want)
		}
	}
}

// FuzzSplitFrontmatter holds that splitting never panics, that the body is
// the tail of the file starting at bodyLine, and that blank lines, fences,
// frontmatter and body put back together give the file again.
func FuzzSplitFrontmatter(f *testing.F) {
	for _, s := range []string{"", "+++\n+++\n", "+++\na=1\n+++\nbody", "+++\r\n+++", "---\nx: 1\n---\n", "+++", "x\n+++\n", "\n \n+++\n+++\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		sp, err := splitFrontmatter(src)
		front, body, line := sp.front, sp.body, sp.bodyLine
		if !bytes.HasSuffix(src, body) {
			t.Fatalf("body %q is not the tail of %q", body, src)
		}
		head := src[:len(src)-len(body)]
		got := bytes.Count(head, []byte("\n")) + 1
		if len(head) > 0 && head[len(head)-1] != '\n' {
			got++ // a closing fence at the end of the file: the (empty) body is on the next line
		}
		if got != line {
			t.Fatalf("bodyLine = %d, but the body starts on line %d", line, got)
		}
		if err != nil || front == nil {
			if len(head) != 0 || front != nil {
				t.Fatalf("no frontmatter (err %v), yet head %q front %q", err, head, front)
			}
			return
		}
		for range sp.open - 1 {
			blank, rest, _ := bytes.Cut(head, []byte("\n"))
			if len(bytes.TrimSpace(blank)) != 0 {
				t.Fatalf("line %q before the opening fence is not blank", blank)
			}
			head = rest
		}
		open, rest, _ := bytes.Cut(head, []byte("\n"))
		if fence(open) != "+++" || !bytes.HasPrefix(rest, front) {
			t.Fatalf("head %q does not open with a fence followed by the frontmatter %q", head, front)
		}
		if closing := rest[len(front):]; fence(closing) != "+++" || bytes.Count(closing, []byte("\n")) > 1 {
			t.Fatalf("closing fence %q", closing)
		}
		for _, l := range bytes.Split(front, []byte("\n")) {
			if fence(l) == "+++" {
				t.Fatalf("frontmatter %q holds a fence line", front)
			}
		}
	})
}
