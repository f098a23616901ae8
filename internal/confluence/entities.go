package confluence

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// object is one <object> of entities.xml: its class, its id and its
// properties. A property holds either text or a reference (the id of
// another object); collections are not kept (every relation the importer
// needs is also written on the child's side).
type object struct {
	Class string
	ID    string
	Props map[string]prop
	// Elems are the elements of its collections that refer to a
	// restriction, in file order: some exports name a restriction's set
	// or page only there.
	Elems []elem
	Line  int // the line of the <object> start tag
}

// elem is one <element> of a <collection>: the collection's name (or
// that of the property holding it), the class and the id it refers to.
type elem struct {
	Coll, Class, ID string
}

// prop is one <property>: Text for a value, Ref and RefClass for a
// reference to another object.
type prop struct {
	Text     string
	Ref      string
	RefClass string
}

// text returns the text of a property, "" when absent.
func (o *object) text(name string) string { return o.Props[name].Text }

// ref returns the id a property refers to, "" when absent.
func (o *object) ref(name string) string { return o.Props[name].Ref }

// PosError is an error at a line of a file of the export.
type PosError struct {
	File string
	Line int
	Err  error
}

func (e *PosError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *PosError) Unwrap() error { return e.Err }

// ErrNotXMLExport says the input is not a Confluence XML export.
var ErrNotXMLExport = errors.New("not a Confluence XML space export")

// objectReader streams the objects of entities.xml.
type objectReader struct {
	d    *xml.Decoder
	name string
	// skip names properties whose text is not kept (the page bodies in the
	// first pass), so their size never adds up in memory.
	skip func(class, prop string) bool
	// only, when set, is the one class read; other objects are skipped
	// unparsed.
	only string
	root bool
}

// readObjects calls fn for every <object> of r, in file order, one at a
// time. skip may be nil.
func readObjects(r io.Reader, name string, skip func(class, prop string) bool, fn func(*object) error) error {
	return (&objectReader{d: xml.NewDecoder(r), name: name, skip: skip}).read(fn)
}

// readClass is readObjects for the objects of one class.
func readClass(r io.Reader, name, class string, fn func(*object) error) error {
	return (&objectReader{d: xml.NewDecoder(r), name: name, only: class}).read(fn)
}

func (or *objectReader) read(fn func(*object) error) error {
	name := or.name
	for {
		tok, err := or.d.Token()
		if err == io.EOF {
			if !or.root {
				return &PosError{File: name, Err: fmt.Errorf("%w: no <hibernate-generic> root element", ErrNotXMLExport)}
			}
			return nil
		}
		if err != nil {
			return or.syntax(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !or.root {
			if se.Name.Local != "hibernate-generic" {
				return or.errorf("%w: the root element is <%s>, not <hibernate-generic>", ErrNotXMLExport, se.Name.Local)
			}
			or.root = true
			continue
		}
		if se.Name.Local != "object" {
			if err := or.d.Skip(); err != nil {
				return or.syntax(err)
			}
			continue
		}
		if or.only != "" && attr(se, "class") != or.only {
			if err := or.d.Skip(); err != nil {
				return or.syntax(err)
			}
			continue
		}
		o, err := or.object(se)
		if err != nil {
			return err
		}
		if err := fn(o); err != nil {
			return err
		}
	}
}

// line is the decoder's current line.
func (or *objectReader) line() int {
	l, _ := or.d.InputPos()
	return l
}

func (or *objectReader) errorf(format string, args ...any) error {
	return &PosError{File: or.name, Line: or.line(), Err: fmt.Errorf(format, args...)}
}

// syntax wraps a decoder error with the file; xml.SyntaxError has its line.
func (or *objectReader) syntax(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &PosError{File: or.name, Line: se.Line, Err: fmt.Errorf("malformed XML: %s", se.Msg)}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return or.errorf("malformed XML: the file ends inside an element")
	}
	return &PosError{File: or.name, Line: or.line(), Err: err}
}

// object reads one <object> element whose start tag was just read.
func (or *objectReader) object(se xml.StartElement) (*object, error) {
	o := &object{Class: attr(se, "class"), Props: map[string]prop{}, Line: or.line()}
	if o.Class == "" {
		return nil, or.errorf("an <object> without a class attribute")
	}
	for {
		tok, err := or.d.Token()
		if err != nil {
			return nil, or.syntax(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return o, nil
		case xml.StartElement:
			switch t.Name.Local {
			case "id":
				s, err := or.text()
				if err != nil {
					return nil, err
				}
				o.ID = strings.TrimSpace(s)
			case "property":
				p, err := or.property(o, t)
				if err != nil {
					return nil, err
				}
				o.Props[attr(t, "name")] = p
			case "collection":
				if err := or.collection(o, attr(t, "name")); err != nil {
					return nil, err
				}
			default:
				if err := or.d.Skip(); err != nil {
					return nil, or.syntax(err)
				}
			}
		}
	}
}

// property reads a <property>: its text, or the <id> of the object it
// refers to; the elements of a collection inside it go to o.Elems.
func (or *objectReader) property(o *object, se xml.StartElement) (prop, error) {
	p := prop{RefClass: attr(se, "class")}
	keep := or.skip == nil || !or.skip(o.Class, attr(se, "name"))
	var b strings.Builder
	for {
		tok, err := or.d.Token()
		if err != nil {
			return p, or.syntax(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if keep {
				b.Write(t)
			}
		case xml.EndElement:
			p.Text = b.String()
			return p, nil
		case xml.StartElement:
			if t.Name.Local == "id" {
				s, err := or.text()
				if err != nil {
					return p, err
				}
				p.Ref = strings.TrimSpace(s)
				continue
			}
			if t.Name.Local == "collection" {
				if err := or.collection(o, attr(se, "name")); err != nil {
					return p, err
				}
				continue
			}
			if err := or.d.Skip(); err != nil {
				return p, or.syntax(err)
			}
		}
	}
}

// collection reads a <collection> whose start tag was just read, keeping
// in o.Elems each <element> that refers to a restriction (a
// ContentPermission or ContentPermissionSet) by an <id>.
func (or *objectReader) collection(o *object, name string) error {
	for {
		tok, err := or.d.Token()
		if err != nil {
			return or.syntax(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if t.Name.Local != "element" {
				if err := or.d.Skip(); err != nil {
					return or.syntax(err)
				}
				continue
			}
			id, err := or.elementID()
			if err != nil {
				return err
			}
			if id != "" && strings.HasPrefix(attr(t, "class"), "ContentPermission") {
				o.Elems = append(o.Elems, elem{Coll: name, Class: attr(t, "class"), ID: id})
			}
		}
	}
}

// elementID reads an <element> up to its end tag: the text of its <id>,
// "" when it has none (a collection of values).
func (or *objectReader) elementID() (string, error) {
	id := ""
	for {
		tok, err := or.d.Token()
		if err != nil {
			return "", or.syntax(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return id, nil
		case xml.StartElement:
			if t.Name.Local == "id" {
				s, err := or.text()
				if err != nil {
					return "", err
				}
				id = strings.TrimSpace(s)
				continue
			}
			if err := or.d.Skip(); err != nil {
				return "", or.syntax(err)
			}
		}
	}
}

// text reads the character data of an element up to its end tag.
func (or *objectReader) text() (string, error) {
	var b strings.Builder
	for {
		tok, err := or.d.Token()
		if err != nil {
			return "", or.syntax(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.EndElement:
			return b.String(), nil
		case xml.StartElement:
			if err := or.d.Skip(); err != nil {
				return "", or.syntax(err)
			}
		}
	}
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
