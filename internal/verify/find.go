package verify

// Finder finds which of a fixed list of phrases occur in texts, on word
// boundaries, in the forms they take in HTML, XML and JSON.
type Finder struct {
	phrases []string
	m       *matcher
}

// NewFinder prepares a finder for phrases.
func NewFinder(phrases []string) *Finder {
	var pats []string
	var ids []int
	for i, p := range phrases {
		for _, f := range titleForms(p) {
			pats = append(pats, f)
			ids = append(ids, i)
		}
	}
	return &Finder{phrases: phrases, m: newMatcher(pats, ids)}
}

// Find returns the distinct phrases that occur in text, in list order.
func (f *Finder) Find(text []byte) []string {
	var hit map[int]bool
	f.m.each(text, func(id int) bool {
		if hit == nil {
			hit = map[int]bool{}
		}
		hit[id] = true
		return true
	})
	var out []string
	for i, p := range f.phrases {
		if hit[i] {
			out = append(out, p)
		}
	}
	return out
}
