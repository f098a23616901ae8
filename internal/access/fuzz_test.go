package access

import (
	"fmt"
	"testing"
	"time"
)

// fuzzSite turns fuzz bytes into a directory, a tree of chains and an
// identity. Pages are arranged under 3 sections with their own levels.
type fuzzReader struct {
	b []byte
	i int
}

func (r *fuzzReader) next() byte {
	if r.i >= len(r.b) {
		return 0
	}
	c := r.b[r.i]
	r.i++
	return c
}

var fuzzGroups = []string{"eng", "ops", "staff", "contractors"}
var fuzzUsers = []string{"carol@partner.example", "dan@partner.example", "bob@example.com", "eve@example.com"}

func (r *fuzzReader) principal() Principal {
	c := r.next()
	switch c % 5 {
	case 0:
		return Principal{Class: ClassAnyone}
	case 1:
		return Principal{Class: ClassMembers}
	case 2:
		return Principal{Class: ClassGuests}
	case 3:
		return Principal{Class: ClassGroup, Name: fuzzGroups[int(c/5)%len(fuzzGroups)]}
	}
	return Principal{Class: ClassUser, Name: fuzzUsers[int(c/5)%len(fuzzUsers)]}
}

func (r *fuzzReader) level(name string) *Level {
	c := r.next()
	if c%3 == 0 {
		return nil
	}
	l := &Level{File: name, Closed: c%3 == 1}
	keys := []string{"allow", "grant", "deny"}
	for n := int(r.next() % 4); n > 0; n-- {
		k := keys[r.next()%3]
		if k == "allow" {
			l.Closed = true
		}
		l.Entries = append(l.Entries, Entry{Principal: r.principal(), Key: k})
	}
	return l
}

// FuzzDecide holds the invariant of ACCESS.md: the build chosen for any
// identity never contains a page that identity may not see, and an identity
// equal to an audience gets exactly that audience's build.
func FuzzDecide(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add([]byte{2, 1, 0, 4, 1, 2, 3, 0, 9, 200, 13, 77, 5})
	f.Add([]byte("the quick brown fox jumps over the lazy dog, again and again"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &fuzzReader{b: data}
		now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		dir := &Directory{
			MemberDomains: []string{"example.com"},
			Groups:        fuzzGroups,
			Guests: []GuestEntry{
				{Email: "carol@partner.example", Groups: []string{"eng"}},
				{Email: "dan@partner.example", Groups: []string{"ops", "staff"}, Expires: now.Add(-time.Hour)},
			},
			Combinations: [][]string{{"eng", "ops"}},
		}
		site := r.level("site")
		secs := []*Level{r.level("s0"), r.level("s1"), r.level("s2")}
		rules := &Rules{}
		for i := 0; i < 12; i++ {
			sec := i % 3
			chain := Chain{r.level(fmt.Sprint("p", i)), secs[sec]}
			if sec == 2 { // s2 is nested in s1
				chain = append(chain, secs[1])
			}
			rules.Chains = append(rules.Chains, append(chain, site))
		}
		var builds []Candidate
		auds := dir.Audiences(fuzzUsers)
		for _, a := range auds {
			builds = append(builds, Candidate{Kind: a.Identity.Kind, Visible: rules.Visible(a.Identity)})
		}
		claims := []string{}
		for _, g := range fuzzGroups {
			if r.next()%2 == 0 {
				claims = append(claims, g)
			}
		}
		emails := append([]string{"", "stranger@else.example"}, fuzzUsers...)
		for _, email := range emails {
			for _, verified := range []bool{true, false} {
				id := Identity{Kind: Anonymous}
				if email != "" {
					id = dir.Identify(email, verified, claims, now)
				}
				want := rules.Visible(id)
				i, _ := Select(builds, id.Kind, want)
				if i >= 0 && !builds[i].Visible.SubsetOf(want) {
					t.Fatalf("identity %+v got build %d with pages it may not see", id, i)
				}
				if k := builds[max(i, 0)].Kind; i >= 0 && k != ServedKind(id.Kind) && k != Anonymous {
					t.Fatalf("identity %+v got a %s build", id, k)
				}
			}
		}
		for ai, a := range auds {
			i, exact := Select(builds, a.Identity.Kind, builds[ai].Visible)
			if !exact || !builds[i].Visible.Equal(builds[ai].Visible) || builds[i].Kind != a.Identity.Kind {
				t.Fatalf("audience %s not served its own build", a.ID)
			}
		}
	})
}
