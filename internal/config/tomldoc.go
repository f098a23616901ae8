package config

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/facet-docs/facet/internal/diag"
)

// Doc is one parsed TOML document (a config file or a page's frontmatter)
// with the line of every key, read through typed accessors that collect
// every problem as a diag.Error at the key's line instead of stopping at the
// first one.
type Doc struct {
	// File is the path in messages ("config/site.toml", "content/a.md").
	File string

	offset int
	lines  map[string]int
	root   *Table
	errs   diag.List
}

// ParseTOML parses text, the TOML of file whose first line is line
// offset+1 of file (0 for a whole file; the line of the opening +++ for
// frontmatter). A syntax error is returned as a *diag.Error at its line.
func ParseTOML(file string, text []byte, offset int) (*Doc, error) {
	data := map[string]any{}
	if _, err := toml.Decode(string(text), &data); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &diag.Error{File: file, Line: errorLine(text, pe) + offset, Msg: "invalid TOML: " + pe.Message, Err: err}
		}
		return nil, &diag.Error{File: file, Msg: "invalid TOML: " + err.Error(), Err: err}
	}
	d := &Doc{File: file, offset: offset, lines: keyLines(string(text))}
	d.root = &Table{doc: d, m: data, used: map[string]bool{}}
	return d, nil
}

// errorLine is the line of the byte a parse error points at: the parser's
// own line has already moved on when that byte is the newline ending a line.
func errorLine(text []byte, pe toml.ParseError) int {
	if pe.Position.Start < 0 || pe.Position.Start >= len(text) {
		return pe.Position.Line
	}
	return 1 + bytes.Count(text[:pe.Position.Start], []byte("\n"))
}

// Root returns the document's top-level table.
func (d *Doc) Root() *Table { return d.root }

// Problems returns the problems found so far.
func (d *Doc) Problems() diag.List { return d.errs }

// Line returns the file line where the key path (array elements numbered
// "0", "1", ...) is written, else the line of its nearest written parent,
// else offset+1.
func (d *Doc) Line(path ...string) int {
	for n := len(path); n > 0; n-- {
		if l, ok := d.lines[joinPath(path[:n])]; ok {
			return l + d.offset
		}
	}
	return d.offset + 1
}

// Table is one table of a Doc. Its accessors mark keys as known; Finish
// reports the others.
type Table struct {
	doc  *Doc
	path []string // key path with array indexes, for lines
	name []string // key path without indexes, for messages
	m    map[string]any
	used map[string]bool
}

// Line returns the file line of key in t, or of t itself when key is "".
func (t *Table) Line(key string) int {
	if key == "" {
		return t.doc.Line(t.path...)
	}
	return t.doc.Line(append(slices.Clone(t.path), key)...)
}

// Name returns the dotted name of key in t for messages ("markdown.unsafe").
func (t *Table) Name(key string) string {
	return strings.Join(append(slices.Clone(t.name), key), ".")
}

// Has reports whether key is set in t.
func (t *Table) Has(key string) bool {
	_, ok := t.m[key]
	return ok
}

// Errorf records a problem at key's line (t's own line when key is "").
func (t *Table) Errorf(key, format string, args ...any) {
	t.doc.errs.Addf(t.doc.File, t.Line(key), format, args...)
}

// ErrorAt records a problem at a file line, such as one of the lines
// Strings returns.
func (t *Table) ErrorAt(line int, format string, args ...any) {
	t.doc.errs.Addf(t.doc.File, line, format, args...)
}

// Keys returns t's keys, sorted, marking them known.
func (t *Table) Keys() []string {
	keys := make([]string, 0, len(t.m))
	for k := range t.m {
		keys = append(keys, k)
		t.used[k] = true
	}
	slices.Sort(keys)
	return keys
}

// get returns the value of key, marking it known.
func (t *Table) get(key string) (any, bool) {
	v, ok := t.m[key]
	if ok {
		t.used[key] = true
	}
	return v, ok
}

func (t *Table) wrongType(key, want string, v any) {
	t.Errorf(key, "%s must be %s, not %s", t.Name(key), want, typeName(v))
}

// String sets *dst to the string at key and reports whether it was set.
func (t *Table) String(key string, dst *string) bool {
	v, ok := t.get(key)
	if !ok {
		return false
	}
	s, ok := v.(string)
	if !ok {
		t.wrongType(key, "a string", v)
		return false
	}
	*dst = s
	return true
}

// Bool sets *dst to the boolean at key and reports whether it was set.
func (t *Table) Bool(key string, dst *bool) bool {
	v, ok := t.get(key)
	if !ok {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		t.wrongType(key, "true or false", v)
		return false
	}
	*dst = b
	return true
}

// Int sets *dst to the integer at key and reports whether it was set.
func (t *Table) Int(key string, dst *int) bool {
	v, ok := t.get(key)
	if !ok {
		return false
	}
	n, ok := v.(int64)
	if !ok {
		t.wrongType(key, "an integer", v)
		return false
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		t.Errorf(key, "%s is out of range", t.Name(key))
		return false
	}
	*dst = int(n)
	return true
}

// Strings returns the array of strings at key with the file line of each
// element; ok is false when the key is absent or not such an array.
func (t *Table) Strings(key string) (vals []string, lines []int, ok bool) {
	v, ok := t.get(key)
	if !ok {
		return nil, nil, false
	}
	arr, isArr := v.([]any)
	if !isArr {
		t.wrongType(key, "an array of strings", v)
		return nil, nil, false
	}
	vals, lines = make([]string, 0, len(arr)), make([]int, 0, len(arr))
	for i, e := range arr {
		s, isStr := e.(string)
		line := t.doc.Line(append(slices.Clone(t.path), key, strconv.Itoa(i))...)
		if !isStr {
			t.doc.errs.Addf(t.doc.File, line, "%s must hold strings, not %s", t.Name(key), typeName(e))
			ok = false
			continue
		}
		vals, lines = append(vals, s), append(lines, line)
	}
	return vals, lines, ok
}

// Table returns the table at key, nil when absent or not a table.
func (t *Table) Table(key string) *Table {
	v, ok := t.get(key)
	if !ok {
		return nil
	}
	m, isMap := v.(map[string]any)
	if !isMap {
		t.wrongType(key, "a table", v)
		return nil
	}
	return t.sub(key, m)
}

// Tables returns the array of tables at key ([[key]]), nil when absent.
func (t *Table) Tables(key string) []*Table {
	v, ok := t.get(key)
	if !ok {
		return nil
	}
	var maps []map[string]any
	switch v := v.(type) {
	case []map[string]any:
		maps = v
	case []any:
		for _, e := range v {
			m, isMap := e.(map[string]any)
			if !isMap {
				t.wrongType(key, "an array of tables", e)
				return nil
			}
			maps = append(maps, m)
		}
	default:
		t.wrongType(key, "an array of tables", v)
		return nil
	}
	out := make([]*Table, len(maps))
	for i, m := range maps {
		out[i] = t.sub(key, m)
		out[i].path = append(out[i].path, strconv.Itoa(i))
	}
	return out
}

func (t *Table) sub(key string, m map[string]any) *Table {
	return &Table{
		doc:  t.doc,
		path: append(slices.Clone(t.path), key),
		name: append(slices.Clone(t.name), key),
		m:    m,
		used: map[string]bool{},
	}
}

// Finish records every key of t that no accessor asked for as an unknown
// key, in line order.
func (t *Table) Finish() {
	var unknown []string
	for k := range t.m {
		if !t.used[k] {
			unknown = append(unknown, k)
		}
	}
	slices.SortFunc(unknown, func(a, b string) int {
		if la, lb := t.Line(a), t.Line(b); la != lb {
			return la - lb
		}
		return strings.Compare(a, b)
	})
	for _, k := range unknown {
		t.Errorf(k, "unknown key %q", t.Name(k))
	}
}

// Date is a TOML date or datetime value.
type Date struct {
	// Time is the instant; a local date or datetime (no offset) is taken as UTC.
	Time time.Time
	// DateOnly is true for a date without a time of day.
	DateOnly bool
	// Written is the value in a fixed form: "2026-12-31" for a date,
	// RFC 3339 otherwise.
	Written string
}

// Date returns the date or datetime at key: a TOML date, local datetime or
// offset datetime, or a string in one of those forms.
func (t *Table) Date(key string) (Date, bool) {
	v, ok := t.get(key)
	if !ok {
		return Date{}, false
	}
	var d Date
	switch v := v.(type) {
	case time.Time:
		d, ok = fromTOMLTime(v)
	case string:
		d, ok = parseDate(v)
	default:
		ok = false
	}
	if !ok {
		t.wrongType(key, "a date (2026-12-31) or datetime (2026-12-31T18:00:00Z)", v)
	}
	return d, ok
}

func fromTOMLTime(v time.Time) (Date, bool) {
	switch v.Location().String() {
	case "time-local":
		return Date{}, false
	case "date-local":
		u := time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)
		return Date{Time: u, DateOnly: true, Written: u.Format(time.DateOnly)}, true
	case "datetime-local":
		v = time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC)
	}
	return Date{Time: v, Written: v.Format(time.RFC3339Nano)}, true
}

func parseDate(s string) (Date, bool) {
	if u, err := time.Parse(time.DateOnly, s); err == nil {
		return Date{Time: u, DateOnly: true, Written: s}, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05"} {
		if u, err := time.Parse(layout, s); err == nil {
			return Date{Time: u, Written: u.Format(time.RFC3339Nano)}, true
		}
	}
	return Date{}, false
}

func typeName(v any) string {
	switch v := v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case time.Time:
		if v.Location().String() == "time-local" {
			return "a time of day"
		}
		return "a datetime"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}
