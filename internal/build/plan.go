package build

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/render"
)

// plan is the audiences of a site and the distinct builds they share.
type plan struct {
	audiences []access.Audience
	builds    []*buildPlan
	byAud     []*buildPlan // parallel to audiences
	// users lists, by attachment, the pages and files that refer to it.
	users uses
}

// buildPlan is one distinct build: the audiences that share it, the pages
// they see (Visible, from the rules), the pages it holds (r.Present) and
// the attachments it holds (atts, by position in tree.Attachments).
type buildPlan struct {
	r         *render.Target
	kind      access.Kind
	visible   access.Set
	down      access.Set // visible, less sections seen only by [page_access]
	atts      access.Set
	audiences []access.Audience
	files     int
	// replay, when set, is where a rebuild reads the build back from
	// instead of rendering it (rebuild_reuse.go).
	replay *readBack
	reused bool // read back, not rendered
}

// plan plans every audience, guests expired or not, for the reports: what
// each audience has (an expired guest: had while valid). Builds that exist
// now are named as Build names them; builds only expired guests have take
// the next free names.
func (s *loadedSite) plan(wanted [][]string) *plan {
	return s.reportPlan(wanted, time.Now())
}

// reportPlan is plan with the clock at now.
func (s *loadedSite) reportPlan(wanted [][]string, now time.Time) *plan {
	return s.planFor(wanted, now, true)
}

// planAt computes every audience's visible set and groups audiences of
// the same kind and set into one build. wanted are group combinations the
// gateway asked for. A guest expired at now gets no audience (the gateway
// serves them as an outsider); a zero now keeps every guest.
func (s *loadedSite) planAt(wanted [][]string, now time.Time) *plan {
	return s.planFor(wanted, now, false)
}

// planFor plans the audiences, those of guests expired at now included
// when keepExpired is set.
//
// No build file names a person: a build's folder name and badge are made
// from its kind and groups, never from an audience's email or name, even
// when one person alone has the build today (another may share it
// tomorrow). A person's own name and expiry come from the gateway at
// request time.
func (s *loadedSite) planFor(wanted [][]string, now time.Time, keepExpired bool) *plan {
	dir := s.acc.Directory
	dir.Combinations = append(slices.Clone(dir.Combinations), s.declaredOnly(wanted)...)
	users := s.users
	if !keepExpired && !now.IsZero() {
		dir.Guests, users = unexpired(dir.Guests, users, now)
	}
	auds := dir.Audiences(users)
	p := &plan{audiences: auds, byAud: make([]*buildPlan, len(auds)), users: s.attachmentUsers()}
	byKey := map[string]*buildPlan{}
	for i, a := range auds {
		vis := s.rules.Visible(a.Identity)
		kind := a.Identity.Kind
		down := slices.Clone(vis)
		s.passedDown(down, a.Identity)
		label := s.label(a)
		key := shareKey(kind, vis, down, label)
		bp := byKey[key]
		if kind != access.Member || !strings.HasPrefix(a.ID, "user:") {
			// Every audience but a member's that a rule names has a build
			// of its own, named after it alone (its id, or "guest-N" by
			// the guest's place among the declared guests): the gateway's
			// whoami says the folder, which must not tell who else sees
			// the same pages. A member a rule names exists as an audience
			// because of that rule, maybe in a page hidden from them: they
			// join the first build of their key, "members" when they see
			// what members see.
			bp = nil
		}
		if bp == nil {
			pres := s.present(vis)
			bp = &buildPlan{kind: kind, visible: vis, down: down}
			bp.r = &render.Target{Kind: string(kind), Present: pres, Label: label}
			if byKey[key] == nil {
				byKey[key] = bp
			}
			p.builds = append(p.builds, bp)
		}
		bp.audiences = append(bp.audiences, a)
		p.byAud[i] = bp
	}
	for _, bp := range p.builds {
		bp.atts = s.heldAttachments(bp.visible, bp.down, bp.r.Present, p.users)
	}
	p.name(now)
	var who *render.WhoCanSee
	if s.cfg.Build.WhoCanSee {
		who = s.whoCanSee(now)
	}
	for _, bp := range p.builds {
		if bp.kind == access.Member {
			bp.r.WhoCanSee = who
		}
	}
	return p
}

// name gives each build its folder, in the order of the audiences: first
// those valid at now (so a build is named as it would be without the
// expired guests), then the expired guests' own builds.
func (p *plan) name(now time.Time) {
	used := map[string]bool{}
	for _, expired := range []bool{false, true} {
		for i, a := range p.audiences {
			bp := p.byAud[i]
			if bp.r.Dir != "" || (access.GuestEntry{Expires: a.Expires}.Expired(now)) != expired {
				continue
			}
			bp.r.Dir = buildDir(a, used)
		}
	}
}

// expiredOnly reports whether every audience of a build is a guest
// expired at now: such a build is planned for the reports, never written.
func (bp *buildPlan) expiredOnly(now time.Time) bool {
	for _, a := range bp.audiences {
		if !(access.GuestEntry{Expires: a.Expires}.Expired(now)) {
			return false
		}
	}
	return true
}

// unexpired drops the guests expired at now, and their emails from the
// users named in rules (an expired guest is an outsider, never a member).
func unexpired(guests []access.GuestEntry, users []string, now time.Time) ([]access.GuestEntry, []string) {
	var keep []access.GuestEntry
	gone := map[string]bool{}
	for _, g := range guests {
		if g.Expired(now) {
			gone[g.Email] = true
		} else {
			keep = append(keep, g)
		}
	}
	if len(gone) == 0 {
		return guests, users
	}
	var us []string
	for _, u := range users {
		if !gone[access.NormEmail(u)] {
			us = append(us, u)
		}
	}
	return keep, us
}

// maxWanted bounds the combinations taken from wanted.json, so that a flood
// of odd group claims cannot multiply the builds.
const maxWanted = 64

// declaredOnly keeps, of each wanted combination, the declared groups (the
// others change no page's visibility) and drops combinations left with
// fewer than two groups.
func (s *loadedSite) declaredOnly(wanted [][]string) [][]string {
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
// see: every page but a generated one exactly when visible. A generated
// section page is present only when the build shows the folder's URL
// already: it holds a page beneath whose URL lies under the folder's, or a
// section page beneath; a page that set its own url to keep a hidden
// section's name out of the build (ACCESS.md) does not bring it back
// through a generated page of a folder above it. Where a section's
// _index.md is hidden, the page standing in for it
// (content.Section.Standin) is present by the same rule, so that the
// folder looks as a folder without _index.md does.
func (s *loadedSite) present(vis access.Set) access.Set {
	pres := access.NewSet(len(s.tree.Pages))
	for _, pg := range s.tree.Pages {
		if !pg.Generated && vis.Has(pg.Index) {
			pres.Add(pg.Index)
		}
	}
	secs := s.tree.Sections
	for i := len(secs) - 1; i >= 0; i-- {
		sec := secs[i]
		url := false
		for _, pg := range sec.Pages {
			url = url || pres.Has(pg.Index) && strings.HasPrefix(pg.URL, sec.URL)
		}
		for _, sub := range sec.Sections {
			// a section's URL is its folder's, under its parent's
			url = url || pres.Has(sub.Page.Index) || sub.Standin != nil && pres.Has(sub.Standin.Index)
		}
		switch {
		case !url:
		case sec.Page.Generated:
			pres.Add(sec.Page.Index)
		case sec.Standin != nil && !pres.Has(sec.Page.Index):
			pres.Add(sec.Standin.Index)
		}
	}
	return pres
}

// shareKey is what audiences must have in common to share one build:
// everything a build's files are made from that differs between
// audiences. Which audiences share a build depends on every page's rules,
// hidden pages' too, so nothing in a build may depend on the sharing
// itself: the kind, the visible set, the pages whose sections pass their
// files down (down) and the badge are each audience's own, and two
// audiences share a build only when all of them are equal and one of them
// is a member a rule names (planFor).
func shareKey(kind access.Kind, vis, down access.Set, label string) string {
	return string(kind) + "\x00" + vis.String() + "\x00" + down.String() + "\x00" + label
}

// label is the badge text of an audience's build, made from its kind and
// its own groups alone, never from the other audiences that share the
// build (a page hidden from the audience decides which those are), nor
// from a person: "Public", "Members" (members in no group, a member named
// in a rule too, who cannot tell from the badge that a rule names them),
// "Group: Engineering", "Groups: Engineering + Staff", "Guest" or
// "Guest · Partners". Audiences share a build only when their badges are
// equal (shareKey), so a badge never names a group a reader lacks.
func (s *loadedSite) label(a access.Audience) string {
	titles := s.groupTitles(a.Identity.Groups)
	switch a.Identity.Kind {
	case access.Anonymous:
		return "Public"
	case access.Guest:
		if len(titles) == 0 {
			return "Guest"
		}
		return "Guest · " + strings.Join(titles, ", ")
	}
	switch len(titles) {
	case 0:
		return "Members"
	case 1:
		return "Group: " + titles[0]
	}
	return "Groups: " + strings.Join(titles, " + ")
}

// groupTitles maps group names to their titles.
func (s *loadedSite) groupTitles(groups []string) []string {
	var titles []string
	for _, g := range groups {
		if t := s.acc.GroupTitles[g]; t != "" {
			titles = append(titles, t)
		} else {
			titles = append(titles, g)
		}
	}
	return titles
}

// buildDir names the folder of the build whose first audience is a. A
// person's audience ("user:EMAIL") gets its kind and a number ("guest-1",
// "member-1"): the name is shown by the gateway's whoami and must not
// name the person. Others are named after their id.
func buildDir(a access.Audience, used map[string]bool) string {
	if !strings.HasPrefix(a.ID, "user:") {
		return dirName(a.ID, used)
	}
	for n := 1; ; n++ {
		name := string(a.Identity.Kind) + "-" + strconv.Itoa(n)
		if !used[name] {
			used[name] = true
			return name
		}
	}
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

// readWanted reads the combinations the gateway recorded in the output a
// build replaces; a missing or unreadable file means none.
func readWanted(out string) []manifest.WantedCombination {
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

// stillWanted keeps, of the wanted combinations, those last wanted within
// manifest.WantedFor of now (an entry without a time counts as wanted now,
// one with a time that does not parse is dropped), each reduced to its
// declared groups (see declaredOnly); duplicates keep their latest time,
// and at most maxWanted are kept, the most recently wanted first.
func (s *loadedSite) stillWanted(in []manifest.WantedCombination, now time.Time) *manifest.Wanted {
	latest := map[string]manifest.WantedCombination{}
	when := map[string]time.Time{}
	for _, c := range in {
		t := now
		if c.LastWanted != "" {
			var err error
			if t, err = time.Parse(time.RFC3339, c.LastWanted); err != nil {
				continue
			}
		}
		if now.Sub(t) > manifest.WantedFor {
			continue
		}
		groups := s.declaredOnly([][]string{c.Groups})
		if len(groups) == 0 {
			continue
		}
		key := strings.Join(groups[0], "\x00")
		if old, ok := when[key]; ok && !t.After(old) {
			continue
		}
		when[key] = t
		latest[key] = manifest.WantedCombination{Groups: groups[0], LastWanted: t.UTC().Format(time.RFC3339)}
	}
	w := &manifest.Wanted{}
	for _, c := range latest {
		w.Combinations = append(w.Combinations, c)
	}
	slices.SortFunc(w.Combinations, func(a, b manifest.WantedCombination) int {
		ta, tb := when[strings.Join(a.Groups, "\x00")], when[strings.Join(b.Groups, "\x00")]
		if c := tb.Compare(ta); c != 0 {
			return c
		}
		return slices.Compare(a.Groups, b.Groups)
	})
	if len(w.Combinations) > maxWanted {
		w.Combinations = w.Combinations[:maxWanted]
	}
	w.Sort()
	return w
}

// wantedGroups lists the combinations' group sets.
func wantedGroups(w *manifest.Wanted) [][]string {
	var out [][]string
	for _, c := range w.Combinations {
		out = append(out, c.Groups)
	}
	return out
}

// writeWanted carries the combinations still wanted into the staged
// output (dir), so that the gateway's record survives publishing; none
// writes no file.
func writeWanted(dir string, w *manifest.Wanted) error {
	if len(w.Combinations) == 0 {
		return nil
	}
	b, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return fmt.Errorf("encode wanted: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, manifest.WantedFile), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write wanted: %w", err)
	}
	return nil
}
