package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	m := &Manifest{Generation: "g1", Built: "2026-11-29T00:00:00Z",
		Audiences: []Audience{{ID: "anonymous", Kind: "anonymous", Groups: []string{}, Dir: "anonymous"},
			{ID: "user:carol@partner.example", Kind: "guest", Email: "carol@partner.example", Groups: []string{"partners"}, Expires: "2026-12-31", Dir: "user-carol"}},
		Builds: []Build{{Dir: "anonymous", Pages: 3, Files: 9}}}
	r := &Rules{
		Levels:    []Level{{File: "config/site.toml", Line: 4, Closed: true, Entries: []Entry{{Key: "allow", Principal: "members", Line: 5}}}},
		Pages:     []Page{{URL: "/", Chain: []int{0}}},
		Builds:    []BuildSet{{Dir: "anonymous", Kind: "anonymous", Visible: "0000000000000000"}},
		Directory: Directory{MemberDomains: []string{"example.com"}, Groups: []string{"eng"}, Guests: []Guest{{Email: "carol@partner.example", Groups: []string{"partners"}}}},
	}
	if err := Write(dir, m, r); err != nil {
		t.Fatal(err)
	}
	gm, gr, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, gm); diff != "" {
		t.Errorf("manifest (-wrote +read):\n%s", diff)
	}
	if diff := cmp.Diff(r, gr); diff != "" {
		t.Errorf("rules (-wrote +read):\n%s", diff)
	}
	if gm.Format != Format || gr.Generation != "g1" {
		t.Errorf("format %d generation %q", gm.Format, gr.Generation)
	}
}

func TestReadRejectsMixedOrBad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := Write(dir, &Manifest{Generation: "a"}, &Rules{}); err != nil {
		t.Fatal(err)
	}
	// rules.json from another build.
	b, _ := os.ReadFile(filepath.Join(dir, RulesFile))
	os.WriteFile(filepath.Join(dir, RulesFile), []byte(strings.Replace(string(b), `"generation": "a"`, `"generation": "b"`, 1)), 0o644)
	if _, _, err := Read(dir); err == nil || !strings.Contains(err.Error(), "different builds") {
		t.Errorf("mixed generations: %v", err)
	}
	os.WriteFile(filepath.Join(dir, ManifestFile), []byte(`{"format": 2}`), 0o644)
	if _, _, err := Read(dir); err == nil {
		t.Error("unknown format accepted")
	}
	os.WriteFile(filepath.Join(dir, ManifestFile), []byte(`{`), 0o644)
	if _, _, err := Read(dir); err == nil {
		t.Error("broken JSON accepted")
	}
	if _, _, err := Read(t.TempDir()); err == nil {
		t.Error("missing files accepted")
	}
}
