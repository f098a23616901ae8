// Package access is the engine of ACCESS.md: principals, rule levels, chains,
// the visibility decision, identities and audiences.
//
// It is pure: no I/O, no clock (callers pass the time), no knowledge of files
// beyond the positions it carries for messages. The generator, the gateway and
// every command decide visibility through this package alone, so that they can
// never disagree.
package access

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Class is the kind of a principal. Higher values are more specific.
type Class uint8

// The principal classes, from least to most specific.
const (
	ClassAnyone  Class = 1 // anyone
	ClassMembers Class = 2 // members
	ClassGuests  Class = 3 // guests (same specificity as members)
	ClassGroup   Class = 4 // group:NAME
	ClassUser    Class = 5 // user:EMAIL
)

// Specificity ranks a class for the decision: user > group > members/guests > anyone.
func (c Class) Specificity() int {
	switch c {
	case ClassUser:
		return 4
	case ClassGroup:
		return 3
	case ClassMembers, ClassGuests:
		return 2
	case ClassAnyone:
		return 1
	}
	return 0
}

// Principal names who a rule entry is about.
type Principal struct {
	Class Class
	// Name is the group name for ClassGroup and the email, normalised by
	// NormEmail, for ClassUser; empty otherwise.
	Name string
}

// ParsePrincipal parses "anyone", "members", "guests", "group:NAME" or
// "user:EMAIL". Emails go through NormEmail (ASCII letters lower-cased, no
// trimming); group names are kept exactly.
func ParsePrincipal(s string) (Principal, error) {
	switch s {
	case "anyone":
		return Principal{Class: ClassAnyone}, nil
	case "members":
		return Principal{Class: ClassMembers}, nil
	case "guests":
		return Principal{Class: ClassGuests}, nil
	}
	if name, ok := strings.CutPrefix(s, "group:"); ok {
		if !validGroupName(name) {
			return Principal{}, fmt.Errorf("invalid group name in principal %q", s)
		}
		return Principal{Class: ClassGroup, Name: name}, nil
	}
	if email, ok := strings.CutPrefix(s, "user:"); ok {
		email = NormEmail(email)
		if !ValidEmail(email) {
			return Principal{}, fmt.Errorf("invalid email in principal %q", s)
		}
		return Principal{Class: ClassUser, Name: email}, nil
	}
	return Principal{}, fmt.Errorf("unknown principal %q (want anyone, members, guests, group:NAME or user:EMAIL)", s)
}

// String returns the principal in the form ParsePrincipal accepts.
func (p Principal) String() string {
	switch p.Class {
	case ClassAnyone:
		return "anyone"
	case ClassMembers:
		return "members"
	case ClassGuests:
		return "guests"
	case ClassGroup:
		return "group:" + p.Name
	case ClassUser:
		return "user:" + p.Name
	}
	return "invalid"
}

// Matches reports whether the principal covers the identity, per the table of
// identities in ACCESS.md.
func (p Principal) Matches(id Identity) bool {
	switch p.Class {
	case ClassAnyone:
		return true
	case ClassMembers:
		return id.Kind == Member
	case ClassGuests:
		return id.Kind == Guest
	case ClassGroup:
		if id.Kind != Member && id.Kind != Guest {
			return false
		}
		for _, g := range id.Groups {
			if g == p.Name {
				return true
			}
		}
		return false
	case ClassUser:
		if id.Kind != Member && id.Kind != Guest {
			return false
		}
		return NormEmail(id.Email) == p.Name
	}
	return false
}

func validGroupName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if r <= ' ' || r == ',' || r == '"' || r == 0x7f {
			return false
		}
	}
	return true
}

// NormEmail is the one normalisation of email addresses and domains: it
// lower-cases the ASCII letters A-Z and nothing else. There is no Unicode
// case folding (the Kelvin sign U+212A stays, it never becomes "k"; U+0130
// never becomes "i") and no trimming, so an address with non-ASCII letters
// is taken as written and matches no address written in ASCII, and one with
// spaces or control characters is refused by ValidEmail.
func NormEmail(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' })
	if i < 0 {
		return s
	}
	b := []byte(s)
	for j := i; j < len(b); j++ {
		if 'A' <= b[j] && b[j] <= 'Z' {
			b[j] += 'a' - 'A'
		}
	}
	return string(b)
}

// ValidEmail reports whether s is a plausible single address: valid UTF-8,
// exactly one "@", a non-empty local part and a domain, with no spaces
// (Unicode ones included), control characters or further "@". It rejects
// forms such as "a@ok.example@evil.example" and " a@b.example".
func ValidEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at != strings.LastIndexByte(s, '@') || at == len(s)-1 || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r == '<' || r == '>' || r == '(' || r == ')' || r == ',' || r == ';' || r == '\\' || r == '"' ||
			unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	domain := s[at+1:]
	if strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return false
	}
	return true
}

// EmailDomain returns the domain of a valid email, normalised by NormEmail,
// or "".
func EmailDomain(email string) string {
	if !ValidEmail(email) {
		return ""
	}
	return NormEmail(email[strings.IndexByte(email, '@')+1:])
}
