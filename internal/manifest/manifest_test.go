package manifest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/facet-docs/facet/internal/access"
)

// sample is a small published output: an anonymous build and a guest's.
func sample() (*Manifest, *Rules) {
	m := &Manifest{Generation: "g1", Built: "2026-11-29T00:00:00Z",
		Audiences: []Audience{{ID: "anonymous", Kind: "anonymous", Groups: []string{}, Dir: "anonymous"},
			{ID: "user:carol@partner.example", Kind: "guest", Email: "carol@partner.example", Groups: []string{"partners"}, Expires: "2026-12-31", Dir: "user-carol"}},
		Builds: []Build{{Dir: "anonymous", Pages: 1, Files: 9}, {Dir: "user-carol", Pages: 2, Files: 12}}}
	site := &access.Level{File: "config/site.toml", Line: 4, Closed: true,
		Entries: []access.Entry{{Key: "allow", Principal: access.Principal{Class: access.ClassMembers}, Line: 5}}}
	home := &access.Level{File: "content/_index.md", Line: 2, Closed: true,
		Entries: []access.Entry{{Key: "allow", Principal: access.Principal{Class: access.ClassAnyone}, Line: 3}}}
	partners := &access.Level{File: "content/partners/_index.md", Line: 2,
		Entries: []access.Entry{{Key: "grant", Principal: access.Principal{Class: access.ClassGroup, Name: "partners"}, Line: 4}}}
	anon, carol := access.NewSet(3), access.NewSet(3)
	anon.Add(0)
	carol.Add(0)
	carol.Add(2)
	r := &Rules{
		Pages:  []string{"/", "/handbook/", "/partners/"},
		Access: access.Rules{Chains: []access.Chain{{home, site}, {site}, {partners, site}}},
		Builds: []BuildSet{{Dir: "anonymous", Kind: access.Anonymous, Visible: anon}, {Dir: "user-carol", Kind: access.Guest, Visible: carol}},
		Directory: access.Directory{MemberDomains: []string{"example.com"}, Groups: []string{"eng", "partners"},
			Guests: []access.GuestEntry{{Email: "carol@partner.example", Name: "Carol", Groups: []string{"partners"},
				Expires: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}},
			Combinations: [][]string{{"eng", "partners"}}},
	}
	return m, r
}

func TestWriteRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	m, r := sample()
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
	if gr.Access.Chains[0][1] != gr.Access.Chains[1][0] {
		t.Error("a level shared by two chains is two values after reading")
	}
	if gen, err := ReadGeneration(dir); err != nil || gen != "g1" {
		t.Errorf("ReadGeneration = %q, %v", gen, err)
	}
}

// TestLoadRefuses damages one file of a good output at a time: each
// damage is refused, and the message says which file and what is wrong.
func TestLoadRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, from, to, want string
	}{
		{"rules from another build", RulesFile, `"generation": "g1"`, `"generation": "g2"`, `different builds (generations "g1" and "g2")`},
		{"manifest format", ManifestFile, `"format": 1`, `"format": 2`, "manifest.json: unsupported format 2"},
		{"rules format", RulesFile, `"format": 1`, `"format": 7`, "rules.json: unsupported format 7"},
		{"no generation", ManifestFile, `"generation": "g1"`, `"generation": ""`, "manifest.json: no generation"},
		{"broken manifest", ManifestFile, `"format": 1,`, `"format": 1`, "manifest.json: invalid character"},
		{"broken rules", RulesFile, `"levels": [`, `"levels": {`, "rules.json: invalid character"},
		{"unknown principal", RulesFile, `"principal": "members"`, `"principal": "staff"`, `rules.json: level 1 (config/site.toml): unknown principal "staff"`},
		{"invalid group", RulesFile, `"principal": "group:partners"`, `"principal": "group:"`, `rules.json: level 2 (content/partners/_index.md): invalid group name`},
		{"unknown key", RulesFile, `"key": "grant"`, `"key": "permit"`, `rules.json: level 2 (content/partners/_index.md): unknown key "permit"`},
		{"chain out of range", RulesFile, "\"chain\": [\n        0,", "\"chain\": [\n        9,", "rules.json: page /: level 9 out of range"},
		{"bad set", RulesFile, `"visible": "0100000000000000"`, `"visible": "xyz"`, `rules.json: build "anonymous": invalid page set "xyz"`},
		{"set beyond pages", RulesFile, `"visible": "0100000000000000"`, `"visible": "0900000000000000"`, `rules.json: build "anonymous": visible set names page 3 of 3`},
		{"escaping folder", RulesFile, `"dir": "user-carol"`, `"dir": "../carol"`, `rules.json: build "../carol": invalid build folder`},
		{"dot folder", RulesFile, `"dir": "user-carol"`, `"dir": ".carol"`, `rules.json: build ".carol": invalid build folder`},
		{"folder twice", RulesFile, `"dir": "user-carol"`, `"dir": "anonymous"`, `rules.json: build folder "anonymous" listed twice`},
		{"no anonymous build", RulesFile, `"dir": "anonymous"`, `"dir": "anon"`, "rules.json: no anonymous build"},
		{"unknown rules kind", RulesFile, `"kind": "guest"`, `"kind": "wizard"`, `rules.json: build "user-carol": unknown kind "wizard"`},
		{"audience in no build", ManifestFile, `"dir": "user-carol"`, `"dir": "user-dave"`, `manifest.json: audience user:carol@partner.example: unknown build folder "user-dave"`},
		{"unknown audience kind", ManifestFile, `"kind": "guest"`, `"kind": "wizard"`, `manifest.json: audience user:carol@partner.example: unknown kind "wizard"`},
		{"kinds disagree", ManifestFile, `"kind": "guest"`, `"kind": "member"`, "kind member, but build user-carol serves guest"},
		{"bad expiry", RulesFile, `"expires": "2027-01-01T00:00:00Z"`, `"expires": "2027-01-01"`, "rules.json: guest carol@partner.example: expires"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			m, r := sample()
			if err := Write(dir, m, r); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, tt.file)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), tt.from) {
				t.Fatalf("%s lacks %q:\n%s", tt.file, tt.from, b)
			}
			if err := os.WriteFile(path, []byte(strings.Replace(string(b), tt.from, tt.to, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, _, err := Read(dir); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Read = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func TestReadMissing(t *testing.T) {
	t.Parallel()
	if _, _, err := Read(t.TempDir()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("empty folder: %v, want fs.ErrNotExist", err)
	}
	if _, err := ReadGeneration(filepath.Join(t.TempDir(), "none")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("no folder: %v, want fs.ErrNotExist", err)
	}
}

// Write refuses rules whose pages and chains do not line up, and a chain
// with a missing level, rather than publishing rules the gateway would
// read differently.
func TestWriteRefusesMismatchedRules(t *testing.T) {
	t.Parallel()
	m, r := sample()
	r.Pages = r.Pages[:2]
	if err := Write(t.TempDir(), m, r); err == nil || !strings.Contains(err.Error(), "3 chains") {
		t.Errorf("pages without chains: %v", err)
	}
	m, r = sample()
	r.Access.Chains[1] = access.Chain{nil}
	if err := Write(t.TempDir(), m, r); err == nil || !strings.Contains(err.Error(), "page /handbook/: empty level") {
		t.Errorf("nil level: %v", err)
	}
}

// TestWriteEncoded holds that rules encoded once and written under
// several generations are, each time, the bytes Write writes, also when a
// value of the rules spells the mark that stands for the generation.
func TestWriteEncoded(t *testing.T) {
	t.Parallel()
	for _, mark := range []bool{false, true} {
		_, r := sample()
		if mark {
			r.Directory.Groups = append(r.Directory.Groups, genMark)
		}
		e, err := EncodeRules(r)
		if err != nil {
			t.Fatal(err)
		}
		if (e.rules != nil) != mark {
			t.Fatalf("mark in the rules %v, but encoded for each write %v", mark, e.rules != nil)
		}
		for _, gen := range []string{"1764500000000000000", "1764500000000000000-1", `q"uote\`, genMark} {
			want, got := t.TempDir(), t.TempDir()
			m, _ := sample()
			m.Generation = gen
			if err := Write(want, m, r); err != nil {
				t.Fatal(err)
			}
			m2, _ := sample()
			m2.Generation = gen
			if err := WriteEncoded(got, m2, e); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{RulesFile, ManifestFile} {
				a, _ := os.ReadFile(filepath.Join(want, name))
				b, _ := os.ReadFile(filepath.Join(got, name))
				if len(a) == 0 || string(a) != string(b) {
					t.Errorf("mark %v, generation %q: %s differs from Write's", mark, gen, name)
				}
			}
			if _, gr, err := Read(got); err != nil || gr.Generation != gen {
				t.Errorf("mark %v, generation %q: read back %v", mark, gen, err)
			}
		}
	}
}
