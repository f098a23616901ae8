package report

import (
	"slices"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/content"
)

// AuditFormat is the version of the audit's JSON form; it changes only
// when a field is renamed or removed.
const AuditFormat = 1

// Audit is who sees what on a site at one instant: every audience against
// every top-level space, and every declared guest with the pages they see.
// Its JSON field names are stable (see AuditFormat).
type Audit struct {
	// Format is AuditFormat.
	Format int `json:"format"`
	// Site is the site title.
	Site string `json:"site"`
	// At is the instant guests' expiry was judged at, RFC 3339 in UTC.
	At string `json:"at"`
	// Pages is the number of pages (markdown files, drafts excluded).
	Pages int `json:"pages"`
	// Drafts is the number of drafts, which no build holds.
	Drafts int `json:"drafts"`
	// Builds is the number of distinct builds the audiences share.
	Builds int `json:"builds"`
	// Spaces are the top-level spaces, the columns of the matrix.
	Spaces []Space `json:"spaces"`
	// Audiences are the rows of the matrix, grouped by the build they
	// share, in the order facet build plans them.
	Audiences []AudienceRow `json:"audiences"`
	// Guests are the declared guests, by email.
	Guests []GuestRow `json:"guests"`
	// Unseen are the pages no audience's build holds (drafts excluded).
	Unseen []PageRef `json:"unseen"`
	// Groups are the declared groups, each with the pages it alone adds
	// to what anonymous visitors see, and why.
	Groups []GroupRow `json:"groups"`
	// Expiring are the guests whose access ends within 30 days.
	Expiring []ExpiringGuest `json:"expiring"`
	// Ledger summarises the gateway's sign-in ledger when one was given
	// (AddLedger), nil otherwise.
	Ledger *LedgerSummary `json:"ledger,omitempty"`
}

// AudienceRow is one audience: what its build holds, space by space.
type AudienceRow struct {
	// ID is the audience id ("anonymous", "members", "group:eng",
	// "groups:eng+ops", "user:EMAIL").
	ID string `json:"id"`
	// Kind is the audience's identity kind: anonymous, member or guest.
	Kind string `json:"kind"`
	// Name is a guest's configured name, "" otherwise.
	Name string `json:"name"`
	// Groups are the audience's groups, sorted.
	Groups []string `json:"groups"`
	// Expired is true for a guest whose expiry has passed at Audit.At: the
	// build still exists, but the gateway serves that guest as an outsider.
	Expired bool `json:"expired"`
	// Build is the build folder the audience is served from.
	Build string `json:"build"`
	// Visible is the number of pages the audience sees.
	Visible int `json:"visible"`
	// Spaces holds one cell per space, in Audit.Spaces order.
	Spaces []Cell `json:"spaces"`
}

// Cell is one audience's count in one space.
type Cell struct {
	// Space is the space's URL.
	Space string `json:"space"`
	// Visible is the number of the space's pages the audience sees.
	Visible int `json:"visible"`
	// Total is the number of pages in the space.
	Total int `json:"total"`
}

// GuestRow is one declared guest.
type GuestRow struct {
	// Email is the guest's lower-cased email.
	Email string `json:"email"`
	// Name is the configured name, possibly "".
	Name string `json:"name"`
	// Kind is what the guest signs in as at Audit.At: "guest", or
	// "outsider" once expired (an outsider sees what anonymous sees).
	Kind string `json:"kind"`
	// Groups are the guest's configured groups.
	Groups []string `json:"groups"`
	// Expires is the expiry as written in config/access.toml
	// ("2026-12-31" or RFC 3339), "" when none.
	Expires string `json:"expires"`
	// Expired is true when Expires has passed at Audit.At.
	Expired bool `json:"expired"`
	// Build is the guest's build folder.
	Build string `json:"build"`
	// Pages are the pages the guest's rules give them, in site order. An
	// expired guest no longer sees them (Kind is "outsider").
	Pages []PageRef `json:"pages"`
	// Beyond are the pages the guest's rules give them beyond what
	// anonymous visitors see, with the rule admitting each; Personal marks
	// those shared with this guest alone.
	Beyond []Admitted `json:"beyond"`
}

// NewAudit computes the audit of a loaded site at the instant now.
func NewAudit(s *build.Site, now time.Time) *Audit {
	pages := s.Tree.Pages
	sps, spaceOf := spaces(s.Tree)
	builds := s.BuildsAt(now)
	a := &Audit{
		Format: AuditFormat, Site: s.Config.Title, At: now.UTC().Format(time.RFC3339),
		Builds: len(builds), Spaces: nonNil(sps),
		Audiences: []AudienceRow{}, Guests: []GuestRow{}, Unseen: []PageRef{},
		Groups: groupRows(s), Expiring: expiring(s, now),
	}
	seen := access.NewSet(len(pages))
	buildOf := map[string]build.PlannedBuild{}
	for _, b := range builds {
		for i := range seen {
			seen[i] |= b.Present[i]
		}
		for _, aud := range b.Audiences {
			buildOf[aud.ID] = b
			row := audienceRow(aud, b, pages, sps, spaceOf)
			row.Expired = access.GuestEntry{Expires: aud.Expires}.Expired(now)
			a.Audiences = append(a.Audiences, row)
		}
	}
	for _, p := range pages {
		switch {
		case p.Draft:
			a.Drafts++
		case counted(p):
			a.Pages++
			if !seen.Has(p.Index) {
				a.Unseen = append(a.Unseen, ref(p))
			}
		}
	}
	guests := slices.Clone(s.Access.Directory.Guests)
	slices.SortFunc(guests, func(x, y access.GuestEntry) int { return strings.Compare(x.Email, y.Email) })
	for _, g := range guests {
		row := GuestRow{
			Email: g.Email, Name: g.Name, Kind: string(access.Guest), Groups: nonNil(g.Groups),
			Expires: s.Access.GuestExpires[g.Email], Expired: g.Expired(now), Pages: []PageRef{},
			Beyond: beyondAnonymous(s, access.Identity{Kind: access.Guest, Email: g.Email, Groups: g.Groups}),
		}
		if row.Expired {
			row.Kind = string(access.Outsider)
		}
		if b, ok := buildOf["user:"+g.Email]; ok {
			row.Build = b.Dir
			row.Pages = holds(b, pages)
		}
		a.Guests = append(a.Guests, row)
	}
	return a
}

// audienceRow counts what one audience's build holds in every space.
func audienceRow(aud access.Audience, b build.PlannedBuild, pages []*content.Page, sps []Space, spaceOf map[int]int) AudienceRow {
	row := AudienceRow{
		ID: aud.ID, Kind: string(aud.Identity.Kind), Name: aud.Name,
		Groups: nonNil(aud.Identity.Groups), Build: b.Dir, Spaces: make([]Cell, len(sps)),
	}
	for i, sp := range sps {
		row.Spaces[i] = Cell{Space: sp.URL, Total: sp.Pages}
	}
	for _, p := range pages {
		if counted(p) && b.Present.Has(p.Index) {
			row.Spaces[spaceOf[p.Index]].Visible++
			row.Visible++
		}
	}
	return row
}

// holds lists the counted pages a build holds, in site order.
func holds(b build.PlannedBuild, pages []*content.Page) []PageRef {
	out := []PageRef{}
	for _, p := range pages {
		if counted(p) && b.Present.Has(p.Index) {
			out = append(out, ref(p))
		}
	}
	return out
}

// nonNil returns s, or an empty slice for nil, so that JSON shows [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
