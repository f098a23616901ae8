// Package manifest reads and writes what a build publishes beside its
// per-audience sites: manifest.json (audiences and where their builds are)
// and rules.json (the compiled rules the gateway needs to compute a
// signed-in identity's visible set). Neither file is ever served.
//
// It imports nothing of facet's: rules are stored as plain strings and
// compiled by the reader (see access.ParsePrincipal).
package manifest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Format is the version of both files this package writes.
const Format = 1

// File names in the output root.
const (
	ManifestFile = "manifest.json"
	RulesFile    = "rules.json"
	// WantedFile records group combinations the gateway served without an
	// exact build, so that the next build adds them.
	WantedFile = "wanted.json"
)

// WantedFor is how long a combination stays wanted after the gateway last
// served it without an exact build: builds keep building it until then and
// drop it after.
const WantedFor = 30 * 24 * time.Hour

// Wanted is wanted.json. The gateway writes it into the published output;
// each build reads it from the output it replaces and carries the
// combinations still wanted into the new one.
type Wanted struct {
	// Combinations are the wanted group sets, sorted.
	Combinations []WantedCombination `json:"combinations"`
}

// WantedCombination is one combination of wanted.json.
type WantedCombination struct {
	// Groups is the sorted group set of members served a smaller build.
	Groups []string `json:"groups"`
	// LastWanted is when the gateway last served it without an exact
	// build, RFC 3339; empty in the older form (a bare list of groups),
	// which a build reads as wanted at its own time.
	LastWanted string `json:"last_wanted,omitempty"`
}

// UnmarshalJSON reads a combination in either form: an object, or the
// older bare list of groups.
func (c *WantedCombination) UnmarshalJSON(b []byte) error {
	var groups []string
	if json.Unmarshal(b, &groups) == nil {
		*c = WantedCombination{Groups: groups}
		return nil
	}
	type plain WantedCombination
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*c = WantedCombination(p)
	return nil
}

// Touch records groups as wanted at now: an existing entry's time is
// updated, a new one added; the list stays sorted by groups.
func (w *Wanted) Touch(groups []string, now time.Time) {
	at := now.UTC().Format(time.RFC3339)
	for i := range w.Combinations {
		if slices.Equal(w.Combinations[i].Groups, groups) {
			w.Combinations[i].LastWanted = at
			return
		}
	}
	w.Combinations = append(w.Combinations, WantedCombination{Groups: slices.Clone(groups), LastWanted: at})
	w.Sort()
}

// Sort orders the combinations by their groups.
func (w *Wanted) Sort() {
	slices.SortFunc(w.Combinations, func(a, b WantedCombination) int { return slices.Compare(a.Groups, b.Groups) })
}

// Manifest is manifest.json.
type Manifest struct {
	Format int `json:"format"`
	// Generation identifies this publication; it changes on every build.
	Generation string `json:"generation"`
	// Built is the build time, RFC 3339.
	Built string `json:"built"`
	// Audiences lists every audience and its build folder.
	Audiences []Audience `json:"audiences"`
	// Builds lists every distinct build folder.
	Builds []Build `json:"builds"`
}

// Audience is one audience of manifest.json.
type Audience struct {
	ID     string   `json:"id"`
	Kind   string   `json:"kind"`
	Email  string   `json:"email,omitempty"`
	Name   string   `json:"name,omitempty"`
	Groups []string `json:"groups"`
	// Expires is a guest's expiry as written in config ("2026-12-31" or an
	// RFC 3339 time), empty when none.
	Expires string `json:"expires,omitempty"`
	// Dir is the build folder relative to the output root.
	Dir string `json:"dir"`
}

// Build is one distinct build folder.
type Build struct {
	Dir string `json:"dir"`
	// Pages is the number of pages in the build.
	Pages int `json:"pages"`
	// Files is the number of files in the build.
	Files int `json:"files"`
}

// Rules is rules.json: the compiled rules of the site.
type Rules struct {
	Format int `json:"format"`
	// Generation matches the manifest it was written with.
	Generation string `json:"generation"`
	// Levels are every [access] level of the site.
	Levels []Level `json:"levels"`
	// Pages are the site's pages in access-set order.
	Pages []Page `json:"pages"`
	// Builds give each build folder's visible set.
	Builds []BuildSet `json:"builds"`
	// Directory is the people part of config/access.toml.
	Directory Directory `json:"directory"`
}

// Level is one [access] table.
type Level struct {
	File    string  `json:"file"`
	Line    int     `json:"line,omitempty"`
	Closed  bool    `json:"closed"`
	Entries []Entry `json:"entries"`
}

// Entry is one principal of a level.
type Entry struct {
	Key       string `json:"key"` // allow, grant or deny
	Principal string `json:"principal"`
	Line      int    `json:"line,omitempty"`
}

// Page is one page's URL and chain (indexes into Rules.Levels, most
// specific first).
type Page struct {
	URL   string `json:"url"`
	Chain []int  `json:"chain"`
}

// BuildSet is the visible set of a build folder, hex as access.Set writes it.
type BuildSet struct {
	Dir string `json:"dir"`
	// Kind is the kind of the audiences sharing the build (anonymous,
	// member or guest); the gateway prefers a build of the identity's kind.
	Kind    string `json:"kind"`
	Visible string `json:"visible"`
}

// Directory is config/access.toml's people, as the gateway needs them.
type Directory struct {
	MemberDomains []string   `json:"member_domains"`
	Groups        []string   `json:"groups"`
	Guests        []Guest    `json:"guests"`
	Combinations  [][]string `json:"combinations,omitempty"`
}

// Guest is one declared guest.
type Guest struct {
	Email  string   `json:"email"`
	Name   string   `json:"name,omitempty"`
	Groups []string `json:"groups"`
	// Expires is the first instant the guest is no longer valid, RFC 3339,
	// empty when never.
	Expires string `json:"expires,omitempty"`
}

// Read loads manifest.json and rules.json from the output root and checks
// that they belong to the same generation.
func Read(root string) (*Manifest, *Rules, error) {
	var m Manifest
	if err := readJSON(filepath.Join(root, ManifestFile), &m); err != nil {
		return nil, nil, err
	}
	var r Rules
	if err := readJSON(filepath.Join(root, RulesFile), &r); err != nil {
		return nil, nil, err
	}
	if m.Format != Format || r.Format != Format {
		return nil, nil, fmt.Errorf("manifest: unsupported format %d/%d (want %d)", m.Format, r.Format, Format)
	}
	if m.Generation != r.Generation {
		return nil, nil, errors.New("manifest: manifest.json and rules.json are from different builds")
	}
	return &m, &r, nil
}

// Write writes both files into dir (a staging folder before publication).
func Write(dir string, m *Manifest, r *Rules) error {
	m.Format, r.Format = Format, Format
	r.Generation = m.Generation
	if err := writeJSON(filepath.Join(dir, RulesFile), r); err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, ManifestFile), m)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("manifest: %s: %w", path, err)
	}
	return nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	b = append(b, '\n')
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	return nil
}

// Whoami is the JSON of /_facet/whoami, answered by the gateway and by
// facet serve alike: who the server takes the person to be and which build
// they are served. It never holds a token or secret, nor anything of
// another person: builds are shared, so a person's own name and expiry
// come from here, at request time, and never from a build file (the
// theme's badge fetches them).
type Whoami struct {
	Kind   string   `json:"kind"`
	Email  string   `json:"email,omitempty"`
	Groups []string `json:"groups"`
	// Name is a guest's name from config/access.toml, empty otherwise.
	Name string `json:"name,omitempty"`
	// Expires is the first instant a guest is no longer valid, RFC 3339,
	// empty for everyone else and for a guest without expiry.
	Expires string `json:"expires,omitempty"`
	// Audience is the audience id the person is served as: their own, or
	// a shared one that names nobody ("members", "group:eng"); empty when
	// the build's audiences are other people's.
	Audience string `json:"audience,omitempty"`
	// Build is the build folder served, empty when none may be shown.
	Build string `json:"build,omitempty"`
	// Exact is false when no build matched the identity exactly and a
	// smaller one is served.
	Exact bool `json:"exact"`
	// Generation is the build generation being served.
	Generation string `json:"generation"`
}
