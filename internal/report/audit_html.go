package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed audit.html
var auditHTML string

// auditTemplate is the standalone HTML page of the audit: one file with
// its style inline, no script and no external request (fonts, images,
// styles), so that it can be mailed or archived and opened offline.
var auditTemplate = template.Must(template.New("audit").Funcs(template.FuncMap{
	"join":     strings.Join,
	"plural":   plural,
	"shade":    shade,
	"personal": personalCount,
}).Parse(auditHTML))

// WriteHTML writes the audit as a standalone HTML page.
func (a *Audit) WriteHTML(w io.Writer) error {
	if err := auditTemplate.Execute(w, a); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// shade is the CSS class of a cell: none, some or all of its pages.
func shade(visible, total int) string {
	switch {
	case visible == 0:
		return "none"
	case visible < total:
		return "some"
	}
	return "all"
}
