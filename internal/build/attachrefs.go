package build

import (
	"bytes"
	"hash/maphash"
	"html"
	"net/url"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/siteurl"
	"github.com/facet-docs/facet/internal/verify"
)

// Files that refer to files. A stylesheet, an SVG or an HTML attachment
// may load other attachments (url(bg.png), <image href="photo.png">), and
// a file it loads is used wherever it is: an attachment that a held
// attachment refers to is held too (attach.go). The references are found
// by reading every text-like attachment, entities decoded, for words that
// name another attachment as a browser would resolve them from the file's
// URL (or, failing that, from its folder): relative, root-relative, with
// the base path or as an absolute URL of the site.

// maxScanned is the size above which an attachment is not read for
// references (large data files refer to nothing a browser loads): as much
// text as the release gate reads of a compressed file, so that a large
// HTML or CSS file still holds the files it loads with it.
const maxScanned = maxDecompressed

// refStop holds the bytes that end a word that may be a reference: white
// space, quotes, brackets, commas, semicolons, equals signs (srcset lists,
// url(...), attributes, markdown link syntax).
var refStop = func() (t [256]bool) {
	for _, c := range []byte(" \t\r\n\f\v\"'`()<>[]{},;=|^*!") {
		t[c] = true
	}
	return t
}()

// eachWord calls fn with every word of text that may be a reference. The
// word shares text's memory.
func eachWord(text []byte, fn func(w []byte)) {
	start := -1
	for i := 0; i <= len(text); i++ {
		if i == len(text) || refStop[text[i]] {
			if start >= 0 {
				fn(text[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
}

// fileRefs lists, for each attachment by its position in
// tree.Attachments, the other attachments its text refers to.
func (s *loadedSite) fileRefs() [][]int {
	refs := make([][]int, len(s.tree.Attachments))
	if len(s.tree.Attachments) == 0 {
		return refs
	}
	urls := siteurl.New(s.cfg.BaseURL, s.cfg.Hosts)
	pos := make(map[*content.Attachment]int, len(s.tree.Attachments))
	for i, a := range s.tree.Attachments {
		pos[a] = i
	}
	// The release gate's reading of each file (its links and its URLs as
	// text), with an index of the attachments alone: a file it finds
	// named is used, whatever the spelling (CSS escapes, quoted names
	// with spaces).
	items := make([]verify.Item, len(s.tree.Attachments))
	for i, a := range s.tree.Attachments {
		items[i] = verify.Item{URL: a.URL, File: a.File}
	}
	ix := verify.NewIndex(items, urls)
	onAllCores(len(s.tree.Attachments), func(i int) {
		refs[i] = s.refsOf(i, urls, ix, pos)
	})
	siblingRefs(s.tree.Attachments, refs)
	return refs
}

// refsOf lists the other attachments attachment i refers to: those the
// release gate finds it naming (ix indexes the attachments alone), then
// the words of its text that name one (fileTarget).
func (s *loadedSite) refsOf(i int, urls *siteurl.Site, ix *verify.Index, pos map[*content.Attachment]int) []int {
	a := s.tree.Attachments[i]
	if a.Size > maxScanned {
		return nil
	}
	var out []int
	seen := map[int]bool{i: true}
	// A compressed file is read as the text it holds, as the gate reads it.
	text, scanAs, err := scannedText(filepath.Join(s.dir, filepath.FromSlash(a.File)), a.OutPath)
	if err != nil || text == nil {
		return nil
	}
	scan := func(t []byte) {
		eachWord(t, func(w []byte) {
			if bytes.IndexAny(w, "./") < 0 {
				return
			}
			if tgt := s.fileTarget(urls, a, string(w)); tgt != nil {
				if j := pos[tgt]; !seen[j] {
					seen[j] = true
					out = append(out, j)
				}
			}
		})
	}
	// every text a reader may be shown of it (legacy text in each
	// encoding a browser may guess), as the gate reads it
	_ = text.each(func(t []byte) error {
		for _, r := range ix.Refs(scanAs, t) {
			if j := r.ID; !seen[j] {
				seen[j] = true
				out = append(out, j)
			}
		}
		if scanAs != a.OutPath {
			// a compressed file's words are those the gate's reader found
			return nil
		}
		scan(t)
		if bytes.IndexByte(t, '&') >= 0 {
			scan([]byte(html.UnescapeString(string(t))))
		}
		return nil
	})
	return out
}

// siblingRefs records that a file refers to its precompressed siblings
// (x.css.br, x.css.gz for x.css): the gateway serves a sibling in place of
// its file, so a sibling goes only where its file goes (or where something
// else uses it), never where the file is held back.
func siblingRefs(atts []*content.Attachment, refs [][]int) {
	byOut := make(map[string]int, len(atts))
	for i, a := range atts {
		byOut[strings.ToLower(a.OutPath)] = i
	}
	for i, a := range atts {
		base, ok := content.SiblingOf(a.OutPath)
		if !ok {
			continue
		}
		if j, ok := byOut[strings.ToLower(base)]; ok && !slices.Contains(refs[j], i) {
			refs[j] = append(refs[j], i)
		}
	}
}

// fileTarget resolves a word of attachment a's text to the attachment it
// names, nil when it names none (or names a page).
func (s *loadedSite) fileTarget(urls *siteurl.Site, a *content.Attachment, word string) *content.Attachment {
	if !strings.ContainsAny(word, "./") {
		return nil
	}
	t := s.tree
	if p, suf, ok := urls.Local(word); ok {
		tgt, _ := t.ResolvePath(p, suf)
		return tgt.Attachment
	}
	if strings.HasPrefix(word, "//") || schemeOf(word) {
		return nil
	}
	raw, suf := splitRef(strings.ReplaceAll(word, `\`, "/"))
	if raw == "" {
		return nil
	}
	var tries []string
	if strings.HasPrefix(raw, "/") {
		tries = append(tries, siteurl.Clean(raw))
		if p, _, ok := urls.StripBase(raw, suf); ok && urls.BasePath() != "" {
			tries = append(tries, p)
		}
	} else {
		fileDir := strings.TrimPrefix(path.Dir(a.File), content.Dir)
		tries = append(tries, siteurl.Clean(path.Dir(a.URL)+"/"+raw), siteurl.Clean(fileDir+"/"+raw))
	}
	for _, p := range tries {
		if tgt, found := t.ResolvePath(p, suf); found {
			return tgt.Attachment
		}
	}
	return nil
}

// schemeOf reports whether a word starts with a URL scheme ("data:",
// "mailto:", "https:").
func schemeOf(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c == ':':
			return i > 0
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return false
}

// pageWords lists, for each attachment by position, the pages whose own
// text names it outside a link: raw HTML that is not rendered (unsafe
// off), code, plain text and the frontmatter summary. A page that names a
// file uses it as much as one that links to it, so a file only hidden
// pages name stays with them. Words are resolved as the page's links are
// (resolver.target), after markdown backslash escapes and character
// references are undone; only words ending in a file's name are tried.
// A word that names a file through an alias of its page, or the address
// its page had before it set its own url, names that file, as a link
// there does (resolver.file).
func (s *loadedSite) pageWords() [][]int {
	out := make([][]int, len(s.tree.Attachments))
	if len(s.tree.Attachments) == 0 {
		return out
	}
	names := &fileNames{names: map[string]bool{}}
	pos := make(map[*content.Attachment]int, len(s.tree.Attachments))
	for i, a := range s.tree.Attachments {
		pos[a] = i
		names.add(path.Base(a.URL))
		names.add(path.Base(a.File))
	}
	urls := siteurl.New(s.cfg.BaseURL, s.cfg.Hosts)
	named := make([][]int, len(s.tree.Pages)) // by page: the files it names
	onAllCores(len(s.tree.Pages), func(i int) {
		if p := s.tree.Pages[i]; !p.Generated {
			named[i] = s.namedIn(p, urls, names, pos)
		}
	})
	for i, js := range named {
		for _, j := range js {
			out[j] = append(out[j], i)
		}
	}
	return out
}

// namedIn lists the files page p's body and summary name, each once.
func (s *loadedSite) namedIn(p *content.Page, urls *siteurl.Site, names *fileNames, pos map[*content.Attachment]int) []int {
	r := &resolver{s: s, page: p, urls: urls}
	var js []int
	try := func(b []byte) {
		if a := r.file(string(b)); a != nil {
			if j := pos[a]; !slices.Contains(js, j) {
				js = append(js, j)
			}
		}
	}
	for _, w := range s.bodyNamed(p, names) {
		try(w)
	}
	eachVariant([]byte(p.Summary), func(t []byte) { names.eachNamed(t, try) })
	return js
}

// bodyNamed returns the words of p's body that may name one of names
// (fileNames.eachNamed over the body's variants), kept with the body's
// conversion for the next rebuild with the same names.
func (s *loadedSite) bodyNamed(p *content.Page, names *fileNames) [][]byte {
	conv := s.convs[p.File]
	if conv != nil && conv.body == keyOfBody(p.Body) {
		if nw := conv.named.Load(); nw != nil && nw.names == names.print() {
			return nw.words
		}
	} else {
		conv = nil
	}
	var words [][]byte
	eachVariant(p.Body, func(t []byte) {
		names.eachNamed(t, func(w []byte) { words = append(words, slices.Clone(w)) })
	})
	if conv != nil {
		conv.named.Store(&namedWords{names: names.print(), words: words})
	}
	return words
}

// eachVariant calls fn with text as written and, when they differ, with
// character references decoded and with markdown backslash escapes undone.
func eachVariant(text []byte, fn func([]byte)) {
	fn(text)
	if bytes.IndexByte(text, '&') >= 0 {
		fn([]byte(html.UnescapeString(string(text))))
	}
	if bytes.IndexByte(text, '\\') >= 0 {
		fn(mdUnescape(text))
	}
}

// mdUnescape drops each backslash that escapes ASCII punctuation.
func mdUnescape(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) && isPunct(b[i+1]) {
			continue
		}
		out = append(out, b[i])
	}
	return out
}

func isPunct(c byte) bool {
	return c > ' ' && c < 0x7f && !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
}

// fileNames are the lower-cased base names of a site's attachments, with
// the last bytes and lengths they have, to skip most words at once.
type fileNames struct {
	names map[string]bool
	last  [256]bool
	lens  [64]bool // lengths below 64; longer names are always looked up
	// split holds the names that hold a byte or rune ending a word
	// ("photo (1).png", "report=final.csv"), by their last word
	// lower-cased (".png", "final.csv"): such a name is looked for where
	// a word of text is its last word.
	split map[string][]string
	// printed is a hash of the names, made once (print).
	printOnce sync.Once
	printed   uint64
}

// print returns a hash of the names: equal for the same names.
func (n *fileNames) print() uint64 {
	n.printOnce.Do(func() {
		// each name and tail with its length first, so that no two sets
		// of names read alike whatever bytes the names hold
		lp := func(s string) string { return strconv.Itoa(len(s)) + ":" + s }
		var all []string
		for name := range n.names {
			all = append(all, lp(name))
		}
		for tail, ns := range n.split {
			e := "split " + lp(tail)
			for _, name := range ns {
				e += lp(name)
			}
			all = append(all, lp(e))
		}
		slices.Sort(all)
		n.printed = maphash.String(bodySeeds[0], strings.Join(all, ""))
	})
	return n.printed
}

// add adds a base name.
func (n *fileNames) add(name string) {
	name = strings.ToLower(name)
	if name == "" {
		return
	}
	if i := lastStop(name); i >= 0 {
		if tail := name[i:]; tail != "" && !slices.Contains(n.split[tail], name) {
			if n.split == nil {
				n.split = map[string][]string{}
			}
			n.split[tail] = append(n.split[tail], name)
		}
		return
	}
	n.names[name] = true
	n.last[name[len(name)-1]] = true
	if len(name) < len(n.lens) {
		n.lens[len(name)] = true
	}
}

// lastStop returns the offset in name just after its last byte or rune
// that ends a word (see stopAt), -1 when it holds none.
func lastStop(name string) int {
	at := -1
	for i := 0; i < len(name); {
		stop, size := stopAt([]byte(name[i:]))
		if i += size; stop {
			at = i
		}
	}
	return at
}

// stopAt reports whether text starts with a byte or rune that ends a word
// that may name a file, and its size: a byte of refStop, or outside ASCII
// white space or punctuation (typographic quotes and dashes, "«", "…"),
// which prose sets around a name as it does quotes.
func stopAt(text []byte) (stop bool, size int) {
	if c := text[0]; c < utf8.RuneSelf {
		return refStop[c], 1
	}
	r, size := utf8.DecodeRune(text)
	return unicode.IsSpace(r) || unicode.IsPunct(r), size
}

// plain reports whether seg, a lower-case word segment, is a file's name.
func (n *fileNames) plain(seg []byte) bool {
	if len(seg) == 0 || !n.last[seg[len(seg)-1]] || len(seg) < len(n.lens) && !n.lens[len(seg)] {
		return false
	}
	return n.names[string(seg)]
}

// maxSplitName bounds how far before its last word a name that holds
// word-ending characters is looked for, with the path before it.
const maxSplitName = 1024

// eachNamed calls fn with every word of text whose last path segment,
// without "?query" or "#fragment", percent-decoded and in any case, is a
// file's name; words end where eachWord ends them and at punctuation or
// white space outside ASCII, and a full stop or colon that ends a word
// ("see plan.pdf.") is tried without. A name that holds such characters
// is found where its last word is (see fileNames.split), and fn is called
// with it and with each longer run of text before it on its line that
// starts after a word's end ("r/photo (1).png", "my files/photo (1).png").
// It runs over the text of every page, so plain words are looked up in
// one pass without allocating.
func (n *fileNames) eachNamed(text []byte, fn func(w []byte)) {
	start, seg, end, odd := -1, 0, -1, false
	for i := 0; i <= len(text); {
		stop, size := true, 1
		if i < len(text) {
			stop, size = stopAt(text[i:])
		}
		if !stop {
			c := text[i]
			switch {
			case start < 0:
				start, seg, end, odd = i, i, -1, false
				continue
			case c == '/' || c == '\\':
				seg, end = i+1, -1
			case (c == '?' || c == '#') && end < 0:
				end = i
			case c == '%' || c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf:
				odd = true
			}
			i += size
			continue
		}
		if start >= 0 {
			if end < 0 {
				end = i
			}
			n.word(text, start, seg, end, i, odd, fn)
			start = -1
		}
		i += size
	}
}

// word calls fn with the word text[start:i] (its last segment
// text[seg:end]) when it names a file, or, failing that, without a full
// stop or colon that ends it; and with the names that hold word-ending
// characters and end in that segment (see eachNamed).
func (n *fileNames) word(text []byte, start, seg, end, i int, odd bool, fn func(w []byte)) {
	names := func(w []byte, last []byte) bool {
		return n.plain(last) || odd && n.names[baseName(string(w))]
	}
	if names(text[start:i], text[seg:end]) {
		fn(text[start:i])
	} else if end == i {
		k := i
		for k > seg && (text[k-1] == '.' || text[k-1] == ':') {
			k--
		}
		if k < i && k > seg && names(text[start:k], text[seg:k]) {
			fn(text[start:k])
		}
	}
	if n.split == nil {
		return
	}
	for _, e := range []int{end, trimEnd(text, seg, end)} {
		var names []string
		if odd {
			names = n.split[strings.ToLower(string(text[start:e]))]
		} else {
			names = n.split[string(text[start:e])]
		}
		for _, name := range names {
			at := e - len(name)
			if at < 0 || !bytes.EqualFold(text[at:e], []byte(name)) {
				continue
			}
			to := i // with the "?query#fragment"; without the stops trimmed
			if e != end {
				to = e
			}
			fn(text[at:to])
			for s := at - 1; s >= 0 && at-s <= maxSplitName && text[s] != '\n'; s-- {
				if utf8.RuneStart(text[s]) && (s == 0 || stopBefore(text, s)) {
					fn(text[s:to])
				}
			}
		}
		if e == end && trimEnd(text, seg, end) == end {
			break
		}
	}
}

// stopBefore reports whether the byte or rune that ends just before
// text[s] ends a word (see stopAt).
func stopBefore(text []byte, s int) bool {
	if c := text[s-1]; c < utf8.RuneSelf {
		return refStop[c]
	}
	_, size := utf8.DecodeLastRune(text[:s])
	stop, _ := stopAt(text[s-size:])
	return stop
}

// trimEnd returns end, before the full stops and colons that end the
// segment text[seg:end].
func trimEnd(text []byte, seg, end int) int {
	for end > seg && (text[end-1] == '.' || text[end-1] == ':') {
		end--
	}
	return end
}

// baseName is the lower-cased, percent-decoded last segment of a word's
// path, without "?query" or "#fragment".
func baseName(w string) string {
	w, _ = splitRef(strings.ReplaceAll(w, `\`, "/"))
	w = w[strings.LastIndexByte(w, '/')+1:]
	if dec, err := url.PathUnescape(w); err == nil {
		w = dec
	}
	return strings.ToLower(w)
}

// onAllCores calls f with every index below n, on GOMAXPROCS goroutines,
// and returns when every call has.
func onAllCores(n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}
