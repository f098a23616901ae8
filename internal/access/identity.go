package access

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kind is the kind of an identity.
type Kind string

// The identity kinds of ACCESS.md.
const (
	Anonymous Kind = "anonymous" // no session
	Member    Kind = "member"    // verified email in a member domain, not a guest
	Guest     Kind = "guest"     // listed under [[guests]], not expired
	Outsider  Kind = "outsider"  // signed in, neither member nor guest
)

// Identity is what is known about the person asking.
type Identity struct {
	Kind Kind
	// Email is the address normalised by NormEmail; empty for anonymous
	// and for a signed-in address that ValidEmail refuses.
	Email string
	// Groups are sorted and de-duplicated: the provider's claim for a member,
	// the configured groups for a guest, none otherwise.
	Groups []string
}

// Key is a stable string for caching decisions about this identity.
func (id Identity) Key() string {
	return string(id.Kind) + "\x00" + id.Email + "\x00" + strings.Join(id.Groups, "\x00")
}

// GuestEntry is one [[guests]] entry of config/access.toml.
type GuestEntry struct {
	Email  string   // normalised by NormEmail
	Name   string   // display name
	Groups []string // groups from the config, the only groups a guest has
	// Expires is the first instant at which the guest is no longer valid;
	// the zero time means never. A TOML date 2026-12-31 becomes
	// 2027-01-01T00:00:00Z: the guest is valid through that whole day (UTC).
	Expires time.Time
}

// Expired reports whether the guest is expired at now.
func (g GuestEntry) Expired(now time.Time) bool {
	return !g.Expires.IsZero() && !now.Before(g.Expires)
}

// Directory is the people part of config/access.toml.
type Directory struct {
	// MemberDomains are email domains, normalised by NormEmail, whose
	// verified addresses are members.
	MemberDomains []string
	// Groups are the declared group names.
	Groups []string
	// Guests are the declared guests.
	Guests []GuestEntry
	// Combinations are group sets declared under [[audiences]], each sorted.
	Combinations [][]string
}

// Guest returns the guest entry for email, if declared.
func (d *Directory) Guest(email string) (GuestEntry, bool) {
	email = NormEmail(email)
	for _, g := range d.Guests {
		if g.Email == email {
			return g, true
		}
	}
	return GuestEntry{}, false
}

// IsMemberDomain reports whether the email's domain is a member domain.
func (d *Directory) IsMemberDomain(email string) bool {
	dom := EmailDomain(email)
	return dom != "" && slices.Contains(d.MemberDomains, dom)
}

// HasGroup reports whether the group is declared.
func (d *Directory) HasGroup(name string) bool { return slices.Contains(d.Groups, name) }

// Identify resolves a signed-in person to an identity, per ACCESS.md. The
// email must be verified for either kind: a verified, listed guest that has
// not expired is a guest (an expired guest is an outsider, never a member);
// a verified, well-formed email in a member domain, not a guest, is a
// member; anyone else is an outsider. The email is normalised by NormEmail
// alone (never trimmed or folded); one that ValidEmail refuses gives an
// outsider without an email. claimGroups are trusted for members only.
func (d *Directory) Identify(email string, verified bool, claimGroups []string, now time.Time) Identity {
	email = NormEmail(email)
	if !ValidEmail(email) {
		return Identity{Kind: Outsider}
	}
	if !verified {
		return Identity{Kind: Outsider, Email: email}
	}
	if g, ok := d.Guest(email); ok {
		if g.Expired(now) {
			return Identity{Kind: Outsider, Email: email}
		}
		return Identity{Kind: Guest, Email: email, Groups: normGroups(g.Groups)}
	}
	if d.IsMemberDomain(email) {
		return Identity{Kind: Member, Email: email, Groups: normGroups(claimGroups)}
	}
	return Identity{Kind: Outsider, Email: email}
}

// CheckPrincipal reports why a principal may not be used in a rule: an
// undeclared group, or a user who is neither a declared guest nor in a
// member domain. It returns nil for a usable principal.
func (d *Directory) CheckPrincipal(p Principal) error {
	switch p.Class {
	case ClassGroup:
		if !d.HasGroup(p.Name) {
			return fmt.Errorf("undeclared group %q (declare it as [groups.%s] in config/access.toml)", p.Name, p.Name)
		}
	case ClassUser:
		if _, ok := d.Guest(p.Name); ok {
			return nil
		}
		if !d.IsMemberDomain(p.Name) {
			return fmt.Errorf("unknown user %q: neither a declared guest nor in a member domain", p.Name)
		}
	}
	return nil
}

func normGroups(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := slices.Clone(in)
	slices.Sort(out)
	return slices.Compact(out)
}
