package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/access"
)

// Rules are a site's compiled rules as the access engine holds them: what a
// build publishes in rules.json and what the gateway and facet serve read
// back. encodeRules and decodeRules are the only translation between these
// values and the file, so the generator and the gateway cannot read the
// rules differently.
type Rules struct {
	// Generation matches the manifest the rules were published with.
	Generation string
	// Pages are the site's page URLs in access-set order.
	Pages []string
	// Access holds each page's chain, indexed like Pages. Levels shared by
	// several chains are shared values after a round trip too.
	Access access.Rules
	// Directory is the people part of config/access.toml.
	Directory access.Directory
	// Builds give each build folder's kind and visible set.
	Builds []BuildSet
}

// BuildSet is one build folder's kind and visible set.
type BuildSet struct {
	// Dir is the build folder relative to the output root.
	Dir string
	// Kind is the kind of the audiences sharing the build (anonymous,
	// member or guest); the gateway prefers a build of the identity's kind.
	Kind access.Kind
	// Visible is the set of pages the build's audiences may see.
	Visible access.Set
}

// rulesFile is rules.json as written: levels once each, pages naming
// their chain by level indexes, principals and sets as strings.
type rulesFile struct {
	Format     int           `json:"format"`
	Generation string        `json:"generation"`
	Levels     []levelFile   `json:"levels"`
	Pages      []pageFile    `json:"pages"`
	Builds     []buildFile   `json:"builds"`
	Directory  directoryFile `json:"directory"`
}

type levelFile struct {
	File    string      `json:"file"`
	Line    int         `json:"line,omitempty"`
	Closed  bool        `json:"closed"`
	Cascade bool        `json:"cascade,omitempty"`
	Entries []entryFile `json:"entries"`
}

type entryFile struct {
	Key       string `json:"key"` // allow, grant or deny
	Principal string `json:"principal"`
	Line      int    `json:"line,omitempty"`
}

type pageFile struct {
	URL   string `json:"url"`
	Chain []int  `json:"chain"` // indexes into levels, most specific first
}

type buildFile struct {
	Dir     string `json:"dir"`
	Kind    string `json:"kind"`
	Visible string `json:"visible"` // hex, as access.Set writes it
}

type directoryFile struct {
	MemberDomains []string    `json:"member_domains"`
	Groups        []string    `json:"groups"`
	Guests        []guestFile `json:"guests"`
	Combinations  [][]string  `json:"combinations,omitempty"`
}

type guestFile struct {
	Email  string   `json:"email"`
	Name   string   `json:"name,omitempty"`
	Groups []string `json:"groups"`
	// Expires is the first instant the guest is no longer valid, RFC 3339,
	// empty when never.
	Expires string `json:"expires,omitempty"`
}

// encodeRules turns compiled rules into rules.json's form.
func encodeRules(r *Rules) (*rulesFile, error) {
	if len(r.Pages) != len(r.Access.Chains) {
		return nil, fmt.Errorf("manifest: %d pages but %d chains", len(r.Pages), len(r.Access.Chains))
	}
	f := &rulesFile{Format: Format, Generation: r.Generation, Levels: []levelFile{}, Pages: []pageFile{}, Builds: []buildFile{}}
	index := map[*access.Level]int{}
	for i, chain := range r.Access.Chains {
		pf := pageFile{URL: r.Pages[i], Chain: []int{}}
		for _, l := range chain {
			if l == nil {
				return nil, fmt.Errorf("manifest: page %s: empty level in chain", r.Pages[i])
			}
			li, ok := index[l]
			if !ok {
				li = len(f.Levels)
				index[l] = li
				f.Levels = append(f.Levels, encodeLevel(l))
			}
			pf.Chain = append(pf.Chain, li)
		}
		f.Pages = append(f.Pages, pf)
	}
	for _, b := range r.Builds {
		f.Builds = append(f.Builds, buildFile{Dir: b.Dir, Kind: string(b.Kind), Visible: b.Visible.String()})
	}
	d := r.Directory
	f.Directory = directoryFile{MemberDomains: nonNil(d.MemberDomains), Groups: nonNil(d.Groups),
		Guests: []guestFile{}, Combinations: d.Combinations}
	for _, g := range d.Guests {
		gf := guestFile{Email: g.Email, Name: g.Name, Groups: nonNil(g.Groups)}
		if !g.Expires.IsZero() {
			gf.Expires = g.Expires.UTC().Format(time.RFC3339Nano)
		}
		f.Directory.Guests = append(f.Directory.Guests, gf)
	}
	return f, nil
}

func encodeLevel(l *access.Level) levelFile {
	lf := levelFile{File: l.File, Line: l.Line, Closed: l.Closed, Cascade: l.Cascade, Entries: []entryFile{}}
	for _, e := range l.Entries {
		lf.Entries = append(lf.Entries, entryFile{Key: e.Key, Principal: e.Principal.String(), Line: e.Line})
	}
	return lf
}

// decodeRules compiles rules.json back into the access engine's values,
// refusing anything a build cannot have written.
func decodeRules(f *rulesFile) (*Rules, error) {
	r := &Rules{Generation: f.Generation}
	levels := make([]*access.Level, len(f.Levels))
	for i, lf := range f.Levels {
		l, err := decodeLevel(lf)
		if err != nil {
			return nil, fmt.Errorf("level %d (%s): %w", i, lf.File, err)
		}
		levels[i] = l
	}
	r.Access.Chains = make([]access.Chain, len(f.Pages))
	r.Pages = make([]string, len(f.Pages))
	for i, pf := range f.Pages {
		chain := make(access.Chain, 0, len(pf.Chain))
		for _, li := range pf.Chain {
			if li < 0 || li >= len(levels) {
				return nil, fmt.Errorf("page %s: level %d out of range", pf.URL, li)
			}
			chain = append(chain, levels[li])
		}
		r.Pages[i], r.Access.Chains[i] = pf.URL, chain
	}
	for _, bf := range f.Builds {
		b, err := decodeBuild(bf, len(f.Pages))
		if err != nil {
			return nil, fmt.Errorf("build %q: %w", bf.Dir, err)
		}
		r.Builds = append(r.Builds, b)
	}
	d, err := decodeDirectory(&f.Directory)
	if err != nil {
		return nil, err
	}
	r.Directory = d
	return r, nil
}

func decodeLevel(lf levelFile) (*access.Level, error) {
	l := &access.Level{File: lf.File, Line: lf.Line, Closed: lf.Closed, Cascade: lf.Cascade}
	for _, e := range lf.Entries {
		if e.Key != "allow" && e.Key != "grant" && e.Key != "deny" {
			return nil, fmt.Errorf("unknown key %q", e.Key)
		}
		p, err := access.ParsePrincipal(e.Principal)
		if err != nil {
			return nil, err
		}
		l.Entries = append(l.Entries, access.Entry{Principal: p, Key: e.Key, Line: e.Line})
	}
	return l, nil
}

func decodeBuild(bf buildFile, pages int) (BuildSet, error) {
	if !validBuildDir(bf.Dir) {
		return BuildSet{}, errors.New("invalid build folder")
	}
	kind := access.Kind(bf.Kind)
	if kind != "" && !servable(kind) {
		return BuildSet{}, fmt.Errorf("unknown kind %q", bf.Kind)
	}
	set, err := access.ParseSet(bf.Visible)
	if err != nil {
		return BuildSet{}, err
	}
	for i := pages; i < 64*len(set); i++ {
		if set.Has(i) {
			return BuildSet{}, fmt.Errorf("visible set names page %d of %d", i, pages)
		}
	}
	return BuildSet{Dir: bf.Dir, Kind: kind, Visible: set}, nil
}

func decodeDirectory(df *directoryFile) (access.Directory, error) {
	d := access.Directory{Groups: nilIfEmpty(df.Groups), Combinations: df.Combinations}
	for _, dom := range df.MemberDomains {
		d.MemberDomains = append(d.MemberDomains, access.NormEmail(dom))
	}
	for _, g := range df.Guests {
		e := access.GuestEntry{Email: access.NormEmail(g.Email), Name: g.Name, Groups: nilIfEmpty(g.Groups)}
		if g.Expires != "" {
			t, err := time.Parse(time.RFC3339Nano, g.Expires)
			if err != nil {
				return access.Directory{}, fmt.Errorf("guest %s: expires: %w", g.Email, err)
			}
			e.Expires = t.UTC()
		}
		d.Guests = append(d.Guests, e)
	}
	return d, nil
}

// servable reports whether a build may be of kind k: outsiders are served
// the anonymous build and have none of their own.
func servable(k access.Kind) bool {
	return k == access.Anonymous || k == access.Member || k == access.Guest
}

// validBuildDir accepts a relative folder without dot segments.
func validBuildDir(dir string) bool {
	if !fs.ValidPath(dir) || dir == "." {
		return false
	}
	for seg := range strings.SplitSeq(dir, "/") {
		if strings.HasPrefix(seg, ".") {
			return false
		}
	}
	return true
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
