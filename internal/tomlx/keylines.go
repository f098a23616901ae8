package tomlx

import (
	"strconv"
	"strings"
)

// keyLines maps every key and array element written in a TOML document to
// the 1-based line where it is written. Paths are keys joined by sep; the
// elements of arrays (and the tables of [[arrays]]) are numbered "0", "1", ...
//
// BurntSushi/toml keeps key positions unexported, so this is a small
// scanner of its own. It only ever runs on text the TOML parser accepted,
// but it is written to end on any input without panicking (see
// FuzzKeyLines); on text it does not understand it records less.
func keyLines(text string) map[string]int {
	s := &scanner{text: text, line: 1, lines: map[string]int{}, arrays: map[string]int{}}
	s.document()
	return s.lines
}

const sep = "\x00"

func joinPath(path []string) string { return strings.Join(path, sep) }

type scanner struct {
	text   string
	i      int
	line   int
	lines  map[string]int
	arrays map[string]int // [[array]] path -> tables seen so far
}

func (s *scanner) eof() bool { return s.i >= len(s.text) }

func (s *scanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.text[s.i]
}

func (s *scanner) advance() {
	if s.text[s.i] == '\n' {
		s.line++
	}
	s.i++
}

func (s *scanner) record(path []string, line int) {
	k := joinPath(path)
	if _, ok := s.lines[k]; !ok {
		s.lines[k] = line
	}
}

// skipSpace skips blanks, and with newlines also line ends and comments.
func (s *scanner) skipSpace(newlines bool) {
	for !s.eof() {
		switch c := s.peek(); {
		case c == ' ' || c == '\t' || c == '\r':
			s.advance()
		case c == '#':
			for !s.eof() && s.peek() != '\n' {
				s.advance()
			}
		case c == '\n' && newlines:
			s.advance()
		default:
			return
		}
	}
}

func (s *scanner) skipLine() {
	for !s.eof() && s.peek() != '\n' {
		s.advance()
	}
}

func (s *scanner) document() {
	var table []string
	for {
		s.skipSpace(true)
		if s.eof() {
			return
		}
		start := s.i
		if s.peek() == '[' {
			table = s.header()
		} else {
			s.keyValue(table)
		}
		s.skipSpace(false)
		s.skipLine()
		if s.i == start && !s.eof() {
			s.advance()
		}
	}
}

// header reads [a.b] or [[a.b]] and returns the table's path.
func (s *scanner) header() []string {
	line := s.line
	s.advance()
	array := s.peek() == '['
	if array {
		s.advance()
	}
	keys := s.key()
	path := s.resolve(keys)
	if array {
		base := joinPath(path)
		n := s.arrays[base]
		s.arrays[base] = n + 1
		s.record(path, line)
		path = append(path, strconv.Itoa(n))
	}
	s.record(path, line)
	return path
}

// resolve turns header keys into a path, entering the last table of every
// [[array]] on the way ([[a]] then [a.b] means a.N.b).
func (s *scanner) resolve(keys []string) []string {
	var path []string
	for _, k := range keys {
		path = append(path, k)
		if n, ok := s.arrays[joinPath(path)]; ok && len(path) < len(keys) {
			path = append(path, strconv.Itoa(n-1))
		}
	}
	return path
}

func (s *scanner) keyValue(prefix []string) {
	line := s.line
	keys := s.key()
	if len(keys) == 0 {
		return
	}
	path := append(append([]string(nil), prefix...), keys...)
	for i := len(prefix) + 1; i <= len(path); i++ {
		s.record(path[:i], line)
	}
	s.skipSpace(false)
	if s.peek() != '=' {
		return
	}
	s.advance()
	s.skipSpace(false)
	s.value(path)
}

// key reads a dotted key up to '=' or ']' and returns its parts.
func (s *scanner) key() []string {
	var parts []string
	for {
		s.skipSpace(false)
		switch c := s.peek(); {
		case c == '"' || c == '\'':
			parts = append(parts, s.quotedKey(c))
		case isBare(c):
			start := s.i
			for !s.eof() && isBare(s.peek()) {
				s.advance()
			}
			parts = append(parts, s.text[start:s.i])
		default:
			return parts
		}
		s.skipSpace(false)
		if s.peek() != '.' {
			return parts
		}
		s.advance()
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func (s *scanner) quotedKey(q byte) string {
	start := s.i
	s.str(q)
	raw := s.text[start:s.i]
	if q == '\'' {
		return strings.Trim(raw, "'")
	}
	if u, err := strconv.Unquote(raw); err == nil {
		return u
	}
	return strings.Trim(raw, `"`)
}

// value skips one value, recording the elements of arrays and the keys of
// inline tables under path.
func (s *scanner) value(path []string) {
	switch c := s.peek(); c {
	case '"', '\'':
		if strings.HasPrefix(s.text[s.i:], strings.Repeat(string(c), 3)) {
			s.multiline(c)
		} else {
			s.str(c)
		}
	case '[':
		s.array(path)
	case '{':
		s.inlineTable(path)
	default:
		for !s.eof() && !strings.ContainsRune(",]}\n#", rune(s.peek())) {
			s.advance()
		}
	}
}

func (s *scanner) array(path []string) {
	s.advance()
	for n := 0; ; n++ {
		s.skipSpace(true)
		if s.eof() {
			return
		}
		if s.peek() == ']' {
			s.advance()
			return
		}
		start := s.i
		elem := append(append([]string(nil), path...), strconv.Itoa(n))
		s.record(elem, s.line)
		s.value(elem)
		s.skipSpace(true)
		if s.peek() == ',' {
			s.advance()
		} else if s.i == start {
			s.advance()
		}
	}
}

func (s *scanner) inlineTable(path []string) {
	s.advance()
	for {
		s.skipSpace(true)
		switch s.peek() {
		case 0:
			return
		case '}':
			s.advance()
			return
		case ',':
			s.advance()
			continue
		}
		start := s.i
		s.keyValue(path)
		if s.i == start {
			s.advance()
		}
	}
}

// str skips a one-line string starting at its opening quote q.
func (s *scanner) str(q byte) {
	s.advance()
	for !s.eof() {
		c := s.peek()
		if c == '\n' {
			return
		}
		s.advance()
		switch {
		case c == q:
			return
		case c == '\\' && q == '"' && !s.eof() && s.peek() != '\n':
			s.advance()
		}
	}
}

// multiline skips a multi-line string (three quotes or three apostrophes),
// with up to two extra closing quotes.
func (s *scanner) multiline(q byte) {
	fence := strings.Repeat(string(q), 3)
	for range 3 {
		s.advance()
	}
	for !s.eof() {
		if strings.HasPrefix(s.text[s.i:], fence) {
			for range 3 {
				s.advance()
			}
			for extra := 0; extra < 2 && s.peek() == q; extra++ {
				s.advance()
			}
			return
		}
		if s.peek() == '\\' && q == '"' {
			s.advance()
			if s.eof() {
				return
			}
		}
		s.advance()
	}
}
