package verify

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Search shards (the render package's _facet/search/w/<k>.js) map the
// words of a build's pages to postings. Besides the scan every text file
// gets (titles and URLs), the gate checks their words: a word that only
// pages hidden from a build hold must not be in its index. ShardTerms
// reads the words; the caller knows which pages hold which.

// errShard is returned for a shard that is not in the expected form.
var errShard = errors.New("not a search shard")

// ShardTerms returns the terms of a search shard: the keys of the object
// in facetSearch({"term":"postings",...});. Postings are punctuation
// only (no quote or backslash); anything else is an error, so a shard
// the gate cannot read fails it rather than passing unread.
func ShardTerms(data []byte) ([]string, error) {
	const pre, post = "facetSearch({", "});\n"
	if !bytes.HasPrefix(data, []byte(pre)) || !bytes.HasSuffix(data, []byte(post)) {
		return nil, errShard
	}
	b := data[len(pre) : len(data)-len(post)]
	var terms []string
	for len(b) > 0 {
		term, rest, err := jsonString(b)
		if err != nil {
			return nil, err
		}
		if len(rest) < 2 || rest[0] != ':' || rest[1] != '"' {
			return nil, errShard
		}
		end := bytes.IndexByte(rest[2:], '"')
		if end < 0 || bytes.IndexByte(rest[2:2+end], '\\') >= 0 {
			return nil, errShard
		}
		terms = append(terms, term)
		b = rest[2+end+1:]
		if len(b) > 0 {
			if b[0] != ',' {
				return nil, errShard
			}
			b = b[1:]
		}
	}
	return terms, nil
}

// jsonString reads the JSON string at the start of b.
func jsonString(b []byte) (string, []byte, error) {
	if len(b) == 0 || b[0] != '"' {
		return "", nil, errShard
	}
	esc := false
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			esc = true
			i++
		case '"':
			if !esc {
				return string(b[1:i]), b[i+1:], nil
			}
			s, err := strconv.Unquote(strings.ReplaceAll(string(b[:i+1]), `\/`, `/`))
			if err != nil {
				return "", nil, errShard
			}
			return s, b[i+1:], nil
		}
	}
	return "", nil, errShard
}

// WordLeak is a word in a build's search index that only pages hidden
// from the build hold.
type WordLeak struct {
	Build string // build folder
	File  string // the shard within the build
	Term  string
	Pages []string // source files of hidden pages that hold it (a few)
}

// Error names the build, the shard, the word and the pages that hold it.
func (l *WordLeak) Error() string {
	return fmt.Sprintf("verify: build %s: search index %s holds the word %q, which only pages hidden from this build hold (%s); "+
		"this is a bug in facet's search index: please report it", l.Build, l.File, l.Term, strings.Join(l.Pages, ", "))
}
