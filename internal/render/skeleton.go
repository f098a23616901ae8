package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"text/template/parse"
)

// Markers a layout prints for what differs between builds: html/template
// escapes NUL in every context, so only these values put NUL bytes in a
// layout's output. assemble replaces them.
const (
	bodyMark    = template.HTML("\x00B\x00")
	sidebarMark = template.HTML("\x00S\x00")
	crumbsMark  = template.HTML("\x00C\x00")
	badgeMark   = template.HTML("\x00G\x00")
	// A build partial is "\x00P" + template name + "\x00".
)

// Skeletons. With Body, Sidebar, Breadcrumbs, Badge and build partials
// printed as markers, the output of layouts/page.html depends on the page
// and on a few values of the build alone: the description, prev/next,
// the tags, feed and search links, and the build's own fields when the
// layout reads .Build. Builds for which those are equal get the same
// output, so the layout runs once and later builds only assemble the
// stored skeleton: skelKey holds every such value, so no build can
// receive anything that another build's data put in a skeleton.

// maxSkeletons bounds the skeletons kept per page.
const maxSkeletons = 4

// skelKey returns the key of the current page's layout output, "" when it
// is not shared (only "page" layouts are).
func (s *state) skelKey() string {
	d := &s.data
	if d.Kind != "page" || d.page == nil {
		return ""
	}
	var b strings.Builder
	field := func(v string) {
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.WriteString(v)
	}
	for _, l := range []*Link{d.Prev, d.Next} {
		if l == nil {
			b.WriteByte('-')
			continue
		}
		b.WriteByte('+')
		field(l.Title)
		field(l.URL)
	}
	field(d.Description)
	field(d.TagsURL)
	field(d.FeedURL)
	field(d.SearchURL)
	field(string(d.Body))
	field(string(d.Breadcrumbs))
	if s.r.th.pageReadsBuild {
		field(d.Build.ID)
		field(d.Build.Kind)
		field(d.Build.Label)
		field(d.Build.Expires)
	}
	return b.String()
}

// skeleton returns the stored layout output of page index i for key.
func (r *Renderer) skeleton(i int, key string) []byte {
	pp := &r.parts[i]
	pp.mu.Lock()
	defer pp.mu.Unlock()
	return pp.skel[key]
}

// storeSkeleton keeps a copy of out as page i's layout output for key.
func (r *Renderer) storeSkeleton(i int, key string, out []byte) {
	pp := &r.parts[i]
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if len(pp.skel) >= maxSkeletons {
		return
	}
	if pp.skel == nil {
		pp.skel = map[string][]byte{}
	}
	pp.skel[key] = bytes.Clone(out)
}

// layout runs the layout of s.data.Kind, or reuses its stored skeleton,
// and emits the assembled file.
func (s *state) layout(f *fragment, cur int, body []byte, out string) error {
	if len(body) > 0 {
		s.data.Body = bodyMark
	}
	if f.crumbs != "" {
		s.data.Breadcrumbs = crumbsMark
	}
	key := s.skelKey()
	var skel []byte
	if key != "" {
		skel = s.r.skeleton(s.data.page.Index, key)
	}
	if skel == nil {
		s.buf.Reset()
		if err := s.r.th.layouts[s.data.Kind].Execute(&s.buf, &s.data); err != nil {
			return fmt.Errorf("render: %s: theme layouts/%s.html: %w", out, s.data.Kind, err)
		}
		skel = s.buf.Bytes()
		if key != "" {
			s.r.storeSkeleton(s.data.page.Index, key, skel)
		}
	}
	data, err := s.assemble(skel, body, f, cur, s.data.Root)
	if err != nil {
		return fmt.Errorf("render: %s: %w", out, err)
	}
	return s.write(out, data)
}

// assemble copies a layout's output into a new slice, replacing markers.
// A NUL that starts no marker is dropped: it is never valid in HTML.
func (s *state) assemble(out, body []byte, f *fragment, cur int, root string) ([]byte, error) {
	dst := make([]byte, 0, len(out)+len(body)+f.size+len(f.crumbs)+4096)
	for {
		i := bytes.IndexByte(out, 0)
		if i < 0 {
			return append(dst, out...), nil
		}
		dst = append(dst, out[:i]...)
		out = out[i+1:]
		j := bytes.IndexByte(out, 0)
		if j < 1 {
			continue
		}
		arg := out[1:j]
		switch {
		case out[0] == 'B' && len(arg) == 0:
			dst = append(dst, body...)
		case out[0] == 'S' && len(arg) == 0:
			dst = f.appendSidebar(dst, cur)
		case out[0] == 'C' && len(arg) == 0:
			dst = append(dst, f.crumbs...)
		case out[0] == 'G' && len(arg) == 0:
			dst = append(dst, s.badge...)
		case out[0] == 'P':
			h, err := s.buildPartial(string(arg), root)
			if err != nil {
				return nil, err
			}
			dst = append(dst, h...)
		default:
			continue
		}
		out = out[j+1:]
	}
}

// readsField reports whether the template called name, or any template it
// calls with {{template}}, names a field called field anywhere (in any
// dot: the check is by name, so it errs on the side of "yes").
func readsField(set *template.Template, name, field string) bool {
	w := &fieldWalker{set: set, field: field, seen: map[string]bool{}}
	return w.tree(name)
}

// fieldWalker walks template parse trees looking for a field name.
type fieldWalker struct {
	set   *template.Template
	field string
	seen  map[string]bool
}

func (w *fieldWalker) tree(name string) bool {
	if w.seen[name] {
		return false
	}
	w.seen[name] = true
	t := w.set.Lookup(name)
	return t == nil || t.Tree == nil || w.node(t.Tree.Root)
}

func (w *fieldWalker) names(idents []string) bool {
	for _, id := range idents {
		if id == w.field {
			return true
		}
	}
	return false
}

func (w *fieldWalker) nodes(list []parse.Node) bool {
	for _, n := range list {
		if w.node(n) {
			return true
		}
	}
	return false
}

func (w *fieldWalker) node(n parse.Node) bool {
	switch n := n.(type) {
	case *parse.ListNode:
		return n != nil && w.nodes(n.Nodes)
	case *parse.ActionNode:
		return w.node(n.Pipe)
	case *parse.PipeNode:
		if n == nil {
			return false
		}
		for _, c := range n.Cmds {
			if w.nodes(c.Args) {
				return true
			}
		}
	case *parse.FieldNode:
		return w.names(n.Ident)
	case *parse.VariableNode:
		return w.names(n.Ident)
	case *parse.ChainNode:
		return w.names(n.Field) || w.node(n.Node)
	case *parse.IfNode:
		return w.node(n.Pipe) || w.node(n.List) || w.node(n.ElseList)
	case *parse.RangeNode:
		return w.node(n.Pipe) || w.node(n.List) || w.node(n.ElseList)
	case *parse.WithNode:
		return w.node(n.Pipe) || w.node(n.List) || w.node(n.ElseList)
	case *parse.TemplateNode:
		return w.node(n.Pipe) || w.tree(n.Name)
	}
	return false
}
