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

// Without --domains the command says which member domains it chose from
// the users' emails and which public mail domains it left out.
func TestImportCommandSaysDefaultDomains(t *testing.T) {
	t.Parallel()
	export := t.TempDir()
	xml := `<?xml version="1.0" encoding="UTF-8"?>
<hibernate-generic>
<object class="Space" package="x"><id name="id">10</id><property name="key">S</property><property name="name">Space S</property></object>
<object class="ConfluenceUserImpl" package="x"><id name="key">ua</id><property name="name">alice</property><property name="email">alice@example.com</property></object>
<object class="ConfluenceUserImpl" package="x"><id name="key">um</id><property name="name">mallory</property><property name="email">mallory@gmail.com</property></object>
<object class="SpacePermission" package="x"><id name="id">20</id><property name="space" class="Space" package="x"><id name="id">10</id></property><property name="type">VIEWSPACE</property><property name="group">confluence-users</property></object>
</hibernate-generic>
`
	if err := os.WriteFile(filepath.Join(export, "entities.xml"), []byte(xml), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"import", "confluence", export, "--into", filepath.Join(t.TempDir(), "site")}, &out, &errb); err != nil {
		t.Fatalf("import: %v\n%s", err, errb.String())
	}
	want := "member domains (by default, from the users' emails): example.com; left out: gmail.com (public mail providers: their users are guests); give --domains to choose them"
	if !strings.Contains(out.String(), want) {
		t.Errorf("stdout lacks %q:\n%s", want, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"import", "confluence", export, "--domains", "gmail.com", "--into", filepath.Join(t.TempDir(), "site")}, &out, &errb); err != nil {
		t.Fatalf("import: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "member domains (--domains): gmail.com") {
		t.Errorf("stdout with --domains:\n%s", out.String())
	}
}
