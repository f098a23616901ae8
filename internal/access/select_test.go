package access

import "testing"

func setOf(n int, pages ...int) Set {
	s := NewSet(n)
	for _, p := range pages {
		s.Add(p)
	}
	return s
}

// TestSelectByKind checks that an identity is served a build of its own
// kind, never one of another kind with the same or a larger set.
func TestSelectByKind(t *testing.T) {
	anon := Candidate{Kind: Anonymous, Visible: setOf(70, 0)}
	members := Candidate{Kind: Member, Visible: setOf(70, 0, 1)}
	eng := Candidate{Kind: Member, Visible: setOf(70, 0, 1, 2)}
	guest := Candidate{Kind: Guest, Visible: setOf(70, 0, 1, 2, 65)}
	guestSmall := Candidate{Kind: Guest, Visible: setOf(70, 0, 65)}
	memberSmall := Candidate{Kind: Member, Visible: setOf(70, 0, 65)}
	builds := []Candidate{anon, members, eng, guest, guestSmall, memberSmall}
	cases := []struct {
		name  string
		kind  Kind
		want  Set
		index int
		exact bool
	}{
		{"member equal to a guest gets largest member subset", Member, guest.Visible, 2, false},
		{"member equal to a member build", Member, eng.Visible, 2, true},
		{"member beyond every build", Member, setOf(70, 0, 1, 2, 3, 65), 2, false},
		{"guest exact", Guest, guest.Visible, 3, true},
		{"guest never gets a member build", Guest, setOf(70, 0, 1, 2), 0, false},
		{"guest larger than both guest builds", Guest, setOf(70, 0, 1, 2, 65, 66), 3, false},
		{"outsider gets the anonymous build", Outsider, setOf(70, 0, 1), 0, false},
		{"member with a guest's set and a member build of it", Member, guestSmall.Visible, 5, true},
		{"guest with a member's set", Guest, memberSmall.Visible, 4, true},
		{"anonymous exact", Anonymous, anon.Visible, 0, true},
		{"member below every member build falls back to anonymous", Member, setOf(70, 0), 0, false},
	}
	for _, c := range cases {
		i, exact := Select(builds, c.kind, c.want)
		if i != c.index || exact != c.exact {
			t.Errorf("%s: Select = %d %v, want %d %v", c.name, i, exact, c.index, c.exact)
		}
		if i >= 0 && !builds[i].Visible.SubsetOf(c.want) {
			t.Errorf("%s: build %d holds pages the identity may not see", c.name, i)
		}
	}
}
