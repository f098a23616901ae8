package confluence

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// source is an export: a zip file or the folder it unzips to.
type source struct {
	name   string
	zr     *zip.ReadCloser
	files  map[string]*zip.File // zip entries by path below prefix
	dir    string               // the folder, for an unzipped export
	prefix string               // the folder of entities.xml inside the zip
}

// openSource opens the export at name and checks that it is an XML export.
func openSource(name string) (*source, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("open export: %w", err)
	}
	s := &source{name: name}
	if st.IsDir() {
		s.dir = name
		if _, err := os.Stat(filepath.Join(name, "entities.xml")); err != nil {
			return nil, s.missing(fileExists(filepath.Join(name, "index.html")))
		}
		return s, nil
	}
	zr, err := zip.OpenReader(name)
	if err != nil {
		return nil, fmt.Errorf("open export %s: not a zip file or folder (%v)", name, err)
	}
	s.zr = zr
	s.files = map[string]*zip.File{}
	best, html := "", false
	for _, f := range zr.File {
		base := path.Base(f.Name)
		if base == "entities.xml" && (best == "" || len(f.Name) < len(best)) {
			best = f.Name
		}
		html = html || base == "index.html"
	}
	if best == "" {
		zr.Close()
		return nil, s.missing(html)
	}
	s.prefix = strings.TrimSuffix(best, "entities.xml")
	for _, f := range zr.File {
		if rel, ok := strings.CutPrefix(f.Name, s.prefix); ok {
			s.files[rel] = f
		}
	}
	return s, nil
}

func (s *source) missing(html bool) error {
	if html {
		return fmt.Errorf("%s: %w: this is an HTML export (index.html, no entities.xml); export the space again as XML (Space settings, Export space, XML)", s.name, ErrNotXMLExport)
	}
	return fmt.Errorf("%s: %w: no entities.xml", s.name, ErrNotXMLExport)
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// open opens a file of the export by its slash path.
func (s *source) open(rel string) (io.ReadCloser, error) {
	if s.zr == nil {
		return os.Open(filepath.Join(s.dir, filepath.FromSlash(rel)))
	}
	f := s.files[rel]
	if f == nil {
		return nil, fmt.Errorf("%s: %w", rel, fs.ErrNotExist)
	}
	return f.Open()
}

// entitiesName is how messages name entities.xml.
func (s *source) entitiesName() string {
	return s.prefix + "entities.xml"
}

// attachment opens the stored file of an attachment version.
// Each of its page id, id and version must be one plain path segment, so
// that no export leads the import to a file outside its attachments/.
func (s *source) attachment(a *attachment) (io.ReadCloser, error) {
	for _, seg := range []string{a.pageID, a.id, a.version} {
		if !plainSegment(seg) {
			return nil, fmt.Errorf("attachments/%s/%s/%s: %q is not a plain file name", a.pageID, a.id, a.version, seg)
		}
	}
	r, err := s.open(path.Join("attachments", a.pageID, a.id, a.version))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("attachments/%s/%s/%s is missing from the export", a.pageID, a.id, a.version)
	}
	return r, err
}

func (s *source) close() {
	if s.zr != nil {
		s.zr.Close()
	}
}

// plainSegment reports whether s names one file in a folder: not empty,
// "." or "..", and without a slash, a backslash or a NUL.
func plainSegment(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/\\\x00")
}
