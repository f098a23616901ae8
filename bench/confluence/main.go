// Command confluence writes a deterministic Confluence space export (XML
// format, zipped) of N pages, for timing `facet import confluence`:
//
//	go run ./bench/confluence -pages 10000 -out export.zip
//
// The space is viewable by anonymous users and a group; pages form a tree
// ten wide at the top and up to five levels deep; one page in twenty has a
// view restriction (users and groups), one in ten a label, one in fifty an
// attachment; every page has a current version and a historical one, and
// a body of about 3 KB using headings, lists, tables, links to other
// pages, code and panel macros.
package main

import (
	"archive/zip"
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"strings"
)

func main() {
	pages := flag.Int("pages", 10000, "number of current pages")
	out := flag.String("out", "export.zip", "the zip `file` to write")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if err := write(*out, *pages, *seed); err != nil {
		log.Fatal(err)
	}
}

func write(name string, n int, seed uint64) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	w, err := zw.Create("entities.xml")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	g := &gen{w: bw, rng: rand.New(rand.NewPCG(seed, 13)), n: n}
	g.entities()
	if err := bw.Flush(); err != nil {
		return err
	}
	for i := 0; i < n; i += 50 {
		a, err := zw.Create(fmt.Sprintf("attachments/%d/%d/1", pageID(i), 900000+i))
		if err != nil {
			return err
		}
		io.WriteString(a, strings.Repeat("attachment data\n", 512))
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

type gen struct {
	w   *bufio.Writer
	rng *rand.Rand
	n   int
}

func pageID(i int) int { return 100000 + i }

func (g *gen) p(format string, args ...any) { fmt.Fprintf(g.w, format, args...) }

func (g *gen) entities() {
	g.p("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<hibernate-generic datetime=\"2026-01-01 00:00:00\">\n")
	g.p(`<object class="Space" package="com.atlassian.confluence.spaces"><id name="id">1</id><property name="key"><![CDATA[BIG]]></property><property name="name"><![CDATA[Big space]]></property><property name="homePage" class="Page"><id name="id">%d</id></property></object>`+"\n", pageID(0))
	for u := range 20 {
		g.p(`<object class="ConfluenceUserImpl" package="com.atlassian.confluence.user"><id name="key"><![CDATA[user%d]]></id><property name="name"><![CDATA[user%d]]></property><property name="email"><![CDATA[user%d@example.com]]></property></object>`+"\n", u, u, u)
	}
	g.p(`<object class="SpacePermission"><id name="id">2</id><property name="space" class="Space"><id name="id">1</id></property><property name="type"><![CDATA[VIEWSPACE]]></property></object>` + "\n")
	g.p(`<object class="SpacePermission"><id name="id">3</id><property name="space" class="Space"><id name="id">1</id></property><property name="type"><![CDATA[VIEWSPACE]]></property><property name="group"><![CDATA[staff]]></property></object>` + "\n")
	for i := range g.n {
		g.page(i)
	}
	g.p("</hibernate-generic>\n")
}

// parent of page i: page 0 is the home; 1-10 are its children; page i>10
// hangs under a page with a lower index, so the tree is at most a few
// levels deep.
func parent(i int) int {
	switch {
	case i == 0:
		return -1
	case i <= 10:
		return 0
	}
	return i / 10
}

func (g *gen) page(i int) {
	id := pageID(i)
	par := ""
	if p := parent(i); p >= 0 {
		par = fmt.Sprintf(`<property name="parent" class="Page"><id name="id">%d</id></property>`, pageID(p))
	}
	g.p(`<object class="Page" package="com.atlassian.confluence.pages"><id name="id">%d</id><property name="title"><![CDATA[Page %d %s]]></property><property name="space" class="Space"><id name="id">1</id></property>%s<property name="position">%d</property><property name="creationDate">2024-01-01 10:00:00.000</property><property name="lastModificationDate">2025-01-01 10:00:00.000</property><property name="contentStatus"><![CDATA[current]]></property></object>`+"\n",
		id, i, words[i%len(words)], par, i%10)
	g.p(`<object class="Page"><id name="id">%d</id><property name="title"><![CDATA[Page %d old]]></property><property name="originalVersion" class="Page"><id name="id">%d</id></property><property name="contentStatus"><![CDATA[current]]></property></object>`+"\n", 5000000+i, i, id)
	g.p(`<object class="BodyContent"><id name="id">%d</id><property name="body"><![CDATA[%s]]></property><property name="content" class="Page"><id name="id">%d</id></property><property name="bodyType">2</property></object>`+"\n", 2000000+i, g.body(i), id)
	if i%10 == 3 {
		g.p(`<object class="Label"><id name="id">%d</id><property name="name"><![CDATA[%s]]></property></object>`, 3000000+i, words[i%len(words)])
		g.p(`<object class="Labelling"><id name="id">%d</id><property name="label" class="Label"><id name="id">%d</id></property><property name="content" class="Page"><id name="id">%d</id></property></object>`+"\n", 3500000+i, 3000000+i, id)
	}
	if i%50 == 0 {
		g.p(`<object class="Attachment"><id name="id">%d</id><property name="title"><![CDATA[data-%d.txt]]></property><property name="version">1</property><property name="containerContent" class="Page"><id name="id">%d</id></property><property name="contentStatus"><![CDATA[current]]></property></object>`+"\n", 900000+i, i, id)
	}
	if i%20 == 7 {
		set := 4000000 + i
		g.p(`<object class="ContentPermissionSet"><id name="id">%d</id><property name="type"><![CDATA[View]]></property><property name="owningContent" class="Page"><id name="id">%d</id></property></object>`+"\n", set, id)
		g.p(`<object class="ContentPermission"><id name="id">%d</id><property name="type"><![CDATA[View]]></property><property name="groupName"><![CDATA[group%d]]></property><property name="owningSet" class="ContentPermissionSet"><id name="id">%d</id></property></object>`+"\n", set+1, i%5, set)
		g.p(`<object class="ContentPermission"><id name="id">%d</id><property name="type"><![CDATA[View]]></property><property name="userSubject" class="ConfluenceUserImpl"><id name="key"><![CDATA[user%d]]></id></property><property name="owningSet" class="ContentPermissionSet"><id name="id">%d</id></property></object>`+"\n", set+2, i%20, set)
	}
}

var words = []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"}

func (g *gen) body(i int) string {
	var b strings.Builder
	other := g.rng.IntN(g.n)
	fmt.Fprintf(&b, "<h2>About page %d</h2>", i)
	for range 6 {
		b.WriteString("<p>")
		for range 40 {
			b.WriteString(words[g.rng.IntN(len(words))] + " ")
		}
		fmt.Fprintf(&b, `<strong>bold</strong> <em>em</em> <ac:link><ri:page ri:content-title="Page %d %s"/></ac:link>.</p>`, other, words[other%len(words)])
	}
	b.WriteString("<ul><li>one<ul><li>nested</li></ul></li><li>two</li></ul>")
	b.WriteString("<table><tbody><tr><th>k</th><th>v</th></tr><tr><td>a</td><td><code>b</code></td></tr></tbody></table>")
	b.WriteString(`<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">go</ac:parameter><ac:plain-text-body><![CDATA[func main() { println("hi") }]]]]><![CDATA[></ac:plain-text-body></ac:structured-macro>`)
	b.WriteString(`<ac:structured-macro ac:name="info"><ac:rich-text-body><p>Note this.</p></ac:rich-text-body></ac:structured-macro>`)
	return b.String()
}
