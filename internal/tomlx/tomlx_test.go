package tomlx

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
	doc, err := Parse("content/a.md", []byte(text), 1)
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

func TestParseSyntaxOffset(t *testing.T) {
	t.Parallel()
	_, err := Parse("content/a.md", []byte("title = \"x\"\nweight = \n"), 1)
	if err == nil || err.Error() != "content/a.md:3: invalid TOML: expected value but found '\\n' instead" {
		t.Fatalf("err = %v", err)
	}
}

func TestFinishSuggestsAskedKeys(t *testing.T) {
	t.Parallel()
	doc, err := Parse("config/site.toml", []byte(`titel = "T"
colour = "red"
[markdwn]
unsafe = true
[build]
verfy = false
`), 0)
	if err != nil {
		t.Fatal(err)
	}
	r := doc.Root()
	var s string
	var b bool
	r.String("title", &s) // absent: still a key the table knows
	if md := r.Table("markdown"); md != nil {
		t.Fatal("markdown read though only [markdwn] is written")
	}
	if bt := r.Table("build"); bt != nil {
		bt.Bool("verify", &b)
		bt.Finish()
	}
	r.Finish()
	want := `config/site.toml:1: unknown key "titel"; did you mean "title"?
config/site.toml:2: unknown key "colour"
config/site.toml:3: unknown key "markdwn"; did you mean "markdown"?
config/site.toml:6: unknown key "build.verfy"; did you mean "build.verify"?`
	if got := doc.Problems().Error(); got != want {
		t.Fatalf("problems:\n%s\nwant:\n%s", got, want)
	}
}

func TestRejectAndWrittenLine(t *testing.T) {
	t.Parallel()
	doc, err := Parse("config/gateway.toml", []byte("a = 1\n\n[t]\nsecret = \"x\"\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	r := doc.Root()
	if got := r.WrittenLine("a"); got != 1 {
		t.Errorf("WrittenLine(a) = %d, want 1", got)
	}
	if got := r.WrittenLine("absent"); got != 0 {
		t.Errorf("WrittenLine(absent) = %d, want 0", got)
	}
	if got := r.Unread(); !cmp.Equal(got, []string{"a", "t"}) {
		t.Errorf("Unread = %q, want [a t]", got)
	}
	tt := r.Table("t")
	if tt.Reject("password", "no") {
		t.Error("Reject of an absent key reported it set")
	}
	if !tt.Reject("secret", "%s: not in the file", tt.Name("secret")) {
		t.Error("Reject of a written key reported it absent")
	}
	tt.Finish()
	want := "config/gateway.toml:4: t.secret: not in the file"
	if got := doc.Problems().Error(); got != want {
		t.Fatalf("problems:\n%s\nwant:\n%s", got, want)
	}
}
