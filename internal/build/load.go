package build

import (
	"os"
	"slices"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/diag"
)

// draftLevel hides drafts from everyone: a closed level with no entries.
var draftLevel = &access.Level{File: "draft", Closed: true}

// load reads the configuration and content of the site folder, checks
// every principal against config/access.toml and compiles the rules. All
// problems are reported together.
func load(dir string) (*loadedSite, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, diag.List{{File: dir, Msg: "site folder not found"}}
	}
	fsys := os.DirFS(dir)
	var errs diag.List
	cfg, err := config.LoadSite(fsys)
	errs.Append(err)
	acc, err := config.LoadAccess(fsys)
	errs.Append(err)
	tree, err := content.Load(fsys)
	errs.Append(err)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	s := &loadedSite{dir: dir, cfg: cfg, acc: acc, tree: tree}
	s.themeFS = s.theme()
	if errs = s.checkThemePlace(); len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	if cfg.Access != nil {
		s.levels = append(s.levels, cfg.Access)
	}
	for _, p := range tree.Pages {
		for _, l := range []*access.Level{p.PageAccess, p.Access} {
			if l != nil {
				s.levels = append(s.levels, l)
			}
		}
	}
	users := map[string]bool{}
	for _, l := range s.levels {
		errs = append(errs, config.CheckLevel(l, &acc.Directory)...)
		for _, e := range l.Entries {
			if e.Principal.Class == access.ClassUser {
				users[e.Principal.Name] = true
			}
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	for u := range users {
		s.users = append(s.users, u)
	}
	slices.Sort(s.users)
	s.rules = &access.Rules{Chains: make([]access.Chain, len(tree.Pages))}
	for i, p := range tree.Pages {
		if p.Draft {
			s.rules.Chains[i] = access.Chain{draftLevel}
			continue
		}
		s.rules.Chains[i] = tree.Chain(p, cfg.Access)
	}
	return s, nil
}
