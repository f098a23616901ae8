package build

import (
	"bufio"
	"context"
	"io/fs"
	"os/exec"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/diag"
	"github.com/facet-docs/facet/internal/render"
)

// themeInfo is config/site.toml's [layout] as the renderer takes it, with
// each page's date from git when the site asks for them. A logo the theme
// does not have is an error at its line.
func (s *loadedSite) themeInfo() (render.Theme, error) {
	l := s.cfg.Layout
	th := render.Theme{Logo: l.Logo, Announcement: l.Announcement, RepoURL: l.RepoURL, EditPath: l.EditPath,
		Backlinks: l.Backlinks}
	if l.Logo != "" {
		if st, err := fs.Stat(s.themeFS, "assets/"+l.Logo); err != nil || st.IsDir() {
			return th, diag.Errorf(config.SiteFile, l.LogoLine,
				"layout.logo: the theme has no assets/%s (put it in themes/%s/assets/)", l.Logo, s.cfg.Theme)
		}
	}
	for _, f := range l.FooterLinks {
		th.FooterLinks = append(th.FooterLinks, render.Link{Title: f.Title, URL: f.URL})
	}
	if l.LastUpdated {
		want := make(map[string]bool, len(s.tree.Pages))
		for _, p := range s.tree.Pages {
			if !p.Generated {
				want[p.File] = true
			}
		}
		s.head = gitHead(s.dir)
		th.Updated = gitDates(context.Background(), s.dir, want)
	}
	return th, nil
}

// datesHold reports whether the pages' dates from git are still those
// the renderer took: the site shows none, or the repository's HEAD is the
// commit they were read at. A rebuild that keeps the renderer must
// check it: a commit changes the dates of the pages it touches, which no
// changed path may show.
func (s *loadedSite) datesHold() bool {
	return !s.cfg.Layout.LastUpdated || gitHead(s.dir) == s.head
}

// gitHead is the commit HEAD names in the repository holding dir, "" when
// there is none.
func gitHead(dir string) string {
	cmd := exec.Command("git", "rev-parse", "-q", "--verify", "HEAD")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// gitDates returns the day (UTC) of the last commit that changed each
// wanted file (paths from the site folder dir, "content/a.md"), reading
// `git log` newest first and stopping once every wanted file has its date.
// It asks git for commit dates alone: never an author or committer name.
// A folder outside git, or no git, gives nil: no dates. The answer
// depends only on the repository's history, so every build, and every
// run on the same commit, shows the same dates.
func gitDates(ctx context.Context, dir string, want map[string]bool) map[string]time.Time {
	if len(want) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "-c", "core.quotepath=false", "log",
		"--format=%x01%cI", "--name-only", "--relative", "--no-renames", "--", "content")
	cmd.Dir = dir
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil
	}
	if err := cmd.Start(); err != nil {
		return nil
	}
	dates := map[string]time.Time{}
	var day time.Time
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() && len(dates) < len(want) {
		line := sc.Text()
		if d, ok := strings.CutPrefix(line, "\x01"); ok {
			t, err := time.Parse(time.RFC3339, d)
			if err == nil {
				t = t.UTC()
				day = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
			}
			continue
		}
		if want[line] && !day.IsZero() {
			if _, seen := dates[line]; !seen {
				dates[line] = day
			}
		}
	}
	cancel()
	_ = cmd.Wait()
	if len(dates) == 0 {
		return nil
	}
	return dates
}
