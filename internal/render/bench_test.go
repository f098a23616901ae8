package render

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/markdown"
)

// benchBodies serves one realistic body for every page.
type benchBodies struct {
	body     []byte
	headings []markdown.Heading
}

func (b *benchBodies) Body(*content.Page, *Target) []byte        { return b.body }
func (b *benchBodies) Headings(*content.Page) []markdown.Heading { return b.headings }

func (b *benchBodies) Links(*content.Page, *Target) []int { return nil }

// benchTree is a synthetic site of about n pages: 10 spaces of 5
// sections each, pages spread evenly, some tagged and dated.
func benchTree(n int) *content.Tree {
	tb := newTreeBuilder()
	tb.section("/", "Home")
	per := max(1, (n-61)/50)
	for s := range 10 {
		space := fmt.Sprintf("/space-%d/", s)
		tb.section(space, fmt.Sprintf("Space %d", s), weight(s+1))
		for c := range 5 {
			sec := fmt.Sprintf("%ssection-%d/", space, c)
			tb.section(sec, fmt.Sprintf("Section %d.%d", s, c))
			for p := range per {
				mods := []func(*content.Page){tags(fmt.Sprintf("tag-%d", p%30))}
				if p%3 == 0 {
					mods = append(mods, date(2024, 1+p%12, 1+p%28))
				}
				tb.page(fmt.Sprintf("%spage-%d/", sec, p), fmt.Sprintf("Page %d of section %d.%d", p, s, c), mods...)
			}
		}
	}
	return tb.tree()
}

func newBenchBodies() *benchBodies {
	var sb strings.Builder
	var hs []markdown.Heading
	for i := range 6 {
		id := fmt.Sprintf("part-%d", i)
		fmt.Fprintf(&sb, `<h2 id="%s">Part %d<a class="anchor" href="#%s" aria-hidden="true">#</a></h2>`, id, i, id)
		hs = append(hs, markdown.Heading{Level: 2, ID: id, Text: fmt.Sprintf("Part %d", i)})
		for range 3 {
			sb.WriteString(`<p>Lorem ipsum dolor sit amet, <a href="../other/">consectetur</a> adipiscing elit, sed do <em>eiusmod</em> tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.</p>`)
		}
		sb.WriteString(`<pre class="chroma"><code><span class="kd">func</span> <span class="nf">main</span>() {}</code></pre>`)
	}
	return &benchBodies{body: []byte(sb.String()), headings: hs}
}

func BenchmarkRender(b *testing.B) {
	tree := benchTree(1000)
	r := newRenderer(b, Site{Title: "Bench", BaseURL: "https://docs.example.com/"}, tree)
	build := &Target{Dir: "anonymous", Kind: "anonymous", Label: "Public", Present: presentExcept(tree)}
	bodies := newBenchBodies()
	var bytes, files int
	emit := func(_ string, data []byte) error { bytes += len(data); files++; return nil }
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		bytes, files = 0, 0
		if err := r.Render(context.Background(), build, bodies, emit); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(tree.Pages)), "ns/page")
	b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N)/float64(len(tree.Pages)), "cpu-ns/page")
	b.ReportMetric(float64(files), "files")
	b.ReportMetric(float64(bytes)/float64(files), "bytes/file")
}

// BenchmarkRenderBuilds renders 16 builds of the 1,000-page tree, each
// hiding a different space, as a build of 16 audiences does: page partials
// are shared between them.
func BenchmarkRenderBuilds(b *testing.B) {
	tree := benchTree(1000)
	bodies := newBenchBodies()
	var builds []*Target
	for i := range 16 {
		hide := fmt.Sprintf("/space-%d/", i%10)
		var hidden []string
		for _, p := range tree.Pages {
			if i > 0 && strings.HasPrefix(p.URL, hide) {
				hidden = append(hidden, p.URL)
			}
		}
		builds = append(builds, &Target{Dir: fmt.Sprint(i), Kind: "member", Label: "Members", Present: presentExcept(tree, hidden...)})
	}
	emit := func(string, []byte) error { return nil }
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		r := newRenderer(b, Site{Title: "Bench", BaseURL: "https://docs.example.com/"}, tree)
		for _, build := range builds {
			if err := r.Render(context.Background(), build, bodies, emit); err != nil {
				b.Fatal(err)
			}
		}
	}
	n := float64(b.N * len(builds) * len(tree.Pages))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/page")
	b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/n, "cpu-ns/page")
}
