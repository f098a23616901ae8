package verify

import (
	"slices"
	"sync/atomic"
)

// Words is what a rebuild keeps of a file's text to tell, without reading
// the file again, that a new title is not in it: a set of 4096 bits, one
// set for each word of the text as the scanner reads it (decoded,
// collapsed and folded: the text its matcher looks for titles in), at a
// hash of the word.
//
// A title the matcher finds stands on word boundaries (titleBounded),
// starts where no word runs on (matcher.each) and may have inline marks
// ("*", "_", "~", "`") inserted between its letters (matcher.walk). So
// each of its words (a run of ASCII letters and digits of the normalized
// title) is, in the text, one or more runs of letters and digits joined by
// marks alone, from the start of one run to the end of another. The words
// of a text are therefore taken as every such join: in "ta*ble", "ta",
// "ble" and "table". A run of more than maxJoin parts sets every bit (the
// file is never cleared). A title none of whose words is ASCII is never
// cleared either. TitleWords.MayHold is false only when some word of
// every title it looks for has its bit clear: then the scanner cannot
// find any of them (FuzzTitleWords checks it against the scanner).
type Words [wordsLen]uint64

// GatherWords makes every scan of ix from now on keep the words of the
// text it reads, for RefsWords to return: a scan does without them unless
// told, since they cost time and, kept with each chunk, memory. Call it
// before any scan.
func (ix *Index) GatherWords() { ix.words = true }

// inheritance is what an index takes scans from (Inherit).
type inheritance struct {
	prev     *Index
	retitled map[int]bool // the items whose titles changed
	titles   TitleWords   // their new titles
	taken    atomic.Int64 // chunks taken, for tests
}

// Inherit makes ix, an index of the same items and site URLs as prev but
// for the titles of the items retitled, take the scan of a chunk prev
// scanned (with words, GatherWords) instead of scanning it again, when
// the words of the chunk cannot hold a new title: its references are
// then prev's less those by a retitled item's title. A changed file is
// scanned again in the chunks that changed alone. Call it before any
// scan of ix, and Uninherit once ix no longer scans what prev did.
func (ix *Index) Inherit(prev *Index, retitled []int) {
	if prev == nil || len(prev.items) != len(ix.items) {
		return
	}
	in := &inheritance{prev: prev, retitled: map[int]bool{}}
	var titles []string
	for _, id := range retitled {
		if id >= 0 && id < len(ix.items) {
			in.retitled[id] = true
			titles = append(titles, ix.items[id].Title)
		}
	}
	in.titles = NewTitleWords(titles)
	ix.cache.seedA, ix.cache.seedB = prev.cache.seedA, prev.cache.seedB
	ix.from = in
}

// Uninherit drops what Inherit took, so that prev can be freed.
func (ix *Index) Uninherit() { ix.from = nil }

// wordsLen is the number of 64-bit words of a Words.
const wordsLen = 64

// maxJoin is the most parts of a run joined by marks whose every join is
// kept; a longer run makes the chunk's words "all".
const maxJoin = 8

// allWords is the bit list of a chunk whose words are all: every title
// may be in it.
const allWords = 0xffff

// wordBit is the bit of a word (lower-case ASCII letters and digits).
func wordBit(w []byte) uint16 {
	h := uint32(2166136261)
	for _, c := range w {
		h ^= uint32(c)
		h *= 16777619
	}
	return uint16(h^h>>16) & (wordsLen*64 - 1)
}

// add sets the bit of one word, or every bit for allWords.
func (w *Words) add(bit uint16) {
	if bit == allWords {
		for i := range w {
			w[i] = ^uint64(0)
		}
		return
	}
	w[bit>>6] |= 1 << (bit & 63)
}

// addAll sets the bits of bits.
func (w *Words) addAll(bits []uint16) {
	for _, b := range bits {
		w.add(b)
	}
}

func (w *Words) has(bit uint16) bool { return w[bit>>6]&(1<<(bit&63)) != 0 }

// textWords appends to bits the bit of every word of a folded text, each
// join of runs of ASCII letters and digits separated by inline marks
// alone, or allWords when a run has more than maxJoin parts.
func textWords(bits []uint16, fold []byte) []uint16 {
	var parts [maxJoin + 1][2]int // start and end of each part of the run
	var join []byte
	for i := 0; i < len(fold); {
		if !alnumTab[fold[i]] {
			i++
			continue
		}
		// a run: parts of letters and digits, separated by marks
		n := 0
		j := i
		for j < len(fold) && alnumTab[fold[j]] {
			start := j
			for j < len(fold) && alnumTab[fold[j]] {
				j++
			}
			if n == len(parts) {
				return append(bits, allWords)
			}
			parts[n] = [2]int{start, j}
			n++
			k := j
			for k < len(fold) && markTab[fold[k]] {
				k++
			}
			if k == j || k == len(fold) || !alnumTab[fold[k]] {
				break
			}
			j = k
		}
		if n == 1 {
			bits = append(bits, wordBit(fold[parts[0][0]:parts[0][1]]))
		} else {
			for a := 0; a < n; a++ {
				join = join[:0]
				for b := a; b < n; b++ {
					join = append(join, fold[parts[b][0]:parts[b][1]]...)
					bits = append(bits, wordBit(join))
				}
			}
		}
		i = j
	}
	return bits
}

// TitleWords is the words of the titles a rebuild looks for anew, as bits
// of a Words.
type TitleWords struct {
	titles [][]uint16 // by title, its words' bits; nil for a title never cleared
	any    bool       // a title has no word to look for
}

// NewTitleWords returns the words of titles, as items carry them (an empty
// title is not looked for).
func NewTitleWords(titles []string) TitleWords {
	var tw TitleWords
	for _, t := range titles {
		n := NormTitle(t)
		if n == "" {
			continue
		}
		bits := textWords(nil, []byte(n))
		if len(bits) == 0 || slices.Contains(bits, allWords) {
			tw.any = true
			continue
		}
		tw.titles = append(tw.titles, bits)
	}
	return tw
}

// MayHold reports whether a file whose text has words w may hold one of
// the titles: false when, for each title, a word of it is not in w. A nil
// w (words unknown) may hold them all.
func (tw TitleWords) MayHold(w *Words) bool {
	if w == nil || tw.any {
		return true
	}
	for _, t := range tw.titles {
		all := true
		for _, b := range t {
			if !w.has(b) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}
