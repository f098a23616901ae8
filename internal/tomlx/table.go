package tomlx

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/facet-docs/facet/internal/diag"
)

// Table is one table of a Doc. Its accessors mark keys as known; Finish
// reports the others.
type Table struct {
	doc   *Doc
	path  []string // key path with array indexes, for lines
	name  []string // key path without indexes, for messages
	m     map[string]any
	used  map[string]bool // keys present and read
	asked []string        // every key an accessor asked for, present or not
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

// WrittenLine returns the file line where key of t is written, 0 when the
// document does not write it (for a problem about a value that came from
// elsewhere, such as a default or a command-line flag).
func (t *Table) WrittenLine(key string) int {
	return t.doc.written(append(slices.Clone(t.path), key))
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

// Reject records a problem at key's line when key is set, and marks it
// known so that Finish does not report it again: for keys that must not be
// written, such as a secret. It reports whether key was set.
func (t *Table) Reject(key, format string, args ...any) bool {
	if _, ok := t.get(key); !ok {
		return false
	}
	t.Errorf(key, format, args...)
	return true
}

// Unread returns the keys of t that no accessor asked for so far, in line
// order: what Finish would report.
func (t *Table) Unread() []string {
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
	return unknown
}

// get returns the value of key, marking it known.
func (t *Table) get(key string) (any, bool) {
	if !slices.Contains(t.asked, key) {
		t.asked = append(t.asked, key)
	}
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
// key, in line order, with the closest key that was asked for when one is
// close ("did you mean").
func (t *Table) Finish() {
	for _, k := range t.Unread() {
		if s := diag.Closest(k, t.asked); s != "" {
			t.Errorf(k, "unknown key %q; did you mean %q?", t.Name(k), t.Name(s))
			continue
		}
		t.Errorf(k, "unknown key %q", t.Name(k))
	}
}
