package render

import (
	"strconv"
)

// Builds hold the same version of a page's body far more often than not
// (about 17,500 versions for 88,000 page files at 10,000 pages and 20
// builds), and what search takes from a version (its fragment file and
// its terms) is the same in every build that holds it. Reading a body's
// text for them is most of what search costs. A one-off build, which has
// no memo, does it once per version: the first build to meet a version
// makes its fragment and emits it through a Reuser with the version's Tag;
// the others ask the Reuser to write that file again at their own path, and
// take the version's terms, which the Renderer keeps (a few hundred bytes
// a version) until the last build holding the page is written. The
// fragment itself is not kept in memory: the caller has it already.

// Tag names a file that every build holding a page's body version gets
// byte for byte: the version's search fragment.
type Tag struct {
	page int       // the page's index
	body [2]uint64 // the body's bodyKey
}

// Reuser writes files that builds share. Made is emit for a file Render
// made for tag. Again is called when a build needs the file of a tag met
// before: it writes that file at path and reports true, or reports false
// (the file of tag is unknown or cannot be had), and Render makes the
// file and calls Made. Both may be called from several Render calls at
// once.
type Reuser interface {
	Made(path string, data []byte, tag Tag) error
	Again(path string, tag Tag) (bool, error)
}

// bodyKey is the key of a body among a page's versions.
func (r *Renderer) bodyKey(body []byte) [2]uint64 {
	return hash2(r.seeds, body)
}

// bodyTerms returns the terms kept for page i's body with key k.
func (r *Renderer) bodyTerms(i int, k [2]uint64) (pageVariant, bool) {
	pp := &r.parts[i]
	pp.mu.Lock()
	defer pp.mu.Unlock()
	v, ok := pp.bodies[k]
	return v, ok
}

// keepBodyTerms keeps v as the terms of page i's body with key k, unless
// no further build writes the page.
func (r *Renderer) keepBodyTerms(i int, k [2]uint64, v pageVariant) {
	if r.left == nil || r.left[i].Load() <= 1 {
		return
	}
	pp := &r.parts[i]
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if pp.bodies == nil {
		pp.bodies = map[[2]uint64]pageVariant{}
	}
	pp.bodies[k] = v
}

// searchPageReused is searchPage through s.reuse.
func (s *pass) searchPageReused(nd *node, body []byte) error {
	p, id := nd.page, nd.order
	path := SearchDir + "f/" + strconv.Itoa(id) + ".js"
	k := s.r.bodyKey(body)
	tag := Tag{page: p.Index, body: k}
	if v, ok := s.r.bodyTerms(p.Index, k); ok {
		done, err := s.reuse.Again(path, tag)
		if err != nil {
			return err
		}
		if done {
			s.addPostings(id, v)
			return nil
		}
	}
	var key [][]byte
	if s.r.store != nil {
		key = searchKey(body, p.Title, p.URL)
		if val, ok := s.r.store.Get(key); ok {
			if frag, terms, infos, ok := decodeStored(val); ok {
				if err := s.reuse.Made(path, frag, tag); err != nil {
					return err
				}
				v := s.r.variantOf(terms, infos)
				s.r.keepBodyTerms(p.Index, k, v)
				s.addPostings(id, v)
				return nil
			}
		}
	}
	pt := extractText(body)
	s.fragBuf = appendFragment(s.fragBuf[:0], p.Title, p.URL, &pt)
	if err := s.reuse.Made(path, s.fragBuf, tag); err != nil {
		return err
	}
	v := s.r.termsOf(p, &pt)
	if key != nil {
		terms, infos := s.r.termsOfVariant(v)
		s.r.store.Put(key, encodeSearch(s.fragBuf, terms, infos))
	}
	s.r.keepBodyTerms(p.Index, k, v)
	s.addPostings(id, v)
	return nil
}
