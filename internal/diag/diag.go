// Package diag holds facet's position errors: a problem in an input file,
// printed as "file:line: message", and a List that collects every problem
// of a run so that a build reports them all at once instead of stopping at
// the first.
//
// From is the one test of whether an error carries such problems, and
// Closest finds the "did you mean" of a misspelt name.
//
// It knows nothing of TOML, markdown or access rules; callers find the
// lines. It does not print or log: callers decide where errors go.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Error is a problem at a position in an input file.
type Error struct {
	// File is the path relative to the site root, with forward slashes
	// ("content/a.md"); empty when the problem has no file.
	File string
	// Line is the 1-based line, 0 when the problem concerns the whole file.
	Line int
	// Msg is the message, lowercase, without the position.
	Msg string
	// Err is the underlying error, if any; Unwrap returns it.
	Err error
}

// Errorf returns an Error at file:line with a formatted message. A %w verb
// in format sets Err as fmt.Errorf would.
func Errorf(file string, line int, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{File: file, Line: line, Msg: err.Error(), Err: errors.Unwrap(err)}
}

// Error prints "file:line: message", "file: message" when Line is 0, and
// the message alone when File is empty.
func (e *Error) Error() string {
	msg := e.Msg
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	switch {
	case e.File == "":
		return msg
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return e.File + ": " + msg
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// List collects the problems of a run. The zero value is an empty list
// ready to use.
type List []*Error

// Addf appends an Error at file:line with a formatted message.
func (l *List) Addf(file string, line int, format string, args ...any) {
	*l = append(*l, Errorf(file, line, format, args...))
}

// Append adds err: a List or *Error (also wrapped) is added as its
// problems, any other error as a problem without position. A nil err adds
// nothing.
func (l *List) Append(err error) {
	if err == nil {
		return
	}
	var list List
	if errors.As(err, &list) {
		*l = append(*l, list...)
		return
	}
	var e *Error
	if errors.As(err, &e) {
		*l = append(*l, e)
		return
	}
	*l = append(*l, &Error{Msg: err.Error(), Err: err})
}

// Sort orders the list by file, then line, keeping the order of problems
// at the same position.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}

// Error prints one problem a line, sorted by file then line.
func (l List) Error() string {
	sorted := slices.Clone(l)
	sorted.Sort()
	var b strings.Builder
	for i, e := range sorted {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so that errors.Is and errors.As see each.
func (l List) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Err returns the list, sorted, as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// From returns the problems err carries: the List it is or wraps, else the
// Error it is or wraps as a List of one; nil when it carries neither (an
// I/O failure, a cancelled context). It is the one test of "is this a
// problem of the input" that callers share.
func From(err error) List {
	var list List
	if errors.As(err, &list) {
		return list
	}
	var e *Error
	if errors.As(err, &e) {
		return List{e}
	}
	return nil
}
