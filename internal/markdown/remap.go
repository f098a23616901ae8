package markdown

import "slices"

// Remap returns a Doc that renders as d with every target id t replaced by
// f(t), for a page converted before the site's pages moved (an
// incremental rebuild keeps a page's conversion when only the ids of what
// it links to changed). The pieces are shared with d; d is unchanged.
func (d *Doc) Remap(f func(int) int) *Doc {
	n := *d
	n.ops = slices.Clone(d.ops)
	for i := range n.ops {
		if n.ops[i].kind == opAlt || n.ops[i].kind == opFill {
			n.ops[i].target = int32(f(int(n.ops[i].target)))
		}
	}
	n.conds = slices.Clone(d.conds)
	for i, t := range n.conds {
		n.conds[i] = f(t)
	}
	n.targets = make([]int, len(d.targets))
	for i, t := range d.targets {
		n.targets[i] = f(t)
	}
	slices.Sort(n.targets)
	n.targets = slices.Compact(n.targets)
	n.seal()
	return &n
}
