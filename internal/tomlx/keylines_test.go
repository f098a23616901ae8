package tomlx

import (
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/google/go-cmp/cmp"
)

func TestKeyLines(t *testing.T) {
	t.Parallel()
	text := `# comment
title = "x" # trailing
"quoted key" = 'v'
a.b . c = 1
multi = """
not = "a key"
[not.a.table]
"""
lit = '''
x = 1'''
arr = [
  "one", # comment ]
  "two",
  [1, 2],
]
inline = { k = "v", n.m = 2, arr = ["p", "q"] }
[access]
allow = ["group:eng",
   "user:bob@example.com"]
[[guests]]
email = "carol@partner.example"
[[guests]]
email = "dan@partner.example"
[guests.extra]
k = 1
[[guests.visits]]
when = 2026-01-01
[ 'lit key' . "q\"k" ]
z = true
`
	if _, err := toml.Decode(text, new(map[string]any)); err != nil {
		t.Fatalf("test document is not valid TOML: %v", err)
	}
	got := keyLines(text)
	want := map[string]int{
		"title": 2, "quoted key": 3, "a": 4, "a.b": 4, "a.b.c": 4,
		"multi": 5, "lit": 9,
		"arr": 11, "arr.0": 12, "arr.1": 13, "arr.2": 14, "arr.2.0": 14, "arr.2.1": 14,
		"inline": 16, "inline.k": 16, "inline.n": 16, "inline.n.m": 16,
		"inline.arr": 16, "inline.arr.0": 16, "inline.arr.1": 16,
		"access": 17, "access.allow": 18, "access.allow.0": 18, "access.allow.1": 19,
		"guests": 20, "guests.0": 20, "guests.0.email": 21,
		"guests.1": 22, "guests.1.email": 23, "guests.1.extra": 24, "guests.1.extra.k": 25,
		"guests.1.visits": 26, "guests.1.visits.0": 26, "guests.1.visits.0.when": 27,
		`lit key.q"k`: 28, `lit key.q"k.z`: 29,
	}
	readable := map[string]int{}
	for k, v := range got {
		readable[strings.ReplaceAll(k, sep, ".")] = v
	}
	if diff := cmp.Diff(want, readable); diff != "" {
		t.Fatalf("keyLines (-want +got):\n%s", diff)
	}
}

func FuzzKeyLines(f *testing.F) {
	for _, s := range []string{
		"a = 1\n[b]\nc = [1,\n2]\n",
		"[[x]]\ny = '''\nz'''\n",
		"k = \"\\\"\" # c\n",
		"a = {b = {c = [\"\\\n",
		"[",
		"\"",
		"x = \"\"\"\"\"\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		lines := keyLines(text)
		max := strings.Count(text, "\n") + 1
		for k, l := range lines {
			if l < 1 || l > max {
				t.Fatalf("key %q at line %d of a %d-line text", k, l, max)
			}
		}
	})
}
