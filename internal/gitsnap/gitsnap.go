// Package gitsnap reads another version of a site out of git for commands
// that compare versions (`facet diff`): it finds the default base of a
// change (the merge base with the default branch) and writes a ref's copy
// of a folder into another folder. It runs the git command; it knows
// nothing of sites.
package gitsnap

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// ErrNotRepository is returned for a folder outside any git repository.
var ErrNotRepository = errors.New("not in a git repository")

// git runs git in dir and returns its trimmed standard output.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return "", errors.New("git is not installed")
		}
		msg := strings.TrimSpace(errb.String())
		if strings.Contains(msg, "not a git repository") {
			return "", ErrNotRepository
		}
		return "", fmt.Errorf("git %s: %s", args[0], firstLine(msg))
	}
	return strings.TrimSpace(out.String()), nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// prefix is dir's path inside its repository ("" at the top, else
// "docs/site"), or ErrNotRepository.
func prefix(ctx context.Context, dir string) (string, error) {
	p, err := git(ctx, dir, "rev-parse", "--show-prefix")
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(p, "/"), nil
}

// DefaultBase returns the commit a change in dir is compared with: the
// merge base of HEAD with the default branch (origin's HEAD, else a local
// main, else master).
func DefaultBase(ctx context.Context, dir string) (string, error) {
	if _, err := prefix(ctx, dir); err != nil {
		return "", err
	}
	branch, err := git(ctx, dir, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
	if err != nil || branch == "" {
		branch = ""
		for _, b := range []string{"main", "master"} {
			if _, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", "refs/heads/"+b); err == nil {
				branch = b
				break
			}
		}
	}
	if branch == "" {
		return "", errors.New("no default branch (origin/HEAD, main or master) to compare with; give --base REF")
	}
	base, err := git(ctx, dir, "merge-base", "HEAD", branch)
	if err != nil {
		return "", fmt.Errorf("no merge base of HEAD and %s: %w", branch, err)
	}
	return base, nil
}

// Resolve returns the commit ref names in dir's repository, or an error
// naming the unknown ref.
func Resolve(ctx context.Context, dir, ref string) (string, error) {
	if _, err := prefix(ctx, dir); err != nil {
		return "", err
	}
	if strings.HasPrefix(ref, "-") {
		return "", fmt.Errorf("unknown git ref %q", ref)
	}
	c, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", ref+"^{commit}")
	if err != nil || c == "" {
		return "", fmt.Errorf("unknown git ref %q", ref)
	}
	return c, nil
}

// Export writes commit's copy of dir (the same folder of the repository)
// into dest, which must exist and be empty.
func Export(ctx context.Context, dir, commit, dest string) error {
	p, err := prefix(ctx, dir)
	if err != nil {
		return err
	}
	tree := commit
	if p != "" {
		tree = commit + ":" + p
	}
	cmd := exec.CommandContext(ctx, "git", "archive", "--format=tar", tree)
	cmd.Dir = dir
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git archive: %w", err)
	}
	uerr := untar(out, dest)
	_, _ = io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil {
		msg := firstLine(strings.TrimSpace(errb.String()))
		if strings.Contains(msg, "not a valid object name") || strings.Contains(msg, "not a tree object") {
			return fmt.Errorf("the folder %s does not exist at %s", orDot(p), commit)
		}
		return fmt.Errorf("git archive: %s", msg)
	}
	return uerr
}

func orDot(s string) string {
	if s == "" {
		return "."
	}
	return s
}

// untar writes the tar stream r under dest: folders, regular files and
// symbolic links (which the site loader refuses where they do not
// belong); names that would leave dest are an error.
func untar(r io.Reader, dest string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read archive: %w", err)
		}
		name := path.Clean(h.Name)
		if name == "." || h.Typeflag == tar.TypeXGlobalHeader {
			continue
		}
		if path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
			return fmt.Errorf("archive entry %q leaves the folder", h.Name)
		}
		target := filepath.Join(dest, filepath.FromSlash(name))
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(target, 0o755)
		case tar.TypeReg:
			err = writeFile(target, tr, h.FileInfo().Mode().Perm())
		case tar.TypeSymlink:
			if err = os.MkdirAll(filepath.Dir(target), 0o755); err == nil {
				err = os.Symlink(h.Linkname, target)
			}
		}
		if err != nil {
			return err
		}
	}
}

func writeFile(target string, r io.Reader, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm|0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
