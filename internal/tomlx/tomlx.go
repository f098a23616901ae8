// Package tomlx reads TOML strictly and with positions: a config file or
// a page's frontmatter is parsed into a Doc and read through a Table's
// typed accessors, which collect every problem (a wrong type, an invalid
// value, an unknown key with a "did you mean") as a diag.Error at the line
// of its key, rather than stopping at the first one. It also reads the
// [access] table that config/site.toml and frontmatter share (ParseLevel).
//
// It is the one place facet finds where a key is written: BurntSushi/toml
// keeps key positions private, so a small scanner of its own (keylines.go)
// records the line of every key and array element, and a syntax error is
// placed at the byte the parser points at (errorLine). It knows no file's
// schema: internal/config reads config/*.toml with it and internal/content
// reads frontmatter, neither depending on the other.
package tomlx

import (
	"bytes"
	"errors"

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

// Parse parses text, the TOML of file whose first line is line
// offset+1 of file (0 for a whole file; the line of the opening +++ for
// frontmatter). A syntax error is returned as a *diag.Error at its line.
func Parse(file string, text []byte, offset int) (*Doc, error) {
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

// written returns the file line where the key path itself is written, 0
// when it is not.
func (d *Doc) written(path []string) int {
	if l, ok := d.lines[joinPath(path)]; ok {
		return l + d.offset
	}
	return 0
}
