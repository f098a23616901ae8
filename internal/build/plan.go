package build

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/render"
)

// plan is the audiences of a site and the distinct builds they share.
type plan struct {
	audiences []access.Audience
	builds    []*buildPlan
	byAud     []*buildPlan // parallel to audiences
}

// buildPlan is one distinct build: the audiences that share it, the pages
// they see (Visible, from the rules) and the pages it holds (r.Present).
type buildPlan struct {
	r         *render.Build
	kind      access.Kind
	visible   access.Set
	audiences []access.Audience
	files     int
}

// plan computes every audience's visible set and groups audiences of the
// same kind and set into one build. wanted are group combinations the
// gateway asked for.
func (s *site) plan(wanted [][]string) *plan {
	dir := s.acc.Directory
	dir.Combinations = append(slices.Clone(dir.Combinations), s.declaredOnly(wanted)...)
	auds := dir.Audiences(s.users)
	p := &plan{audiences: auds, byAud: make([]*buildPlan, len(auds))}
	byKey := map[string]*buildPlan{}
	used := map[string]bool{}
	for i, a := range auds {
		vis := s.rules.Visible(a.Identity)
		kind := a.Identity.Kind
		key := string(kind) + "\x00" + vis.String()
		bp := byKey[key]
		if bp == nil {
			bp = &buildPlan{kind: kind, visible: vis}
			bp.r = &render.Build{
				Dir:     dirName(a.ID, used),
				ID:      a.ID,
				Kind:    string(kind),
				Label:   s.label(a),
				Expires: s.acc.GuestExpires[a.Identity.Email],
				Present: s.present(vis),
			}
			byKey[key] = bp
			p.builds = append(p.builds, bp)
		} else if kind == access.Guest {
			// several guests share this build: the badge names none of them.
			bp.r.Label, bp.r.Expires = "Guest", ""
		}
		bp.audiences = append(bp.audiences, a)
		p.byAud[i] = bp
	}
	return p
}

// maxWanted bounds the combinations taken from wanted.json, so that a flood
// of odd group claims cannot multiply the builds.
const maxWanted = 64

// declaredOnly keeps, of each wanted combination, the declared groups (the
// others change no page's visibility) and drops combinations left with
// fewer than two groups.
func (s *site) declaredOnly(wanted [][]string) [][]string {
	var out [][]string
	for _, combo := range wanted {
		var c []string
		for _, g := range combo {
			if s.acc.Directory.HasGroup(g) {
				c = append(c, g)
			}
		}
		if len(c) >= 2 && len(out) < maxWanted {
			out = append(out, c)
		}
	}
	return out
}

// present derives the pages a build holds from the pages its audience may
// see: a generated section page is present only when something beneath it
// is; every other page exactly when visible.
func (s *site) present(vis access.Set) access.Set {
	pres := access.NewSet(len(s.tree.Pages))
	for _, pg := range s.tree.Pages {
		if !pg.Generated && vis.Has(pg.Index) {
			pres.Add(pg.Index)
		}
	}
	secs := s.tree.Sections
	below := make(map[*content.Section]bool, len(secs))
	for i := len(secs) - 1; i >= 0; i-- {
		sec := secs[i]
		holds := false
		for _, pg := range sec.Pages {
			holds = holds || pres.Has(pg.Index)
		}
		for _, sub := range sec.Sections {
			holds = holds || pres.Has(sub.Page.Index) || below[sub]
		}
		below[sec] = holds
		if holds && sec.Page.Generated {
			pres.Add(sec.Page.Index)
		}
	}
	return pres
}

// label is the badge text of an audience's build.
func (s *site) label(a access.Audience) string {
	switch {
	case a.ID == "anonymous":
		return "Public"
	case a.ID == "members":
		return "Members"
	case a.Identity.Kind == access.Guest:
		if a.Name != "" {
			return "Guest: " + a.Name
		}
		return "Guest: " + a.Identity.Email
	case strings.HasPrefix(a.ID, "user:"):
		return "Member: " + a.Identity.Email
	}
	var titles []string
	for _, g := range a.Identity.Groups {
		if t := s.acc.GroupTitles[g]; t != "" {
			titles = append(titles, t)
		} else {
			titles = append(titles, g)
		}
	}
	if len(titles) == 1 {
		return "Group: " + titles[0]
	}
	return "Groups: " + strings.Join(titles, " + ")
}

// dirName makes a unique folder name from an audience id.
func dirName(id string, used map[string]bool) string {
	var b strings.Builder
	for _, r := range strings.ToLower(id) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-.")
	if name == "" {
		name = "build"
	}
	base := name
	for n := 2; used[name]; n++ {
		name = base + "-" + strconv.Itoa(n)
	}
	used[name] = true
	return name
}

// readWanted reads the combinations the gateway recorded in the previous
// output; a missing or unreadable file means none.
func readWanted(out string) [][]string {
	b, err := os.ReadFile(filepath.Join(out, manifest.WantedFile))
	if err != nil {
		return nil
	}
	var w manifest.Wanted
	if json.Unmarshal(b, &w) != nil {
		return nil
	}
	return w.Combinations
}
