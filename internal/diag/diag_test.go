package diag

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

func TestErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{File: "content/a.md", Line: 3, Msg: "unknown key \"x\""}, `content/a.md:3: unknown key "x"`},
		{&Error{File: "config/site.toml", Msg: "missing"}, "config/site.toml: missing"},
		{&Error{Msg: "no file"}, "no file"},
		{&Error{File: "content/b.md", Line: 1, Err: fs.ErrNotExist}, "content/b.md:1: file does not exist"},
		{Errorf("content/c.md", 9, "read: %w", fs.ErrPermission), "content/c.md:9: read: permission denied"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestErrorUnwrap(t *testing.T) {
	t.Parallel()
	e := Errorf("content/c.md", 2, "open: %w", fs.ErrNotExist)
	if !errors.Is(e, fs.ErrNotExist) {
		t.Fatalf("errors.Is(%v, fs.ErrNotExist) = false", e)
	}
	if Errorf("a", 1, "plain").Unwrap() != nil {
		t.Fatal("Unwrap of a plain message is not nil")
	}
}

func TestListSortsAndJoins(t *testing.T) {
	t.Parallel()
	var l List
	if l.Err() != nil {
		t.Fatal("empty list gives an error")
	}
	l.Addf("content/b.md", 2, "b2")
	l.Addf("content/a.md", 10, "a10")
	l.Addf("content/a.md", 2, "a2 first")
	l.Addf("content/a.md", 2, "a2 second")
	l.Addf("config/site.toml", 0, "whole file")
	want := "config/site.toml: whole file\n" +
		"content/a.md:2: a2 first\n" +
		"content/a.md:2: a2 second\n" +
		"content/a.md:10: a10\n" +
		"content/b.md:2: b2"
	if got := l.Error(); got != want {
		t.Fatalf("Error() =\n%s\nwant\n%s", got, want)
	}
	err := l.Err()
	if err == nil || err.Error() != want {
		t.Fatalf("Err() = %v", err)
	}
	var back List
	if !errors.As(err, &back) || len(back) != 5 || back[0].File != "config/site.toml" {
		t.Fatalf("errors.As(List) = %v", back)
	}
}

func TestListAppend(t *testing.T) {
	t.Parallel()
	var inner List
	inner.Addf("content/x.md", 4, "inner")
	var l List
	l.Append(nil)
	l.Append(inner)
	l.Append(fmt.Errorf("wrapped: %w", Errorf("content/y.md", 1, "pos")))
	l.Append(errors.New("plain"))
	want := "plain\ncontent/x.md:4: inner\ncontent/y.md:1: pos"
	if got := l.Error(); got != want {
		t.Fatalf("Error() =\n%s\nwant\n%s", got, want)
	}
	if !errors.Is(l.Err(), l[2]) {
		t.Fatal("errors.Is does not see list members")
	}
}

func TestFrom(t *testing.T) {
	t.Parallel()
	one := Errorf("content/a.md", 3, "bad")
	two := List{one, Errorf("content/b.md", 1, "worse")}
	tests := []struct {
		name string
		err  error
		want int // problems, -1 for nil
	}{
		{"list", two, 2},
		{"wrapped list", fmt.Errorf("load: %w", two), 2},
		{"error", one, 1},
		{"wrapped error", fmt.Errorf("load: %w", one), 1},
		{"other", errors.New("disk on fire"), -1},
		{"cancelled", context.Canceled, -1},
		{"nil", nil, -1},
	}
	for _, tt := range tests {
		got := From(tt.err)
		if tt.want < 0 {
			if got != nil {
				t.Errorf("%s: From = %v, want nil", tt.name, got)
			}
			continue
		}
		if len(got) != tt.want || got[0] != one {
			t.Errorf("%s: From = %v, want %d problems starting with %v", tt.name, got, tt.want, one)
		}
	}
}
