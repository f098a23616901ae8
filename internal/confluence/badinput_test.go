package confluence

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeExport writes an unzipped export holding the given files.
func writeExport(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestImportBadInput: every bad export is an error that names the
// problem (with entities.xml:LINE where there is one), and nothing is
// left behind: no site, no temporary folder.
func TestImportBadInput(t *testing.T) {
	t.Parallel()
	fixture, err := os.ReadFile("testdata/space/entities.xml")
	if err != nil {
		t.Fatal(err)
	}
	cut := string(fixture[:strings.Index(string(fixture), "<object class=\"BodyContent\"")+200])
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"no entities.xml", map[string]string{"exportDescriptor.properties": "x"}, []string{"not a Confluence XML space export", "no entities.xml"}},
		{"HTML export", map[string]string{"index.html": "<html></html>"}, []string{"this is an HTML export", "export the space again as XML"}},
		{"truncated", map[string]string{"entities.xml": cut}, []string{"entities.xml:", "malformed XML"}},
		{"mismatched tags", map[string]string{"entities.xml": "<hibernate-generic>\n<object class=\"Page\">\n<id name=\"id\">1</id>\n</property>\n</object>\n</hibernate-generic>\n"},
			[]string{"entities.xml:4: malformed XML"}},
		{"other root", map[string]string{"entities.xml": "<?xml version=\"1.0\"?>\n<backup/>\n"}, []string{"entities.xml:2:", "not <hibernate-generic>"}},
		{"no space", map[string]string{"entities.xml": "<hibernate-generic>\n<object class=\"Page\"><id name=\"id\">1</id></object>\n</hibernate-generic>\n"},
			[]string{"no Space object"}},
		{"empty file", map[string]string{"entities.xml": ""}, []string{"no <hibernate-generic> root element"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			export := writeExport(t, c.files)
			parent := t.TempDir()
			into := filepath.Join(parent, "site")
			_, err := Import(context.Background(), Options{Export: export, Into: into})
			if err == nil {
				t.Fatal("import succeeded")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if ents, _ := os.ReadDir(parent); len(ents) != 0 {
				t.Errorf("a failed import left %v behind", ents)
			}
		})
	}
}

func TestImportRefusesNonEmptyInto(t *testing.T) {
	t.Parallel()
	into := t.TempDir()
	keep := filepath.Join(into, "notes.md")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Import(context.Background(), Options{Export: "testdata/space", Into: into})
	if !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("got %v, want ErrNotEmpty", err)
	}
	if data, _ := os.ReadFile(keep); string(data) != "mine" {
		t.Error("the folder's file changed")
	}
	// an empty folder is fine
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(context.Background(), Options{Export: "testdata/space", Into: empty}); err != nil {
		t.Fatalf("import into an empty folder: %v", err)
	}
}

func TestImportNotAZip(t *testing.T) {
	t.Parallel()
	export := filepath.Join(t.TempDir(), "export.zip")
	if err := os.WriteFile(export, []byte("not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Import(context.Background(), Options{Export: export, Into: filepath.Join(t.TempDir(), "s")})
	if err == nil || !strings.Contains(err.Error(), "not a zip file or folder") {
		t.Fatalf("got %v", err)
	}
}
