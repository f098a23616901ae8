package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"
)

func TestCases(t *testing.T) { runCases(t, "testdata/*.txtar") }

// runCases runs every case file matching glob as a subtest. A case file
// holds input.md, hidden (destinations the resolver hides, one a line),
// want.html, and optionally options ("unsafe", "highlight"), resolves
// (the expected Resolve calls, "line dest" one a line) and headings
// ("title: T", then "level id text" one a line). A case with an errors
// section ("line: words of the message" one a line) expects Convert to
// refuse the input with exactly those errors, and needs no want.html.
func runCases(t *testing.T, glob string) {
	t.Helper()
	files, err := filepath.Glob(glob)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 25 {
		t.Fatalf("found %d case files, want at least 25", len(files))
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runCase(t, file)
		})
	}
}

func runCase(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sec := map[string]string{}
	for _, f := range ar.Files {
		sec[f.Name] = string(f.Data)
	}
	_, wantErr := sec["errors"]
	for _, need := range []string{"input.md", "want.html"} {
		if _, ok := sec[need]; !ok && !(wantErr && need == "want.html") {
			t.Fatalf("%s: no %s section", file, need)
		}
	}
	var o Options
	for _, w := range strings.Fields(sec["options"]) {
		switch w {
		case "unsafe":
			o.Unsafe = true
		case "highlight":
			o.Highlight = true
		default:
			t.Fatalf("%s: unknown option %q", file, w)
		}
	}
	r := newTestResolver(lines(sec["hidden"]))
	d, err := New(o).Convert([]byte(sec["input.md"]), r)
	if wantErr {
		checkRefusals(t, lines(sec["errors"]), err)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	d.Render(&got, r.visible, r.title)
	if diff := cmp.Diff(sec["want.html"], got.String()); diff != "" {
		t.Errorf("html mismatch (-want +got):\n%s", diff)
	}
	if !o.Unsafe && strings.Contains(got.String(), "style=") {
		t.Errorf("output has a style attribute:\n%s", got.String())
	}
	if want, ok := sec["resolves"]; ok {
		if diff := cmp.Diff(lines(want), r.calls); diff != "" {
			t.Errorf("Resolve calls mismatch (-want +got):\n%s", diff)
		}
	}
	if want, ok := sec["headings"]; ok {
		if diff := cmp.Diff(lines(want), describeHeadings(d)); diff != "" {
			t.Errorf("headings mismatch (-want +got):\n%s", diff)
		}
	}
	if diff := cmp.Diff(r.ids(), d.Targets()); diff != "" {
		t.Errorf("Targets mismatch (-want +got):\n%s", diff)
	}
}

// checkRefusals compares Convert's error with the expected "line: words"
// list: the same lines, in order, each message holding its words.
func checkRefusals(t *testing.T, want []string, err error) {
	t.Helper()
	var got Refused
	if !errors.As(err, &got) {
		t.Fatalf("Convert error = %v, want refusals %q", err, want)
	}
	if len(got) != len(want) {
		t.Errorf("got %d refusals, want %d:\n%v", len(got), len(want), err)
	}
	for i := range min(len(got), len(want)) {
		line, words, _ := strings.Cut(want[i], ":")
		if strconv.Itoa(got[i].Line) != line || !strings.Contains(got[i].Msg, strings.TrimSpace(words)) {
			t.Errorf("refusal %d = %d: %s; want %s", i, got[i].Line, got[i].Msg, want[i])
		}
	}
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func describeHeadings(d *Doc) []string {
	out := []string{strings.TrimSpace("title: " + d.Title)}
	for _, h := range d.Headings {
		out = append(out, fmt.Sprintf("%d %s %s", h.Level, h.ID, h.Text))
	}
	return out
}

// testSite is the prefix of absolute URLs the test resolver treats as the
// site's own: "https://site.test/a.md" is the same target as "a.md".
const testSite = "https://site.test/"

// testResolver maps every destination without a scheme (or under
// testSite), other than a pure fragment or a path containing "missing", to
// a target: the first path seen is target 0, the next 1, and so on. A page
// path (*.md or /…/) becomes "/site/<path without .md>/", anything else
// "/files/<path>"; the #fragment or ?query is kept.
type testResolver struct {
	hidden  map[string]bool
	targets map[string]int
	paths   []string
	calls   []string
}

func newTestResolver(hidden []string) *testResolver {
	r := &testResolver{hidden: map[string]bool{}, targets: map[string]int{}}
	for _, h := range hidden {
		r.hidden[h] = true
	}
	return r
}

func (r *testResolver) Resolve(dest string, line int) (string, int, bool) {
	r.calls = append(r.calls, strconv.Itoa(line)+" "+dest)
	path, rest, ok := r.split(dest)
	if !ok {
		return "", 0, false
	}
	id, ok := r.targets[path]
	if !ok {
		id = len(r.paths)
		r.targets[path] = id
		r.paths = append(r.paths, path)
	}
	clean := strings.Trim(strings.TrimPrefix(path, "./"), "/")
	if strings.HasSuffix(path, ".md") || strings.HasSuffix(path, "/") {
		return "/site/" + strings.TrimSuffix(clean, ".md") + "/" + rest, id, true
	}
	return "/files/" + clean + rest, id, true
}

// split cuts dest into its path and "#fragment" or "?query", and reports
// whether the path is internal.
func (r *testResolver) split(dest string) (path, rest string, ok bool) {
	path = dest
	if p, ok := strings.CutPrefix(path, testSite); ok {
		path = p
	}
	if i := strings.IndexAny(path, "#?"); i >= 0 {
		path, rest = path[:i], path[i:]
	}
	if path == "" || strings.Contains(path, ":") || strings.HasPrefix(path, "//") ||
		strings.Contains(path, "missing") {
		return "", "", false
	}
	return path, rest, true
}

// Names implements Resolver: an internal path names a target when it
// holds a slash or ends in a file extension ("a.md", "x/", not "1.5").
func (r *testResolver) Names(ref string) bool {
	p, _, ok := r.split(ref)
	ext := strings.TrimPrefix(filepath.Ext(p), ".")
	return ok && (strings.Contains(p, "/") || ext != "" && strings.Trim(ext, "abcdefghijklmnopqrstuvwxyz") == "")
}

func (r *testResolver) visible(target int) bool {
	return target >= 0 && target < len(r.paths) && !r.hidden[r.paths[target]]
}

func (r *testResolver) title(target int) string {
	return "Title of " + r.paths[target]
}

func (r *testResolver) ids() []int {
	var out []int
	for i := range r.paths {
		out = append(out, i)
	}
	return out
}
