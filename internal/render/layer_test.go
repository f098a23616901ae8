package render

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestLayer(t *testing.T) {
	t.Parallel()
	under := fstest.MapFS{
		"layouts/page.html":    {Data: []byte("under page")},
		"layouts/section.html": {Data: []byte("under section")},
		"assets/facet.css":     {Data: []byte("under css")},
		"x/dir/y.txt":          {Data: []byte("under y")},
	}
	over := fstest.MapFS{
		"layouts/page.html": {Data: []byte("over page")},
		"assets/site.css":   {Data: []byte("over css")},
		"x/dir":             {Data: []byte("a file hiding a folder")},
	}
	l := Layer(over, under)
	if err := fstest.TestFS(l, "layouts/page.html", "layouts/section.html", "assets/facet.css", "assets/site.css", "x/dir"); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"layouts/page.html":    "over page",
		"layouts/section.html": "under section",
		"assets/site.css":      "over css",
		"x/dir":                "a file hiding a folder",
	} {
		got, err := fs.ReadFile(l, name)
		if err != nil || string(got) != want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := fs.ReadFile(l, "x/dir/y.txt"); err == nil {
		t.Errorf("a file of over does not hide under's folder")
	}
	var names []string
	entries, err := fs.ReadDir(l, "assets")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"facet.css", "site.css"}, names); diff != "" {
		t.Errorf("ReadDir(assets) (-want +got):\n%s", diff)
	}
	if _, err := l.Open("../etc"); err == nil {
		t.Errorf("Open(../etc) succeeded")
	}
	if Layer(nil, under) == nil || Layer(over, nil) == nil {
		t.Errorf("Layer with a nil layer returned nil")
	}
}
