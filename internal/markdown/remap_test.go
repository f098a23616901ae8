package markdown

import (
	"bytes"
	"testing"
)

// mapResolver resolves "p1", "p2" and "p3" to targets 1, 2 and 3.
type mapResolver struct{}

func (mapResolver) Resolve(dest string, line int) (string, int, bool) {
	switch dest {
	case "p1":
		return "../p1/", 1, true
	case "p2":
		return "../p2/", 2, true
	case "p3":
		return "../p3/", 3, true
	}
	return "", 0, false
}

func (mapResolver) Names(string) bool { return false }

func TestRemapRendersAsTheOriginalUnderMovedIDs(t *testing.T) {
	src := "See [one](p1), [](p2) and ![img](p3).\n\n- [only two](p2)\n"
	d, err := New(Options{}).Convert([]byte(src), mapResolver{})
	if err != nil {
		t.Fatal(err)
	}
	move := map[int]int{1: 7, 2: 4, 3: 9}
	r := d.Remap(func(t int) int { return move[t] })
	title := func(t int) string {
		return map[int]string{1: "One", 2: "Two", 3: "Three", 4: "Two", 7: "One", 9: "Three"}[t]
	}
	for _, hidden := range []map[int]bool{{}, {1: true}, {2: true}, {3: true}, {1: true, 2: true, 3: true}} {
		var want, got bytes.Buffer
		d.Render(&want, func(t int) bool { return !hidden[t] }, title)
		r.Render(&got, func(t int) bool {
			for old, nw := range move {
				if nw == t {
					return !hidden[old]
				}
			}
			return false
		}, title)
		if want.String() != got.String() {
			t.Errorf("hidden %v:\nremapped %s\noriginal %s", hidden, got.String(), want.String())
		}
	}
	if got := r.Targets(); len(got) != 3 || got[0] != 4 || got[1] != 7 || got[2] != 9 {
		t.Errorf("Targets = %v, want [4 7 9]", got)
	}
	if got := d.Targets(); got[0] != 1 {
		t.Errorf("original changed: %v", got)
	}
}
