package access

// Rules are the compiled rules of a site: the chain of every page, indexed
// by the page's position in the site's page order. Generated pages and
// attachments are not in it: they follow the pages they belong to.
type Rules struct {
	Chains []Chain
}

// Visible computes the set of pages the identity may see.
func (r *Rules) Visible(id Identity) Set {
	s := NewSet(len(r.Chains))
	for i, c := range r.Chains {
		if Decide(c, id).Visible {
			s.Add(i)
		}
	}
	return s
}
