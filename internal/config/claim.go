package config

import (
	"errors"
	"fmt"
	"strings"
)

// Claim is a parsed groups_claim: the claim that carries a member's
// groups. The gateway takes the top-level claim named exactly Name when the
// ID token (or UserInfo) has one, so names with ':', '/' or '.' such as
// "cognito:groups" or "https://example.com/groups" work as written, and
// otherwise follows Path through nested objects.
type Claim struct {
	// Name is the value as written ("groups", "realm_access.roles").
	Name string
	// Path is Name read as a dotted path of keys (["realm_access",
	// "roles"]); a segment that itself contains a dot is written in double
	// quotes (resource_access."docs.example.com".roles).
	Path []string
}

// ParseClaim reads a groups_claim value into a Claim. Empty segments and
// unbalanced quotes are errors.
func ParseClaim(s string) (Claim, error) {
	path, err := claimPath(s)
	if err != nil {
		return Claim{}, err
	}
	return Claim{Name: s, Path: path}, nil
}

// String returns the claim as written.
func (c Claim) String() string { return c.Name }

// claimPath splits a groups_claim value into the path of keys it names:
// segments separated by '.', a segment in double quotes taken literally
// (with \" and \\ as escapes), so `resource_access."a.b".roles` is
// ["resource_access", "a.b", "roles"]. Empty segments and unbalanced quotes
// are errors.
func claimPath(s string) ([]string, error) {
	if s == "" {
		return nil, errors.New("must not be empty")
	}
	var (
		out []string
		seg strings.Builder
		i   int
	)
	for i <= len(s) {
		if i < len(s) && s[i] == '"' {
			if seg.Len() > 0 {
				return nil, fmt.Errorf("%q: a double quote may only open a segment", s)
			}
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				seg.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, fmt.Errorf("%q: unbalanced double quote", s)
			}
			i = j + 1
			if i < len(s) && s[i] != '.' {
				return nil, fmt.Errorf("%q: a quoted segment must be followed by '.' or the end", s)
			}
			continue
		}
		if i == len(s) || s[i] == '.' {
			if seg.Len() == 0 {
				return nil, fmt.Errorf("%q: empty path segment", s)
			}
			out = append(out, seg.String())
			seg.Reset()
			i++
			continue
		}
		seg.WriteByte(s[i])
		i++
	}
	return out, nil
}
