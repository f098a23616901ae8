package gateway

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"sync/atomic"
	"time"
	"weak"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/config"
)

// claims are the facts the gateway takes from an ID token or UserInfo.
type claims struct {
	Subject  string
	Email    string
	Verified bool // email_verified (or xms_edov) as sent; see verified
	Groups   []string
	// hasVerified says whether email_verified or xms_edov was present.
	hasVerified bool
	hasEmail    bool
	hasGroups   bool
}

// groupsClaim finds the configured groups claim (groups_claim, parsed by
// config) in a decoded claim set.
type groupsClaim config.Claim

// lookup returns the claim's value: the top-level claim named exactly
// name when there is one, otherwise the value at path through nested
// objects.
func (g groupsClaim) lookup(m map[string]any) (any, bool) {
	if v, ok := m[g.Name]; ok {
		return v, true
	}
	var cur any = m
	for _, key := range g.Path {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[key]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// claimTag names the claim a groups_claim setting reads, for sessions to
// say where their groups came from: the first 6 bytes of a SHA-256 of its
// path, base64url.
func claimTag(c config.Claim) string {
	sum := sha256.Sum256([]byte("facet groups claim\x00" + c.Name + "\x00" + strings.Join(c.Path, "\x00")))
	return base64.RawURLEncoding.EncodeToString(sum[:6])
}

// groupsOf reads a groups value: an array of strings (other elements and
// empty strings are skipped) or a single string. Names are kept exactly as
// sent, never trimmed or case-changed: " eng" is not the group eng.
// Anything else means no groups.
func groupsOf(v any) []string {
	switch v := v.(type) {
	case string:
		if v != "" {
			return []string{v}
		}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// parseClaims takes subject, email, email_verified and groups from a claim
// set. email_verified counts only when it is JSON true or exactly the
// string "true" (some providers send strings); "TRUE", " true", 1, "1" or
// "yes" are not verified (ACCESS.md). Microsoft Entra ID sends no
// email_verified; there its optional claim xms_edov (the email's domain
// owner is verified) stands in, and only when email_verified is absent.
func (g groupsClaim) parseClaims(m map[string]any) claims {
	var c claims
	c.Subject, _ = m["sub"].(string)
	if e, ok := m["email"].(string); ok && e != "" {
		c.Email, c.hasEmail = e, true
	}
	verified, ok := m["email_verified"]
	if !ok {
		verified, ok = m["xms_edov"]
	}
	c.hasVerified = ok
	switch v := verified.(type) {
	case bool:
		c.Verified = v
	case string:
		c.Verified = v == "true"
	}
	if v, ok := g.lookup(m); ok {
		c.Groups, c.hasGroups = groupsOf(v), true
	}
	return c
}

// verified reports whether the email counts as verified: the claim is
// true, or it is absent (neither email_verified nor xms_edov sent) and
// assume (gateway.toml assume_email_verified) is set. A claim sent as
// anything but true is never overridden.
func (c claims) verified(assume bool) bool {
	return c.Verified || (assume && !c.hasVerified)
}

// assumed reports whether the email counts as verified only by assume:
// the provider sent neither email_verified nor xms_edov.
func (c claims) assumed(assume bool) bool {
	return !c.Verified && assume && !c.hasVerified
}

// merge fills what c lacks from UserInfo claims u of the same subject:
// the email together with its verification, the verification of the same
// email (so that a false there is never taken for an absent claim, which
// assume_email_verified would make true), and the groups.
func (c claims) merge(u claims) claims {
	if u.Subject == "" || u.Subject != c.Subject {
		return c
	}
	if !c.hasEmail && u.hasEmail {
		c.Email, c.Verified, c.hasVerified, c.hasEmail = u.Email, u.Verified, u.hasVerified, true
	} else if c.hasEmail && !c.hasVerified && u.hasEmail && u.Email == c.Email && u.hasVerified {
		c.Verified, c.hasVerified = u.Verified, true
	}
	if !c.hasGroups && u.hasGroups {
		c.Groups, c.hasGroups = u.Groups, true
	}
	return c
}

// identify resolves a session (nil for none) to an identity exactly as
// ACCESS.md says, at now: the directory decides member, guest or outsider;
// a member's provider groups count only when the site declares them (an
// undeclared group matches no rule, so dropping it changes no visible set
// and keeps the choice cache small).
//
// The answer is kept on the session for the generation that gave it: the
// facts in a session never change and a generation's directory never
// changes, so only time can change it, through a guest's expiry, which
// bounds how long it is kept.
func (st *generation) identify(sess *session, now time.Time) access.Identity {
	id, _ := st.identifyMemo(sess, now)
	return id
}

// identifyMemo is identify, with the memo the identity is kept in (nil
// when there is none: no session, or a session not cached).
func (st *generation) identifyMemo(sess *session, now time.Time) (access.Identity, *identityMemo) {
	if sess == nil {
		return access.Identity{Kind: access.Anonymous}, nil
	}
	if sess.memo == nil {
		return st.dir.Identify(sess.Email, sess.Verified, st.sessionGroups(sess), now), nil
	}
	if m := sess.memo.Load(); m != nil && m.st.Value() == st && (m.until.IsZero() || now.Before(m.until)) {
		return m.id, m
	}
	id := st.dir.Identify(sess.Email, sess.Verified, st.sessionGroups(sess), now)
	m := &identityMemo{st: weak.Make(st), id: id}
	if id.Kind == access.Guest {
		g, _ := st.dir.Guest(id.Email)
		m.until = g.Expires
	}
	sess.memo.Store(m)
	return id, m
}

// identityMemo is a session's identity as one generation resolved it,
// good until until (zero: for as long as the generation is served). It
// names the generation weakly: a cached session not seen since a swap
// must not keep the old generation (its file cache, its choices) alive.
type identityMemo struct {
	st    weak.Pointer[generation]
	id    access.Identity
	until time.Time
	// picked is the build chosen for id (Server.chooseFor) on one day:
	// the choice is the generation's, and what chooseFor records of it
	// is done at most once a day.
	picked atomic.Pointer[picked]
}

// picked is a choice made on day (Unix days, UTC).
type picked struct {
	c   choice
	day int64
}
