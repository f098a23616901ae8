// Package accessdiff computes the access consequences of a change: given
// two versions of a site (or of the rules two builds published), which
// audiences gain and which lose each page, and the rule (file:line) that
// made each difference. It owns the comparison and its three views (text,
// markdown, JSON); it does not load sites or read git (the command does).
package accessdiff

import (
	"cmp"
	"slices"
	"time"

	"github.com/facet-docs/facet/internal/access"
)

// Page is one page of a side.
type Page struct {
	// Key matches a page across the two sides: the source path for a site
	// ("content/a.md"), the URL for published rules.
	Key string
	// URL is the page's URL.
	URL string
	// Title is the page's title, "" when the side does not know it.
	Title string
	// Chain decides who sees the page.
	Chain access.Chain
	// Hidden is true when nobody sees the page whatever the chain says (a
	// draft).
	Hidden bool
	// Hash identifies the page's content, to recognise a moved page; ""
	// when unknown.
	Hash string
}

// Side is one version: its pages and its directory of people.
type Side struct {
	// Label names the version in reports ("main", "working tree").
	Label string
	// Pages are the version's pages.
	Pages []Page
	// Dir is the version's directory (member domains, groups, guests,
	// combinations).
	Dir access.Directory
	// Users are the emails that user: principals name (for the
	// audiences of named members).
	Users []string
}

// Change is one audience gaining or losing a page.
type Change struct {
	// Audience is the audience id ("anonymous", "group:eng", "user:a@b").
	Audience string `json:"audience"`
	// Kind is the audience's kind on the side that decides (the head side
	// for a gain, the base side for a loss when the page is gone).
	Kind string `json:"kind"`
	// Rule is the deciding rule on the head side, as "verdict: file:line:
	// why" (access.Decision.Reason), or why the page is gone.
	Rule string `json:"rule"`
}

// Status is what happened to a page.
type Status string

// The statuses of a page.
const (
	Added   Status = "added"
	Removed Status = "removed"
	Moved   Status = "moved"
	Changed Status = "changed"
)

// PageDiff is a page whose audience changed.
type PageDiff struct {
	// Path is the page's key on the head side (its key on the base side
	// when removed).
	Path string `json:"path"`
	// OldPath is the base side's key of a moved page.
	OldPath string `json:"old_path,omitempty"`
	// URL is the head side's URL (the base side's when removed).
	URL string `json:"url"`
	// OldURL is the base side's URL when it differs.
	OldURL string `json:"old_url,omitempty"`
	// Title is the page's title where known.
	Title  string `json:"title,omitempty"`
	Status Status `json:"status"`
	// Gained are the audiences that see the page now and did not before;
	// Lost the reverse.
	Gained []Change `json:"gained"`
	Lost   []Change `json:"lost"`
}

// Report is the comparison of two sides.
type Report struct {
	Base string `json:"base"`
	Head string `json:"head"`
	// Pages are the pages whose audience changed, added and removed pages
	// included, sorted by path.
	Pages []PageDiff `json:"pages"`
	// Public are the URLs that anonymous visitors see now and did not.
	Public []string `json:"public"`
	// Guests maps each guest audience that gains pages to their URLs.
	Guests map[string][]string `json:"guests"`
}

// Compare compares base with head at now (a guest's expiry is judged at
// now).
func Compare(base, head Side, now time.Time) *Report {
	r := &Report{Base: base.Label, Head: head.Label, Pages: []PageDiff{}, Public: []string{}, Guests: map[string][]string{}}
	auds := audiencesOf(base, head, now)
	for _, p := range pairPages(base.Pages, head.Pages) {
		d := comparePage(p, auds)
		if len(d.Gained) == 0 && len(d.Lost) == 0 && d.Status != Moved {
			continue
		}
		r.Pages = append(r.Pages, d)
		for _, g := range d.Gained {
			switch {
			case g.Audience == "anonymous":
				r.Public = append(r.Public, d.URL)
			case g.Kind == string(access.Guest):
				r.Guests[g.Audience] = append(r.Guests[g.Audience], d.URL)
			}
		}
	}
	slices.SortFunc(r.Pages, func(a, b PageDiff) int { return cmp.Compare(a.Path, b.Path) })
	slices.Sort(r.Public)
	for _, urls := range r.Guests {
		slices.Sort(urls)
	}
	return r
}

// pair is a page on either side or both; nil where absent.
type pair struct{ base, head *Page }

// pairPages matches pages by key; of the rest, a removed and an added page
// with the same known content hash are one moved page.
func pairPages(base, head []Page) []pair {
	byKey := map[string]*Page{}
	for i := range head {
		byKey[head[i].Key] = &head[i]
	}
	var out []pair
	matched := map[string]bool{}
	var removed []*Page
	for i := range base {
		b := &base[i]
		if h, ok := byKey[b.Key]; ok {
			out = append(out, pair{b, h})
			matched[b.Key] = true
			continue
		}
		removed = append(removed, b)
	}
	added := map[string][]*Page{}
	var addedOrder []*Page
	for i := range head {
		if !matched[head[i].Key] {
			added[head[i].Hash] = append(added[head[i].Hash], &head[i])
			addedOrder = append(addedOrder, &head[i])
		}
	}
	moved := map[*Page]bool{}
	for _, b := range removed {
		if c := added[b.Hash]; b.Hash != "" && len(c) > 0 {
			out = append(out, pair{b, c[0]})
			moved[c[0]] = true
			added[b.Hash] = c[1:]
			continue
		}
		out = append(out, pair{base: b})
	}
	for _, h := range addedOrder {
		if !moved[h] {
			out = append(out, pair{head: h})
		}
	}
	return out
}

// comparePage lists the audiences that gain and lose one page.
func comparePage(p pair, auds []audience) PageDiff {
	d := PageDiff{Gained: []Change{}, Lost: []Change{}}
	switch {
	case p.base == nil:
		d.Status, d.Path, d.URL, d.Title = Added, p.head.Key, p.head.URL, p.head.Title
	case p.head == nil:
		d.Status, d.Path, d.URL, d.Title = Removed, p.base.Key, p.base.URL, p.base.Title
	default:
		d.Status, d.Path, d.URL, d.Title = Changed, p.head.Key, p.head.URL, cmp.Or(p.head.Title, p.base.Title)
		if p.base.Key != p.head.Key {
			d.Status, d.OldPath = Moved, p.base.Key
		}
		if p.base.URL != p.head.URL {
			d.OldURL = p.base.URL
		}
	}
	for _, a := range auds {
		was, _ := sees(p.base, a.base)
		is, why := sees(p.head, a.head)
		switch {
		case is && !was:
			d.Gained = append(d.Gained, Change{Audience: a.id, Kind: string(a.head.Kind), Rule: why})
		case was && !is:
			if p.head == nil {
				why = "removed"
			}
			d.Lost = append(d.Lost, Change{Audience: a.id, Kind: string(a.base.Kind), Rule: why})
		}
	}
	return d
}

// sees reports whether id sees page p (false when p is nil) and why.
func sees(p *Page, id access.Identity) (bool, string) {
	if p == nil {
		return false, ""
	}
	dec := access.Decide(p.Chain, id)
	if p.Hidden {
		return false, "hidden: draft"
	}
	return dec.Visible, dec.Reason()
}

// audience is one audience id and who it is on each side.
type audience struct {
	id         string
	base, head access.Identity
}

// audiencesOf lists the audiences of both sides, in the order of
// access.Directory.Audiences (head's first, then those only base has),
// with who each is on either side at now. An audience that is an outsider
// on both sides (a guest expired at now) sees what anonymous sees and is
// left out.
func audiencesOf(base, head Side, now time.Time) []audience {
	var out []audience
	seen := map[string]bool{}
	for _, s := range []Side{head, base} {
		for _, a := range s.Dir.Audiences(s.Users) {
			if seen[a.ID] {
				continue
			}
			seen[a.ID] = true
			au := audience{id: a.ID, base: identityOn(base, a, now), head: identityOn(head, a, now)}
			if au.base.Kind == access.Outsider && au.head.Kind == access.Outsider {
				continue // sees what anonymous sees, on both sides
			}
			out = append(out, au)
		}
	}
	return out
}

// identityOn is who the audience a (of either side) is on side s at now:
// its identity there when s has an audience of that id; else the same
// person or groups judged by s's directory (a guest s does not list is
// whatever s makes of the address; a group s does not declare is not
// counted). The id is never parsed: group names may hold "+".
func identityOn(s Side, a access.Audience, now time.Time) access.Identity {
	for _, o := range s.Dir.Audiences(s.Users) {
		if o.ID == a.ID {
			if o.Identity.Kind == access.Guest {
				return s.Dir.Identify(o.Identity.Email, true, nil, now)
			}
			return o.Identity
		}
	}
	switch a.Identity.Kind {
	case access.Guest:
		return s.Dir.Identify(a.Identity.Email, true, nil, now)
	case access.Member:
		if a.Identity.Email != "" {
			return s.Dir.Identify(a.Identity.Email, true, nil, now)
		}
		return access.Identity{Kind: access.Member, Groups: declared(s.Dir, a.Identity.Groups)}
	}
	return access.Identity{Kind: access.Anonymous}
}

// declared keeps the groups d declares, sorted.
func declared(d access.Directory, groups []string) []string {
	var out []string
	for _, g := range groups {
		if d.HasGroup(g) {
			out = append(out, g)
		}
	}
	slices.Sort(out)
	return out
}
