package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportCommand(t *testing.T) {
	t.Parallel()
	into := filepath.Join(t.TempDir(), "site")
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"import", "confluence", "../../internal/confluence/testdata/space", "--into", into}, &out, &errb)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, errb.String())
	}
	for _, s := range []string{"1 space, 6 pages, 2 attachments", "restricted pages: 3 (0 shown to fewer people than in Confluence)"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("stdout lacks %q:\n%s", s, out.String())
		}
	}
	if !strings.Contains(errb.String(), `warning: macro: content/doc/_index.md: the "jira" macro has no markdown form`) {
		t.Errorf("stderr lacks the macro warning:\n%s", errb.String())
	}
	if _, err := os.Stat(filepath.Join(into, "import-report.md")); err != nil {
		t.Error(err)
	}
	// a second import into the same folder is refused, the site untouched
	errb.Reset()
	err = run(context.Background(), []string{"import", "confluence", "../../internal/confluence/testdata/space", "--into", into}, &out, &errb)
	if err == nil || !strings.Contains(errb.String(), "folder is not empty") {
		t.Errorf("a second import: %v, %s", err, errb.String())
	}
	errb.Reset()
	if err := run(context.Background(), []string{"import", "notion", "x", "--into", into}, &out, &errb); err == nil || !strings.Contains(errb.String(), "facet imports from: confluence") {
		t.Errorf("an unknown source: %v, %s", err, errb.String())
	}
}
