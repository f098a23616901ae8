package access

import (
	"slices"
	"strings"
)

// CombinationID is the audience id of a combination of groups, sorted:
// "groups:" and the names joined by "+". A group name may hold "+", so
// two different combinations could have one id ([a, b+c] and [a+b, c]
// are both "groups:a+b+c"); config refuses the declared groups that allow
// it (see Clashes), so among a site's declared groups the id names one
// combination.
func CombinationID(groups []string) string {
	return "groups:" + strings.Join(groups, "+")
}

// Clash is two different combinations of declared groups, each of two
// groups or more and sorted, that have one CombinationID.
type Clash struct {
	// Group is the group of B, holding "+", whose name runs across a
	// boundary of A's: the name to change.
	Group string
	A, B  []string
}

// Clashes finds the combinations of groups that would share an id: for
// each group whose name starts with another group's name and "+", one
// clash it is part of, if any. None means CombinationID names every
// combination of two or more of groups apart.
//
// Two different sorted combinations with one id first differ at a pair of
// groups x and y where y begins with x and "+". From there the search
// follows the two combinations as they spell the same text, the one
// behind adding a group greater than its last, until both end at the same
// place (as the dangling text is always the tail of a group name, the
// states are finite). Such a pair is a clash between combinations of two
// groups or more when both have two groups, or when a declared group
// sorts before both (it can start both) or after both (it can end both).
func Clashes(groups []string) []Clash {
	gs := slices.Clone(groups)
	slices.Sort(gs)
	gs = slices.Compact(gs)
	var out []Clash
	for _, y := range gs {
		if !strings.Contains(y, "+") {
			continue
		}
		for i := 0; i < len(y); i++ {
			if y[i] != '+' {
				continue
			}
			if _, declared := slices.BinarySearch(gs, y[:i]); !declared {
				continue
			}
			if c, ok := clashFrom(gs, y[:i], y); ok {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// clashNode is a state of the search: ahead has spelled the text of behind
// and then d (each group followed by "+").
type clashNode struct {
	d             string
	ahead, behind []string
}

// clashFrom searches, among the sorted groups gs, for two combinations
// that first differ at x and y (y begins with x and "+").
func clashFrom(gs []string, x, y string) (Clash, bool) {
	start := clashNode{d: y[len(x)+1:] + "+", ahead: []string{y}, behind: []string{x}}
	queue := []clashNode{start}
	seen := map[string]bool{}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		key := n.d + "\x00" + n.ahead[len(n.ahead)-1] + "\x00" + n.behind[len(n.behind)-1] + "\x00" +
			string(rune('0'+min(len(n.ahead), 2))) + string(rune('0'+min(len(n.behind), 2)))
		if seen[key] {
			continue
		}
		seen[key] = true
		last := n.behind[len(n.behind)-1]
		i, _ := slices.BinarySearch(gs, last)
		for _, g := range gs[i:] {
			if g <= last {
				continue
			}
			w := g + "+"
			behind := append(slices.Clone(n.behind), g)
			switch {
			case w == n.d:
				if c, ok := clashOf(gs, n.ahead, behind, y); ok {
					return c, true
				}
			case strings.HasPrefix(n.d, w):
				queue = append(queue, clashNode{d: n.d[len(w):], ahead: n.ahead, behind: behind})
			case strings.HasPrefix(w, n.d):
				queue = append(queue, clashNode{d: w[len(n.d):], ahead: behind, behind: n.ahead})
			}
		}
	}
	return Clash{}, false
}

// clashOf makes a clash of two sequences that spell the same text, when
// both have two groups or more, or can be given a common first or last
// group from gs.
func clashOf(gs []string, p, q []string, y string) (Clash, bool) {
	a, b := p, q
	if p[0] == y {
		a, b = q, p
	}
	if len(a) < 2 || len(b) < 2 {
		switch hi := max(a[len(a)-1], b[len(b)-1]); {
		case gs[0] < a[0] && gs[0] < b[0]:
			a, b = append([]string{gs[0]}, a...), append([]string{gs[0]}, b...)
		case gs[len(gs)-1] > hi:
			i, _ := slices.BinarySearch(gs, hi)
			for gs[i] <= hi {
				i++
			}
			a, b = append(slices.Clone(a), gs[i]), append(slices.Clone(b), gs[i])
		default:
			return Clash{}, false
		}
	}
	return Clash{Group: y, A: a, B: b}, true
}
