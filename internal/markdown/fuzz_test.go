package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// markResolver resolves every destination without a scheme or leading '#'
// to an href that holds a marker no input contains (inputs holding it are
// skipped), so its hrefs can be found in, or shown absent from, the output.
type markResolver struct {
	targets map[string]int
	hrefs   []string
}

const marker = "QXQ"

func (r *markResolver) Resolve(dest string, line int) (string, int, bool) {
	if line < 1 {
		panic(fmt.Sprintf("Resolve(%q) got line %d", dest, line))
	}
	if dest == "" || strings.HasPrefix(dest, "#") || strings.Contains(dest, ":") {
		return "", 0, false
	}
	id, ok := r.targets[dest]
	if !ok {
		id = len(r.hrefs)
		r.targets[dest] = id
		r.hrefs = append(r.hrefs, fmt.Sprintf("/%s%d%s/", marker, id, marker))
	}
	return r.hrefs[id], id, true
}

// Names implements Resolver; no attribute word names a target, so the fuzzer
// explores rendering rather than refusals.
func (r *markResolver) Names(string) bool { return false }

func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"[a](b.md) text [](c.md) ![i](x.png)\n\n- [x](y.md)\n- [ ] [t](z.md)\n",
		"| a | b |\n|---|---|\n| [x](b.md) | ![y](c.png) |\n",
		"[r][1]\n\n[1]: d.md\n\n> [q](e.md)\n\n1. x\n   - [n](f.md)\n",
		"<a href=\"b.md\">x</a> <img src=c.png srcset=\"d.png 1x, e.png 2x\">\n\n<video src=v.mp4 poster=p.png><source src=s.webm></video>\n",
		"# T [![i](a.png)](b.md)\n\n*[e](c.md)* [^1]\n\n[^1]: [f](g.md)\n",
		"<iframe src=\"x.md\">\n<a href='y.md'>\n</iframe>\n<form action=f.md><button formaction=g.md>",
	} {
		f.Add(s)
	}
	convs := []*Converter{New(Options{}), New(Options{Unsafe: true, Highlight: true})}
	f.Fuzz(func(t *testing.T, in string) {
		if strings.Contains(strings.ToUpper(in), marker) {
			t.Skip()
		}
		for _, c := range convs {
			r := &markResolver{targets: map[string]int{}}
			d, err := c.Convert([]byte(in), r)
			var refused Refused
			if errors.As(err, &refused) {
				continue
			}
			if err != nil {
				t.Fatalf("Convert: %v", err)
			}
			title := func(int) string { return marker + "title" }
			var none, all, some bytes.Buffer
			d.Render(&none, func(int) bool { return false }, title)
			if strings.Contains(strings.ToUpper(none.String()), marker) {
				t.Fatalf("every target hidden, yet a resolver href or title is in\n%s", none.String())
			}
			d.Render(&all, func(int) bool { return true }, title)
			for _, h := range r.hrefs {
				if !strings.Contains(all.String(), h) {
					t.Fatalf("every target visible, yet href %s is missing from\n%s", h, all.String())
				}
			}
			d.Render(&some, func(t int) bool { return t%2 == 0 }, nil)
			for i, h := range r.hrefs {
				if i%2 == 1 && strings.Contains(some.String(), h) {
					t.Fatalf("target %d hidden, yet href %s is in\n%s", i, h, some.String())
				}
			}
		}
	})
}
