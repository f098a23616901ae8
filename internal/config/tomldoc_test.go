package config

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDocOffsetAndAccessors(t *testing.T) {
	t.Parallel()
	// The TOML of a frontmatter whose opening +++ is line 1 of the file.
	text := `title = "T"
weight = -3
big = 9999999999
draft = true
tags = ["a", "b"]
when = 2024-02-29
at = 2024-02-29T10:30:00
str = "2024-03-01"
guests = [{ email = "a@b.example" }, { email = "c@d.example", extra = 1 }]
[sub]
n = 1.5
`
	doc, err := ParseTOML("content/a.md", []byte(text), 1)
	if err != nil {
		t.Fatal(err)
	}
	r := doc.Root()
	var title string
	var weight, big, n int
	var draft bool
	if !r.String("title", &title) || title != "T" {
		t.Errorf("title = %q", title)
	}
	if !r.Int("weight", &weight) || weight != -3 {
		t.Errorf("weight = %d", weight)
	}
	if r.Int("big", &big) {
		t.Error("an out-of-range integer was accepted")
	}
	if !r.Bool("draft", &draft) || !draft {
		t.Error("draft not read")
	}
	tags, lines, ok := r.Strings("tags")
	if !ok || !cmp.Equal(tags, []string{"a", "b"}) || !cmp.Equal(lines, []int{6, 6}) {
		t.Errorf("tags = %v at %v", tags, lines)
	}
	when, ok := r.Date("when")
	if !ok || !when.DateOnly || when.Written != "2024-02-29" || !when.Time.Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("when = %+v", when)
	}
	at, ok := r.Date("at")
	if !ok || at.DateOnly || at.Written != "2024-02-29T10:30:00Z" || !at.Time.Equal(time.Date(2024, 2, 29, 10, 30, 0, 0, time.UTC)) {
		t.Errorf("at = %+v", at)
	}
	str, ok := r.Date("str")
	if !ok || !str.DateOnly || str.Written != "2024-03-01" {
		t.Errorf("str = %+v", str)
	}
	guests := r.Tables("guests")
	if len(guests) != 2 {
		t.Fatalf("guests = %d tables", len(guests))
	}
	for _, g := range guests {
		var e string
		g.String("email", &e)
		g.Finish()
	}
	if sub := r.Table("sub"); sub == nil || sub.Int("n", &n) {
		t.Error("a float was read as an integer")
	}
	r.Finish()
	want := "content/a.md:4: big is out of range\n" +
		`content/a.md:10: unknown key "guests.extra"` + "\n" +
		"content/a.md:12: sub.n must be an integer, not a float"
	if got := doc.Problems().Error(); got != want {
		t.Fatalf("problems:\n%s\nwant:\n%s", got, want)
	}
	if l := doc.Line("nothing", "here"); l != 2 {
		t.Errorf("line of an unknown key = %d, want the first line of the document (2)", l)
	}
}

func TestParseTOMLSyntaxOffset(t *testing.T) {
	t.Parallel()
	_, err := ParseTOML("content/a.md", []byte("title = \"x\"\nweight = \n"), 1)
	if err == nil || err.Error() != "content/a.md:3: invalid TOML: expected value but found '\\n' instead" {
		t.Fatalf("err = %v", err)
	}
}
