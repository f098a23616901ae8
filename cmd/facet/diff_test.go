package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/sitetest"
)

// gitRepo makes a git repository in a new folder holding files, committed.
func gitRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("FACET_REQUIRE_ALL") == "1" {
			t.Fatal("git is not installed (FACET_REQUIRE_ALL=1)")
		}
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	sitetest.WriteFiles(t, dir, files)
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-qm", "base"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=facet test", "GIT_AUTHOR_EMAIL=test@example.com",
			"GIT_COMMITTER_NAME=facet test", "GIT_COMMITTER_EMAIL=test@example.com", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

// --fail-on exits 2 when the change holds what it names, 0 when not, and
// errors exit 1 (errReported), never 2.
func TestDiffExitCodes(t *testing.T) {
	t.Parallel()
	dir := gitRepo(t, map[string]string{
		"config/site.toml":   "title = \"T\"\n[access]\nallow = [\"members\"]\n",
		"config/access.toml": "[members]\ndomains = [\"example.com\"]\n",
		"content/_index.md":  "+++\ntitle = \"Home\"\n+++\nHi.\n",
		"content/a.md":       "+++\ntitle = \"A\"\n+++\nA page.\n",
	})
	sitetest.WriteFile(t, dir, "content/a.md", "+++\ntitle = \"A\"\n[access]\nallow = [\"anyone\"]\n+++\nA page.\n")
	var out strings.Builder
	for _, tc := range []struct {
		args []string
		code int // 0 ok, 1 error, 2 gate
	}{
		{[]string{"--fail-on", "anonymous"}, 2},
		{[]string{"--fail-on", "any"}, 2},
		{[]string{}, 0},
		{[]string{"--base", "no-such-ref", "--fail-on", "any"}, 1},
		{[]string{"--format", "yaml"}, 1},
	} {
		out.Reset()
		args := append([]string{"diff", "--site", dir, "--base", "HEAD"}, tc.args...)
		err := run(context.Background(), args, &out, io.Discard)
		code := 0
		var exit exitError
		switch {
		case errors.As(err, &exit):
			code = exit.code
		case err != nil:
			code = 1
		}
		if code != tc.code {
			t.Errorf("facet %v: exit %d (%v), want %d", tc.args, code, err, tc.code)
		}
	}
}
