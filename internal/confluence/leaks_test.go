package confluence

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/build"
)

// xobj writes one <object> of entities.xml: its class, its id and its
// properties, each "name=text" or "name->Class:id" (a reference), or a
// collection, "*name=Class:id,id" (as an element of the object) or
// "**name=Class:id,id" (inside a property).
func xobj(class, id string, props ...string) string {
	var b strings.Builder
	idName := "id"
	if class == "ConfluenceUserImpl" {
		idName = "key"
	}
	fmt.Fprintf(&b, "<object class=%q package=\"x\">\n<id name=%q><![CDATA[%s]]></id>\n", class, idName, id)
	for _, p := range props {
		if coll, ok := strings.CutPrefix(p, "*"); ok {
			inProp := strings.HasPrefix(coll, "*")
			name, target, _ := strings.Cut(strings.TrimPrefix(coll, "*"), "=")
			cls, ids, _ := strings.Cut(target, ":")
			if inProp {
				fmt.Fprintf(&b, "<property name=%q><collection class=\"list\">", name)
			} else {
				fmt.Fprintf(&b, "<collection name=%q class=\"java.util.Set\">", name)
			}
			for _, ref := range strings.Split(ids, ",") {
				fmt.Fprintf(&b, "<element class=%q package=\"x\"><id name=\"id\">%s</id>\n</element>\n", cls, ref)
			}
			b.WriteString("</collection>")
			if inProp {
				b.WriteString("</property>")
			}
			b.WriteString("\n")
			continue
		}
		if name, target, ok := strings.Cut(p, "->"); ok {
			cls, ref, _ := strings.Cut(target, ":")
			key := "id"
			if cls == "ConfluenceUserImpl" {
				key = "key"
			}
			fmt.Fprintf(&b, "<property name=%q class=%q package=\"x\"><id name=%q><![CDATA[%s]]></id></property>\n", name, cls, key, ref)
			continue
		}
		name, text, _ := strings.Cut(p, "=")
		fmt.Fprintf(&b, "<property name=%q><![CDATA[%s]]></property>\n", name, text)
	}
	b.WriteString("</object>")
	return b.String()
}

// entities wraps objects as an entities.xml.
func entities(objs ...string) string {
	return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<hibernate-generic>\n" + strings.Join(objs, "\n") + "\n</hibernate-generic>\n"
}

// xpage is a current page of space 10.
func xpage(id, title, parent string, props ...string) string {
	ps := []string{"title=" + title, "space->Space:10", "contentStatus=current"}
	if parent != "" {
		ps = append(ps, "parent->Page:"+parent)
	}
	return xobj("Page", id, append(ps, props...)...)
}

// xbody is the body of a page.
func xbody(id, page, html string) string {
	return xobj("BodyContent", id, "body="+html, "content->Page:"+page)
}

// buildFiles builds site and returns each build's folder name mapped to
// its files' text, by path below the build.
func buildFiles(t *testing.T, site string) map[string]map[string]string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	b := build.New(build.Options{Site: site, Out: out})
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatalf("facet build of the imported site: %v", err)
	}
	builds := map[string]map[string]string{}
	ents, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		files := map[string]string{}
		root := filepath.Join(out, e.Name())
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(root, p)
				files[filepath.ToSlash(rel)] = string(data)
			}
			return err
		})
		builds[e.Name()] = files
	}
	return builds
}

// holding lists the files of a build that contain s.
func holding(files map[string]string, s string) []string {
	var out []string
	for name, data := range files {
		if strings.Contains(data, s) {
			out = append(out, name)
		}
	}
	return out
}

// A link without text of its own in a public page, to a page restricted
// to one user or to that page's attachment, must not carry the restricted
// page's title or the attachment's name into the public build: Confluence
// wrote them there only as the link's target.
func TestImportLinkTextNamesNoHiddenPage(t *testing.T) {
	t.Parallel()
	export := writeExport(t, map[string]string{"entities.xml": entities(
		xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
		xobj("ConfluenceUserImpl", "ua", "name=alice", "email=alice@example.com"),
		xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
		xobj("SpacePermission", "21", "space->Space:10", "type=VIEWSPACE", "group=confluence-users"),
		xpage("1", "Home", ""),
		xpage("2", "Public Page", "1", "position=0"),
		xbody("102", "2", `<p>See <ac:link><ri:page ri:content-title="Quarterly Zebracorn Plan"/></ac:link>, `+
			`<ac:link ac:anchor="goals"><ri:page ri:content-title="Quarterly Zebracorn Plan"/></ac:link> and `+
			`<ac:link><ri:attachment ri:filename="wombat-budget.txt"><ri:page ri:content-title="Quarterly Zebracorn Plan"/></ri:attachment></ac:link>.</p>`),
		xpage("3", "Quarterly Zebracorn Plan", "1", "position=1"),
		xbody("103", "3", "<p>Only for alice.</p>"),
		xobj("Attachment", "302", "title=wombat-budget.txt", "version=1", "containerContent->Page:3", "contentStatus=current"),
		xobj("ContentPermissionSet", "40", "type=View", "owningContent->Page:3"),
		xobj("ContentPermission", "41", "type=View", "owningSet->ContentPermissionSet:40", "userSubject->ConfluenceUserImpl:ua"),
	)})
	if err := os.MkdirAll(filepath.Join(export, "attachments", "3", "302"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(export, "attachments", "3", "302", "1"), []byte("numbers\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	site, _ := importSite(t, export)
	builds := buildFiles(t, site)
	if len(builds["anonymous"]) == 0 || len(builds["member-1"]) == 0 {
		t.Fatalf("builds %v; want anonymous and member-1 (alice)", builds)
	}
	for _, b := range []string{"anonymous", "members"} {
		for _, s := range []string{"Quarterly Zebracorn Plan", "wombat-budget"} {
			if fs := holding(builds[b], s); len(fs) > 0 {
				t.Errorf("the %s build holds %q in %v", b, s, fs)
			}
		}
	}
	// alice still reads the links with the page's title and the file's name
	page := builds["member-1"]["s/public-page/index.html"]
	for _, s := range []string{">Quarterly Zebracorn Plan</a>", ">wombat-budget.txt</a>", "#goals"} {
		if !strings.Contains(page, s) {
			t.Errorf("alice's public page lacks %q:\n%s", s, page)
		}
	}
}

// A View space permission is anonymous access only when it names no
// subject at all: one whose group or user is present but empty, or names
// a user the export does not hold by an empty key, names someone the
// import cannot read, never everyone.
func TestImportSpacePermissionUnreadableSubjectIsNotAnonymous(t *testing.T) {
	t.Parallel()
	for _, subject := range []string{"group= ", "group=", "userSubject->ConfluenceUserImpl:", "userName= ", "allUsersSubject=licensed"} {
		t.Run(subject, func(t *testing.T) {
			t.Parallel()
			export := writeExport(t, map[string]string{"entities.xml": entities(
				xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
				xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE", subject),
				xobj("SpacePermission", "21", "space->Space:10", "type=VIEWSPACE", "group=confluence-users"),
				xpage("1", "Home", ""),
				xpage("2", "Internal Only", "1"),
			)})
			site, _ := importSite(t, export)
			data, err := os.ReadFile(filepath.Join(site, "content/s/_index.md"))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(data), `"anyone"`) {
				t.Errorf("the space is opened to anyone:\n%s", data)
			}
			if fs := holding(buildFiles(t, site)["anonymous"], "Internal Only"); len(fs) > 0 {
				t.Errorf("the anonymous build holds the page in %v", fs)
			}
		})
	}
}

// An attachment's stored file is found by its page id, its id and its
// version, as written in entities.xml: none may lead out of the export's
// attachments folder (a file of the machine running the import copied
// into the site).
func TestImportAttachmentPathStaysInExport(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ page, id, version string }{
		{"3", "302", "../../../../outside.txt"},
		{"3", "../../../outside.txt", "1"},
		{"3", "302", "/outside.txt"},
		{"3", "302", `..\..\..\..\outside.txt`},
	} {
		t.Run(c.id+"/"+c.version, func(t *testing.T) {
			t.Parallel()
			parent := t.TempDir()
			if err := os.WriteFile(filepath.Join(parent, "outside.txt"), []byte("machine secret\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			export := filepath.Join(parent, "export")
			files := map[string]string{
				"entities.xml": entities(
					xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
					xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
					xpage("1", "Home", ""),
					xpage("3", "Files", "1"),
					xobj("Attachment", c.id, "title=x.txt", "version="+c.version, "containerContent->Page:"+c.page, "contentStatus=current"),
				),
			}
			if err := os.MkdirAll(filepath.Join(export, "attachments", "3", "302"), 0o755); err != nil {
				t.Fatal(err)
			}
			for name, data := range files {
				if err := os.WriteFile(filepath.Join(export, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			site, _ := importSite(t, export)
			filepath.WalkDir(site, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					if data, _ := os.ReadFile(p); strings.Contains(string(data), "machine secret") {
						t.Errorf("%s holds a file from outside the export", p)
					}
				}
				return err
			})
		})
	}
}

// Pages whose parent chain is a loop hang under no root of the space: the
// import skips them with a warning (and their children), never failing
// or placing them where no restriction above them would count.
func TestImportParentLoopSkipped(t *testing.T) {
	t.Parallel()
	export := writeExport(t, map[string]string{"entities.xml": entities(
		xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
		xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
		xpage("1", "Home", ""),
		xpage("2", "Loop A", "3"),
		xpage("3", "Loop B", "2"),
		xpage("4", "Own Parent", "4"),
		xpage("5", "Below The Loop", "2"),
		xbody("105", "5", "<p>below</p>"),
		xpage("6", "Kept", "1"),
	)})
	site, res := importSite(t, export)
	if res.Pages != 2 {
		t.Errorf("%d pages imported, want 2 (the home page and Kept)", res.Pages)
	}
	n := 0
	for _, w := range res.Warnings {
		if w.Kind == "page" && strings.Contains(w.Msg, "loop") {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d loop warnings, want 4: %v", n, res.Warnings)
	}
	for _, s := range []string{"Loop A", "Loop B", "Own Parent", "Below The Loop"} {
		filepath.WalkDir(filepath.Join(site, "content"), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if data, _ := os.ReadFile(p); strings.Contains(string(data), s) {
					t.Errorf("%s holds %q", p, s)
				}
			}
			return err
		})
	}
}

// Two objects of a class that permissions hang on (a space, a set of
// restrictions, a user, a page) with one id cannot be told apart: one's
// restriction or viewers would go to the other, or be lost. The import
// refuses the export, naming the line, rather than guess.
func TestImportRefusesDuplicatePermissionIDs(t *testing.T) {
	t.Parallel()
	base := []string{
		xobj("ConfluenceUserImpl", "ua", "name=alice", "email=alice@example.com"),
		xpage("1", "Home", ""),
		xpage("2", "Secret A", "1"),
		xpage("3", "Open B", "1"),
	}
	cases := map[string][]string{
		"set": {
			xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
			xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
			xobj("ContentPermissionSet", "40", "type=View", "owningContent->Page:2"),
			xobj("ContentPermission", "41", "type=View", "owningSet->ContentPermissionSet:40", "groupName=eng"),
			xobj("ContentPermissionSet", "40", "type=Edit", "owningContent->Page:3"),
		},
		"space": {
			xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
			xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE", "group=eng"),
			xobj("Space", "10", "key=P", "name=Public", "homePage->Page:9"),
			xobj("SpacePermission", "21", "space->Space:10", "type=VIEWSPACE"),
		},
		"user": {
			xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
			xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
			xobj("ContentPermissionSet", "40", "type=View", "owningContent->Page:2"),
			xobj("ContentPermission", "41", "type=View", "owningSet->ContentPermissionSet:40", "userSubject->ConfluenceUserImpl:ua"),
			xobj("ConfluenceUserImpl", "ua", "name=mallory", "email=mallory@example.com"),
		},
		"page": {
			xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
			xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
			xobj("ContentPermissionSet", "40", "type=View", "owningContent->Page:2"),
			xobj("ContentPermission", "41", "type=View", "owningSet->ContentPermissionSet:40", "userSubject->ConfluenceUserImpl:ua"),
			xpage("2", "Public Copy", "1"),
		},
		"page and its old version": {
			xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
			xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
			xobj("Page", "2", "title=Old", "space->Space:10", "contentStatus=current", "originalVersion->Page:3"),
		},
	}
	for name, objs := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			export := writeExport(t, map[string]string{"entities.xml": entities(append(slices.Clone(base), objs...)...)})
			_, err := Import(context.Background(), Options{Export: export, Into: filepath.Join(t.TempDir(), "site")})
			if err == nil || !strings.Contains(err.Error(), "entities.xml:") || !strings.Contains(err.Error(), "same id") {
				t.Errorf("import: %v; want an error naming the line and the repeated id", err)
			}
		})
	}
}

// An attachment name too long for a file, or one that is the page's own
// output (index.html in a section or bundle folder), is renamed: the
// import and the build of what it wrote succeed, with the file kept.
func TestImportAttachmentNamesFacetCanPublish(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 300) + ".txt"
	export := writeExport(t, map[string]string{"entities.xml": entities(
		xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
		xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
		xpage("1", "Home", ""),
		xpage("2", "Parent", "1"),
		xpage("3", "Kid", "2"),
		xobj("Attachment", "301", "title="+long, "version=1", "containerContent->Page:2", "contentStatus=current"),
		xobj("Attachment", "302", "title=INDEX.html", "version=1", "containerContent->Page:2", "contentStatus=current"),
	)})
	for id, data := range map[string]string{"301": "long name\n", "302": "<p>attached</p>\n"} {
		dir := filepath.Join(export, "attachments", "2", id)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "1"), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	site, res := importSite(t, export)
	if res.Attachments != 2 {
		t.Errorf("%d attachments imported, want 2", res.Attachments)
	}
	files := buildFiles(t, site)["anonymous"]
	for _, s := range []string{"long name", "<p>attached</p>"} {
		if len(holding(files, s)) == 0 {
			t.Errorf("the build lacks the attachment holding %q", s)
		}
	}
}

// Confluence groups whose names differ only in what facet cannot hold in
// a group name ("eng team", "eng-team", "eng,team") are distinct groups:
// each gets its own facet name (the one already valid keeps it, the others
// a numeric suffix in name order), each page names the right one, the
// access draft declares each once (the site builds) and the report warns.
func TestImportGroupNamesCollide(t *testing.T) {
	t.Parallel()
	restricted := func(page, set, group string) []string {
		return []string{
			xobj("ContentPermissionSet", set, "type=View", "owningContent->Page:"+page),
			xobj("ContentPermission", set+"1", "type=View", "owningSet->ContentPermissionSet:"+set, "groupName="+group),
		}
	}
	objs := []string{
		xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
		xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE", "group=confluence-users"),
		xpage("1", "Home", ""),
		xpage("2", "Spaced", "1"),
		xpage("3", "Dashed", "1"),
		xpage("4", "Commaed", "1"),
		xpage("5", "Suffixed", "1"),
	}
	objs = append(objs, restricted("2", "40", "eng team")...)
	objs = append(objs, restricted("3", "41", "eng-team")...)
	objs = append(objs, restricted("4", "42", "eng,team")...)
	objs = append(objs, restricted("5", "43", "eng-team-2")...)
	export := writeExport(t, map[string]string{"entities.xml": entities(objs...)})
	site, res := importSite(t, export)
	want := map[string]string{
		"content/s/dashed.md":   `allow = ["group:eng-team"]`,
		"content/s/suffixed.md": `allow = ["group:eng-team-2"]`,
		"content/s/spaced.md":   `allow = ["group:eng-team-3"]`,
		"content/s/commaed.md":  `allow = ["group:eng-team-4"]`,
	}
	for file, allow := range want {
		data, err := os.ReadFile(filepath.Join(site, file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), allow) {
			t.Errorf("%s lacks %s:\n%s", file, allow, data)
		}
	}
	draft, err := os.ReadFile(filepath.Join(site, "config/access.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{"eng-team", "eng-team-2", "eng-team-3", "eng-team-4"} {
		if n := strings.Count(string(draft), "[groups."+tomlString(g)+"]"); n != 1 {
			t.Errorf("config/access.toml declares %s %d times:\n%s", g, n, draft)
		}
	}
	n := 0
	for _, w := range res.Warnings {
		if w.Kind == "group" && strings.Contains(w.Msg, "another group") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d collision warnings, want 2 (eng,team and eng team): %v", n, res.Warnings)
	}
	builds := buildFiles(t, site)
	if len(builds) == 0 {
		t.Fatal("no builds")
	}
}

// Without --domains the member domains are those of the export's users'
// emails, but never a public mail provider's: one user with a Gmail
// address must not make everyone with one a member, able to read every
// page Confluence kept for confluence-users. Such users become guests;
// the report says which domains were chosen and which left out. Domains
// given explicitly are taken as written.
func TestImportDefaultDomainsLeavePublicMailOut(t *testing.T) {
	t.Parallel()
	export := writeExport(t, map[string]string{"entities.xml": entities(
		xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
		xobj("ConfluenceUserImpl", "ua", "name=alice", "email=alice@Example.com"),
		xobj("ConfluenceUserImpl", "um", "name=mallory", "email=Mallory@GMail.com"),
		xobj("ConfluenceUserImpl", "ub", "name=bob", "email=bob@yahoo.co.uk"),
		xobj("ConfluenceUserImpl", "uc", "name=carol", "email=carol@gmail.com.example.org"),
		xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE", "group=confluence-users"),
		xpage("1", "Home", ""),
		xpage("2", "Staff Handbook", "1"),
		xpage("3", "For Mallory", "1"),
		xobj("ContentPermissionSet", "40", "type=View", "owningContent->Page:3"),
		xobj("ContentPermission", "41", "type=View", "owningSet->ContentPermissionSet:40", "userSubject->ConfluenceUserImpl:um"),
	)})
	site, res := importSite(t, export)
	if want := []string{"example.com", "gmail.com.example.org"}; !slices.Equal(res.Domains, want) || !res.DomainsByDefault {
		t.Errorf("member domains %v (by default: %v), want %v by default", res.Domains, res.DomainsByDefault, want)
	}
	if want := []string{"gmail.com", "yahoo.co.uk"}; !slices.Equal(res.PublicDomains, want) {
		t.Errorf("left out %v, want %v", res.PublicDomains, want)
	}
	draft, err := os.ReadFile(filepath.Join(site, "config/access.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`domains = ["example.com", "gmail.com.example.org"]`, "[[guests]]\nemail = \"mallory@gmail.com\""} {
		if !strings.Contains(string(draft), s) {
			t.Errorf("config/access.toml lacks %q:\n%s", s, draft)
		}
	}
	report, err := os.ReadFile(filepath.Join(site, "import-report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"## Member domains", "`example.com`", "`gmail.com`", "`yahoo.co.uk`", "public mail provider", "--domains"} {
		if !strings.Contains(string(report), s) {
			t.Errorf("the report lacks %q:\n%s", s, report)
		}
	}
	builds := buildFiles(t, site)
	for name, files := range builds {
		if len(holding(files, "For Mallory")) > 0 && len(holding(files, "Staff Handbook")) > 0 {
			t.Errorf("build %s shows mallory's page and the members' page: mallory is a member", name)
		}
	}

	// given explicitly, a public provider's domain is taken as written
	into := filepath.Join(t.TempDir(), "site")
	res, err = Import(context.Background(), Options{Export: export, Into: into, Domains: []string{"gmail.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Domains, []string{"gmail.com"}) || res.DomainsByDefault || len(res.PublicDomains) != 0 {
		t.Errorf("explicit domains: %v (by default: %v, left out %v), want [gmail.com] as given", res.Domains, res.DomainsByDefault, res.PublicDomains)
	}
	if draft, _ := os.ReadFile(filepath.Join(into, "config/access.toml")); !strings.Contains(string(draft), `domains = ["gmail.com"]`) {
		t.Errorf("explicit domains not written as given:\n%s", draft)
	}
}

// A view restriction the import reads in another form than a set holding
// permissions that name it (a permission its set lists but that does not
// name the set, one on the page itself in the format older Confluence
// wrote, a set the page lists) is applied; one it cannot read (a set or a
// permission of an unknown type, a permission naming no one it can read)
// is never dropped: the page is hidden from everyone, with a warning.
func TestImportUnreadableRestrictionFailsClosed(t *testing.T) {
	t.Parallel()
	const applied, hidden = true, false
	cases := []struct {
		name    string
		applied bool
		objs    []string
	}{
		{"permission listed by its set", applied, []string{
			xpage("2", "Secret Plan", "1"),
			xobj("ContentPermissionSet", "40", "type=View", "owningContent->Page:2", "*contentPermissions=ContentPermission:41"),
			xobj("ContentPermission", "41", "type=View", "userSubject->ConfluenceUserImpl:ua"),
		}},
		{"permission listed by its set in a property", applied, []string{
			xpage("2", "Secret Plan", "1"),
			xobj("ContentPermissionSet", "40", "type=View", "owningContent->Page:2", "**contentPermissions=ContentPermission:41"),
			xobj("ContentPermission", "41", "type=View", "userName=alice"),
		}},
		{"old format: permission naming its page", applied, []string{
			xpage("2", "Secret Plan", "1"),
			xobj("ContentPermission", "41", "type=View", "userName=alice", "content->Page:2"),
		}},
		{"old format: permission listed by its page", applied, []string{
			xpage("2", "Secret Plan", "1", "*permissions=ContentPermission:41"),
			xobj("ContentPermission", "41", "type=View", "userName=alice"),
		}},
		{"set listed by its page", applied, []string{
			xpage("2", "Secret Plan", "1", "*contentPermissionSets=ContentPermissionSet:40"),
			xobj("ContentPermissionSet", "40", "type=View"),
			xobj("ContentPermission", "41", "type=View", "owningSet->ContentPermissionSet:40", "userSubject->ConfluenceUserImpl:ua"),
		}},
		{"set of an unknown type", hidden, []string{
			xpage("2", "Secret Plan", "1"),
			xobj("ContentPermissionSet", "40", "type=Read", "owningContent->Page:2"),
			xobj("ContentPermission", "41", "type=Read", "owningSet->ContentPermissionSet:40", "userSubject->ConfluenceUserImpl:ua"),
		}},
		{"set without a type", hidden, []string{
			xpage("2", "Secret Plan", "1"),
			xobj("ContentPermissionSet", "40", "owningContent->Page:2"),
			xobj("ContentPermission", "41", "owningSet->ContentPermissionSet:40", "userSubject->ConfluenceUserImpl:ua"),
		}},
		{"old format: permission of an unknown type", hidden, []string{
			xpage("2", "Secret Plan", "1"),
			xobj("ContentPermission", "41", "type=Restrict", "userName=alice", "content->Page:2"),
		}},
		{"permission naming no one readable", hidden, []string{
			xpage("2", "Secret Plan", "1"),
			xobj("ContentPermissionSet", "40", "type=View", "owningContent->Page:2"),
			xobj("ContentPermission", "41", "type=View", "owningSet->ContentPermissionSet:40", "groupName= "),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			objs := append([]string{
				xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
				xobj("ConfluenceUserImpl", "ua", "name=alice", "email=alice@example.com"),
				xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
				xobj("SpacePermission", "21", "space->Space:10", "type=VIEWSPACE", "group=confluence-users"),
				xpage("1", "Home", ""),
				xbody("102", "2", "<p>zebracorn budget</p>"),
			}, c.objs...)
			export := writeExport(t, map[string]string{"entities.xml": entities(objs...)})
			site, res := importSite(t, export)
			builds := buildFiles(t, site)
			for name, files := range builds {
				if name == "member-1" && c.applied {
					if len(holding(files, "zebracorn")) == 0 {
						t.Errorf("alice's build lacks the page she may read")
					}
					continue
				}
				if fs := holding(files, "zebracorn"); len(fs) > 0 {
					t.Errorf("the %s build holds the restricted page in %v", name, fs)
				}
			}
			if c.applied {
				if _, ok := builds["member-1"]; !ok {
					t.Errorf("no build for alice: %v", slices.Collect(maps.Keys(builds)))
				}
				return
			}
			warned := false
			for _, w := range res.Warnings {
				warned = warned || (w.Kind == "restriction" && w.Page == "content/s/secret-plan.md" && strings.Contains(w.Msg, "entities.xml:"))
			}
			if !warned {
				t.Errorf("no restriction warning naming the page: %v", res.Warnings)
			}
			if strings.Contains(c.name, "type") {
				report, err := os.ReadFile(filepath.Join(site, "import-report.md"))
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(report), "Readers in Confluence: unknown") {
					t.Errorf("the report does not say the page's readers are unknown:\n%s", report)
				}
			}
		})
	}
}

// A current page whose parent is trashed, a draft or an old version is
// imported at the top of its space, but Confluence showed it only to those
// who pass the view restrictions of every page above it, current or not:
// it keeps them all (or, when a page above it is not in the export, is
// hidden from everyone), with a warning naming it.
func TestImportOrphanKeepsAncestorRestrictions(t *testing.T) {
	t.Parallel()
	restrictedTo := func(page, set string) []string {
		return []string{
			xobj("ContentPermissionSet", set, "type=View", "owningContent->Page:"+page),
			xobj("ContentPermission", set+"1", "type=View", "owningSet->ContentPermissionSet:"+set, "userSubject->ConfluenceUserImpl:ua"),
		}
	}
	ghost := func(id, title, status, parent string) string {
		ps := []string{"title=" + title, "space->Space:10", "contentStatus=" + status}
		if parent != "" {
			ps = append(ps, "parent->Page:"+parent)
		}
		return xobj("Page", id, ps...)
	}
	cases := []struct {
		name  string
		alice bool // alice still reads the page; else no one does
		objs  []string
	}{
		{"trashed parent", true, slices.Concat([]string{
			ghost("5", "Trashed Parent", "deleted", "1"),
			xpage("6", "Orphan Child", "5"),
		}, restrictedTo("5", "40"))},
		{"draft parent of a trashed grandparent", true, slices.Concat([]string{
			ghost("4", "Trashed Grandparent", "deleted", "1"),
			ghost("5", "Draft Parent", "draft", "4"),
			xpage("6", "Orphan Child", "5"),
		}, restrictedTo("4", "40"))},
		{"current grandparent above a trashed parent", true, slices.Concat([]string{
			xpage("4", "Current Grandparent", "1"),
			ghost("5", "Trashed Parent", "deleted", "4"),
			xpage("6", "Orphan Child", "5"),
		}, restrictedTo("4", "40"))},
		{"old version as parent", true, slices.Concat([]string{
			xpage("4", "Current Page", "1"),
			xobj("Page", "5", "title=Current Page", "space->Space:10", "contentStatus=current", "originalVersion->Page:4"),
			xpage("6", "Orphan Child", "5"),
		}, restrictedTo("4", "40"))},
		{"trashed parents in a loop", true, slices.Concat([]string{
			ghost("4", "Loop A", "deleted", "5"),
			ghost("5", "Loop B", "deleted", "4"),
			xpage("6", "Orphan Child", "5"),
		}, restrictedTo("4", "40"))},
		{"parent not in the export", false, []string{
			xpage("6", "Orphan Child", "99"),
		}},
		{"unreadable restriction above", false, []string{
			ghost("5", "Trashed Parent", "deleted", "1"),
			xpage("6", "Orphan Child", "5"),
			xobj("ContentPermissionSet", "40", "type=Whatever", "owningContent->Page:5"),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			objs := append([]string{
				xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
				xobj("ConfluenceUserImpl", "ua", "name=alice", "email=alice@example.com"),
				xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
				xobj("SpacePermission", "21", "space->Space:10", "type=VIEWSPACE", "group=confluence-users"),
				xpage("1", "Home", ""),
				xobj("Page", "2", "title=Visible", "space->Space:10", "contentStatus=current", "parent->Page:1",
					"*contentPermissionSets=ContentPermissionSet:90"),
				xobj("ContentPermissionSet", "90", "type=View"),
				xobj("ContentPermission", "901", "type=View", "owningSet->ContentPermissionSet:90", "userSubject->ConfluenceUserImpl:ua"),
				xbody("106", "6", "<p>zebracorn budget</p>"),
			}, c.objs...)
			export := writeExport(t, map[string]string{"entities.xml": entities(objs...)})
			site, res := importSite(t, export)
			builds := buildFiles(t, site)
			if _, ok := builds["member-1"]; !ok {
				t.Fatalf("no build for alice: %v", slices.Collect(maps.Keys(builds)))
			}
			for name, files := range builds {
				fs := holding(files, "zebracorn")
				if name == "member-1" && c.alice {
					if len(fs) == 0 {
						t.Errorf("alice's build lacks the page she may read")
					}
					continue
				}
				if len(fs) > 0 {
					t.Errorf("the %s build holds the orphaned page in %v", name, fs)
				}
			}
			warned := false
			for _, w := range res.Warnings {
				warned = warned || (w.Kind == "page" && w.Page == "content/s/orphan-child.md" && strings.Contains(w.Msg, "imported at the top of the space"))
			}
			if !warned {
				t.Errorf("no page warning naming the orphan: %v", res.Warnings)
			}
		})
	}
}

// TestImportGroupNamesWithPlusBuild: Confluence groups a, b, c and "a+b"
// would give the combinations [a, b, c] and [a+b, c] one audience id,
// which facet refuses; the import renames "a+b" (with a warning), every
// page keeps its group, and the site builds.
func TestImportGroupNamesWithPlusBuild(t *testing.T) {
	t.Parallel()
	objs := []string{
		xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
		xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE", "group=confluence-users"),
		xpage("1", "Home", ""),
	}
	groups := map[string]string{"2": "a", "3": "b", "4": "c", "5": "a+b"}
	for _, id := range []string{"2", "3", "4", "5"} {
		objs = append(objs, xpage(id, "Page "+id, "1"),
			xobj("ContentPermissionSet", "4"+id, "type=View", "owningContent->Page:"+id),
			xobj("ContentPermission", "5"+id, "type=View", "owningSet->ContentPermissionSet:4"+id, "groupName="+groups[id]))
	}
	export := writeExport(t, map[string]string{"entities.xml": entities(objs...)})
	site, res := importSite(t, export)
	for id, want := range map[string]string{"2": "a", "3": "b", "4": "c", "5": "a-b"} {
		data, err := os.ReadFile(filepath.Join(site, "content/s/page-"+id+".md"))
		if err != nil {
			t.Fatal(err)
		}
		if allow := `allow = ["group:` + want + `"]`; !strings.Contains(string(data), allow) {
			t.Errorf("page %s lacks %s:\n%s", id, allow, data)
		}
	}
	warned := false
	for _, w := range res.Warnings {
		warned = warned || w.Kind == "group" && strings.Contains(w.Msg, `"a+b"`) && strings.Contains(w.Msg, "audience id")
	}
	if !warned {
		t.Errorf("no warning for the renamed group: %v", res.Warnings)
	}
	if len(buildFiles(t, site)) == 0 {
		t.Fatal("no builds")
	}
}

// The site's title is in every build, the anonymous one included, so it
// names only the spaces anonymous users could view in Confluence: a space
// viewable by one group, or by every user, keeps its name out of the
// builds of those who could not view it.
func TestImportSiteTitleNamesNoHiddenSpace(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, hidden string // the View space permission of the second space
		openTitle    bool
	}{
		{"group space beside an open one", "group=eng", true},
		{"members space beside an open one", "group=confluence-users", true},
		{"group space alone", "group=eng", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			objs := []string{
				xobj("Space", "11", "key=Z", "name=Project Zebracorn", "homePage->Page:5"),
				xobj("SpacePermission", "22", "space->Space:11", "type=VIEWSPACE", c.hidden),
				xobj("Page", "5", "title=Z Home", "space->Space:11", "contentStatus=current"),
				xobj("Page", "6", "title=Z Child", "space->Space:11", "contentStatus=current", "parent->Page:5"),
			}
			if c.openTitle {
				objs = append(objs,
					xobj("Space", "10", "key=S", "name=Open Space", "homePage->Page:1"),
					xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
					xpage("1", "Home", ""),
					xpage("2", "Open Page", "1"))
			}
			site, _ := importSite(t, writeExport(t, map[string]string{"entities.xml": entities(objs...)}))
			builds := buildFiles(t, site)
			for name, files := range builds {
				if name == "group-eng" || (name == "members" && c.hidden == "group=confluence-users") {
					continue
				}
				if fs := holding(files, "Zebracorn"); len(fs) > 0 {
					t.Errorf("the %s build names the space it may not view in %v", name, fs)
				}
			}
			if c.openTitle && len(holding(builds["anonymous"], "<title>Open Space")) == 0 {
				t.Errorf("the anonymous build's pages are not titled with the open space's name")
			}
		})
	}
}

// Confluence shows a personal label (namespace "my", such as a
// favourite) to its owner alone and a system label to no one: neither
// becomes a tag, which every reader of the page would see. Global and
// team labels, shown to every reader of the page, do.
func TestImportPersonalLabelsAreNotTags(t *testing.T) {
	t.Parallel()
	export := writeExport(t, map[string]string{"entities.xml": entities(
		xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
		xobj("ConfluenceUserImpl", "ua", "name=alice", "email=alice@example.com"),
		xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
		xpage("1", "Home", ""),
		xpage("2", "Open Page", "1"),
		xobj("Label", "500", "name=zebracorn-interview", "namespace=my", "owningUser->ConfluenceUserImpl:ua"),
		xobj("Labelling", "501", "label->Label:500", "content->Page:2", "owningUser->ConfluenceUserImpl:ua"),
		xobj("Label", "502", "name=wombat-internal", "namespace=system"),
		xobj("Labelling", "503", "label->Label:502", "content->Page:2"),
		xobj("Label", "504", "name=howto", "namespace=global"),
		xobj("Labelling", "505", "label->Label:504", "content->Page:2"),
		xobj("Label", "506", "name=teamwork", "namespace=team"),
		xobj("Labelling", "507", "label->Label:506", "content->Page:2"),
		xobj("Label", "508", "name=oldstyle"),
		xobj("Labelling", "509", "label->Label:508", "content->Page:2"),
	)})
	site, _ := importSite(t, export)
	data, err := os.ReadFile(filepath.Join(site, "content/s/open-page.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `tags = ["howto", "oldstyle", "teamwork"]`) {
		t.Errorf("the page's tags are not its global and team labels:\n%s", data)
	}
	for name, files := range buildFiles(t, site) {
		for _, s := range []string{"zebracorn", "wombat"} {
			if fs := holding(files, s); len(fs) > 0 {
				t.Errorf("the %s build holds the label %q in %v", name, s, fs)
			}
		}
	}
}

// A page that names a space the export does not hold was read in
// Confluence under that space's permissions, which the import cannot
// know: it is skipped, and the pages below it are hidden, even when the
// export holds one space alone (whose permissions are not its own). A
// page that names no space at all belongs to the export's one space.
func TestImportPageOfAnotherSpaceSkipped(t *testing.T) {
	t.Parallel()
	export := writeExport(t, map[string]string{"entities.xml": entities(
		xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
		xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
		xpage("1", "Home", ""),
		xobj("Page", "3", "title=Zebracorn Board", "space->Space:99", "contentStatus=current"),
		xbody("103", "3", "<p>wombat minutes</p>"),
		xpage("4", "Zebracorn Child", "3"),
		xbody("104", "4", "<p>wombat appendix</p>"),
		xobj("Page", "5", "title=Spaceless Page", "contentStatus=current", "parent->Page:1"),
	)})
	site, res := importSite(t, export)
	for name, files := range buildFiles(t, site) {
		for _, s := range []string{"Zebracorn", "wombat"} {
			if fs := holding(files, s); len(fs) > 0 {
				t.Errorf("the %s build holds %q in %v", name, s, fs)
			}
		}
		if name == "anonymous" && len(holding(files, "Spaceless Page")) == 0 {
			t.Errorf("the page without a space is not in the space")
		}
	}
	warned := false
	for _, w := range res.Warnings {
		warned = warned || (w.Kind == "page" && w.Page == "Zebracorn Board" && strings.Contains(w.Msg, "skipped"))
	}
	if !warned {
		t.Errorf("no warning names the skipped page: %v", res.Warnings)
	}
}

// A macro facet has no form for is kept as a quote of its name and
// parameters, but Confluence showed readers the macro's output, never its
// parameters: a parameter whose text names a page or attachment of the
// export (a gallery's or contributors' page, a CQL query with a title, a
// file name) is left out, or a restricted page's title or file name would
// reach the builds of every reader of an open page.
func TestImportMacroParametersNameNoPage(t *testing.T) {
	t.Parallel()
	body := `<ac:structured-macro ac:name="gallery"><ac:parameter ac:name="page">Zebracorn Plan</ac:parameter><ac:parameter ac:name="columns">3</ac:parameter></ac:structured-macro>` +
		`<ac:structured-macro ac:name="contributors"><ac:parameter ac:name="page">S:zebracorn plan</ac:parameter></ac:structured-macro>` +
		`<ac:structured-macro ac:name="detailssummary"><ac:parameter ac:name="cql">title ~ "Zebracorn Plan (draft)" and space = S</ac:parameter></ac:structured-macro>` +
		`<ac:structured-macro ac:name="viewpdf"><ac:parameter ac:name="name">wombat-budget.pdf</ac:parameter></ac:structured-macro>` +
		`<ac:structured-macro ac:name="jira"><ac:parameter ac:name="key">DOC-1</ac:parameter></ac:structured-macro>`
	export := writeExport(t, map[string]string{"entities.xml": entities(
		xobj("Space", "10", "key=S", "name=Space S", "homePage->Page:1"),
		xobj("ConfluenceUserImpl", "ua", "name=alice", "email=alice@example.com"),
		xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
		xpage("1", "Home", ""),
		xpage("2", "Open Page", "1"),
		xbody("102", "2", body),
		xpage("3", "Zebracorn Plan", "1"),
		xobj("Attachment", "302", "title=wombat-budget.pdf", "version=1", "containerContent->Page:3", "contentStatus=current"),
		xobj("ContentPermissionSet", "40", "type=View", "owningContent->Page:3"),
		xobj("ContentPermission", "41", "type=View", "owningSet->ContentPermissionSet:40", "userSubject->ConfluenceUserImpl:ua"),
	)})
	site, res := importSite(t, export)
	data, err := os.ReadFile(filepath.Join(site, "content/s/open-page.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"columns=3", "key=DOC-1"} {
		if !strings.Contains(string(data), s) {
			t.Errorf("the page lacks the parameter %q that names no page:\n%s", s, data)
		}
	}
	for name, files := range buildFiles(t, site) {
		if name == "member-1" {
			continue
		}
		for _, s := range []string{"Zebracorn", "zebracorn", "wombat"} {
			if fs := holding(files, s); len(fs) > 0 {
				t.Errorf("the %s build holds %q in %v", name, s, fs)
			}
		}
	}
	left := 0
	for _, w := range res.Warnings {
		if w.Kind == "macro" && strings.Contains(w.Msg, "left out") {
			left++
		}
	}
	if left != 4 {
		t.Errorf("%d warnings say a parameter is left out, want 4: %v", left, res.Warnings)
	}
}

// Anonymous View space permission needs the site-wide anonymous access
// too in Confluence, which a space export does not hold: the import says
// that it publishes such a space to everyone, and is silent for others.
func TestImportWarnsOfAnonymousSpace(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		perm string // the View space permission's subject; "" is anonymous
		warn bool
	}{{"", true}, {"group=eng", false}} {
		objs := []string{
			xobj("Space", "10", "key=S", "name=Space", "homePage->Page:1"),
			xpage("1", "Home", ""),
		}
		perm := []string{"SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"}
		if c.perm != "" {
			perm = append(perm, c.perm)
		}
		objs = append(objs, xobj(perm[0], perm[1], perm[2:]...))
		_, res := importSite(t, writeExport(t, map[string]string{"entities.xml": entities(objs...)}))
		found := slices.ContainsFunc(res.Warnings, func(w Warning) bool {
			return strings.Contains(w.Msg, "open to everyone on the internet")
		})
		if found != c.warn {
			t.Errorf("permission %q: warned %v, want %v: %v", c.perm, found, c.warn, res.Warnings)
		}
	}
}

// Two sibling pages whose titles make one file name: the second takes a
// number ("plan-2"), and when the one holding the plain name has other
// readers, that number tells the second's readers a page they may not see
// exists. The import says so; siblings with the same readers need not.
func TestImportNumberedNameWarns(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name       string
		restricted bool // the first "Plan" is restricted to group eng
	}{{"other readers", true}, {"same readers", false}} {
		objs := []string{
			xobj("Space", "10", "key=S", "name=Space", "homePage->Page:1"),
			xobj("SpacePermission", "20", "space->Space:10", "type=VIEWSPACE"),
			xpage("1", "Home", ""),
			xpage("2", "Plan", "1", "position=1"),
			xpage("3", "Plan!", "1", "position=2"),
		}
		if c.restricted {
			objs = append(objs,
				xobj("ContentPermissionSet", "40", "type=View", "owningContent->Page:2"),
				xobj("ContentPermission", "41", "type=View", "owningSet->ContentPermissionSet:40", "groupName=eng"))
		}
		_, res := importSite(t, writeExport(t, map[string]string{"entities.xml": entities(objs...)}))
		var got []string
		for _, w := range res.Warnings {
			if w.Kind == "name" {
				got = append(got, w.String())
			}
		}
		if c.restricted && (len(got) != 1 || !strings.Contains(got[0], `named "plan-2" because content/s/plan.md, which has other readers`)) {
			t.Errorf("%s: name warnings %q, want one for plan-2", c.name, got)
		}
		if !c.restricted && len(got) != 0 {
			t.Errorf("%s: name warnings %q, want none", c.name, got)
		}
	}
}
