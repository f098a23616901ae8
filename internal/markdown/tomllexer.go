package markdown

import (
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// registerTOML makes chroma's TOML lexer read a line that is only +++ (the
// fence of facet's frontmatter, which pages about facet show in ```toml
// blocks) as a comment instead of three error tokens. It replaces the
// lexer in chroma's registry once, before the first highlighted block; if
// chroma's lexer is not the regular-expression kind, nothing changes.
var registerTOML = sync.OnceFunc(func() {
	base, ok := lexers.Get("toml").(*chroma.RegexLexer)
	if !ok {
		return
	}
	rules, err := base.Rules()
	if err != nil {
		return
	}
	fence := chroma.Rule{Pattern: `^\+\+\+[ \t]*(?=\n|$)`, Type: chroma.CommentPreproc}
	rules["root"] = append([]chroma.Rule{fence}, rules["root"]...)
	lexers.Register(chroma.MustNewLexer(base.Config(), func() chroma.Rules { return rules }))
})
