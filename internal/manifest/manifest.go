// Package manifest owns what a build publishes beside its per-audience
// sites: manifest.json (audiences and where their builds are) and
// rules.json (the compiled rules the gateway needs to compute a signed-in
// identity's visible set), with wanted.json (group combinations the
// gateway served without an exact build, for the next build) and the JSON
// shape of /_facet/whoami (Whoami). None of the three files is ever served.
//
// It is the single owner of the compiled rules on disk: the build hands
// Write the access engine's values (Rules) and Load gives the same values
// back, checked, so the generator and the gateway cannot disagree on what
// the rules say. It imports only internal/access, whose values it stores;
// it knows nothing of how builds are made or served.
package manifest

import (
	"bytes"
	"encoding/json"
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

// Write writes both files into dir (a staging folder before publication):
// m as it is, r encoded as rules.json, both stamped with the format and
// m's generation.
func Write(dir string, m *Manifest, r *Rules) error {
	r.Generation = m.Generation
	e, err := EncodeRules(r)
	if err != nil {
		return err
	}
	return WriteEncoded(dir, m, e)
}

// EncodedRules is rules.json made once for any generation: publishing the
// same rules again under a new generation (a rebuild that changed page
// bodies alone) need not encode them again, which for a large site costs
// more than the rest of such a rebuild's publishing.
type EncodedRules struct {
	before, after []byte // the file around the generation's JSON string
	// rules is set instead when the generation's place could not be told
	// apart (a value of the rules spells the mark): encoded at each write.
	rules *Rules
}

// genMark stands for the generation while the rules are encoded.
const genMark = "\x00facet-generation\x00"

// EncodeRules encodes r (its Generation aside) as rules.json.
func EncodeRules(r *Rules) (*EncodedRules, error) {
	c := *r
	c.Generation = genMark
	b, err := rulesJSON(&c)
	if err != nil {
		return nil, err
	}
	mark, _ := json.Marshal(genMark)
	i := bytes.Index(b, mark)
	if i < 0 || bytes.Count(b, mark) != 1 {
		return &EncodedRules{rules: &c}, nil
	}
	return &EncodedRules{before: b[:i], after: b[i+len(mark):]}, nil
}

// rulesJSON is rules.json for r, as written.
func rulesJSON(r *Rules) ([]byte, error) {
	f, err := encodeRules(r)
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	return append(b, '\n'), nil
}

// WriteEncoded is Write with rules encoded before: it writes rules.json
// with m's generation, then manifest.json.
func WriteEncoded(dir string, m *Manifest, e *EncodedRules) error {
	m.Format = Format
	b, err := e.Bytes(m.Generation)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, RulesFile), b, 0o644); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	return writeJSON(filepath.Join(dir, ManifestFile), m)
}

// Bytes is rules.json as WriteEncoded writes it for generation gen.
func (e *EncodedRules) Bytes(gen string) ([]byte, error) {
	if e.rules != nil {
		c := *e.rules
		c.Generation = gen
		return rulesJSON(&c)
	}
	g, err := json.Marshal(gen)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	b := make([]byte, 0, len(e.before)+len(g)+len(e.after))
	return append(append(append(b, e.before...), g...), e.after...), nil
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
	// a shared one that names nobody ("members", "group:eng"); a member a
	// rule names is told the audience of their groups (access.OwnAudience),
	// never the "user:" audience the rule gives them; empty when the
	// build's audiences are other people's.
	Audience string `json:"audience,omitempty"`
	// Build is the build folder served; empty when none may be shown, and
	// for a build made for members that rules name ("member-1"), whose
	// number depends on which members the rules of every page name.
	Build string `json:"build,omitempty"`
	// Exact is false when no build matched the identity exactly and a
	// smaller one is served.
	Exact bool `json:"exact"`
	// Generation is the build generation being served.
	Generation string `json:"generation"`
}
