// Package gitsnap reads another version of a site out of git for commands
// that compare versions (`facet diff`): it finds the default base of a
// change (the merge base with the default branch) and writes a ref's copy
// of a folder into another folder. It runs the git command; it knows
// nothing of sites.
package gitsnap

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"strconv"
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

// MaxExportBytes bounds the bytes Export writes: a ref holding more (a
// huge or highly compressible file) is refused rather than filling the
// disk.
const MaxExportBytes = 4 << 30

// entry is one file of a tree as git ls-tree lists it.
type entry struct {
	mode, oid, name string
	size            int64
}

// Export writes commit's copy of dir (the same folder of the repository)
// into dest, which must exist and be empty. It copies the blobs as
// committed, reading them with git cat-file: no .gitattributes rule
// (export-ignore, export-subst, filters) changes or drops a file.
// Submodules are left out. A symbolic link is written as a link only when
// its target stays inside dest; a name that would leave dest or pass
// through a link is an error.
func Export(ctx context.Context, dir, commit, dest string) error {
	p, err := prefix(ctx, dir)
	if err != nil {
		return err
	}
	tree := commit + ":" + p // the root tree when p is ""
	if t, err := git(ctx, dir, "cat-file", "-t", tree); err != nil || t != "tree" {
		return fmt.Errorf("the folder %s does not exist at %s", orDot(p), commit)
	}
	entries, err := listTree(ctx, dir, tree)
	if err != nil {
		return err
	}
	root, err := os.OpenRoot(dest)
	if err != nil {
		return err
	}
	defer root.Close()
	return catFiles(ctx, dir, entries, func(e entry, r io.Reader) error {
		return writeEntry(root, e, r)
	})
}

func orDot(s string) string {
	if s == "" {
		return "."
	}
	return s
}

// listTree lists the blobs of tree, recursively, with their sizes; it
// refuses a tree larger than MaxExportBytes.
func listTree(ctx context.Context, dir, tree string) ([]entry, error) {
	cmd := exec.CommandContext(ctx, "git", "ls-tree", "-r", "-z", "-l", "--full-tree", tree)
	cmd.Dir = dir
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-tree: %s", firstLine(strings.TrimSpace(errb.String())))
	}
	var entries []entry
	var total int64
	for rec := range strings.SplitSeq(string(out), "\x00") {
		if rec == "" {
			continue
		}
		meta, name, ok := strings.Cut(rec, "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 4 {
			return nil, fmt.Errorf("git ls-tree: unexpected line %q", rec)
		}
		if f[1] != "blob" {
			continue // a submodule's commit
		}
		size, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("git ls-tree: unexpected size in %q", rec)
		}
		if total += size; total > MaxExportBytes {
			return nil, fmt.Errorf("the folder holds more than %d bytes at that ref", int64(MaxExportBytes))
		}
		entries = append(entries, entry{mode: f[0], oid: f[2], name: name, size: size})
	}
	return entries, nil
}

// catFiles reads each entry's blob through one git cat-file --batch and
// hands it to write, in order.
func catFiles(ctx context.Context, dir string, entries []entry, write func(entry, io.Reader) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "cat-file", "--batch")
	cmd.Dir = dir
	var ids strings.Builder
	for _, e := range entries {
		ids.WriteString(e.oid + "\n")
	}
	cmd.Stdin = strings.NewReader(ids.String())
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	werr := readBatch(bufio.NewReader(out), entries, write)
	if werr != nil {
		cancel()
	}
	if err := cmd.Wait(); err != nil && werr == nil {
		return fmt.Errorf("git cat-file: %s", firstLine(strings.TrimSpace(errb.String())))
	}
	return werr
}

// readBatch reads git cat-file --batch's answer for entries, streaming
// each blob to write.
func readBatch(r *bufio.Reader, entries []entry, write func(entry, io.Reader) error) error {
	for _, e := range entries {
		head, err := r.ReadString('\n')
		if err != nil {
			return fmt.Errorf("git cat-file: %w", err)
		}
		f := strings.Fields(head)
		if len(f) != 3 || f[0] != e.oid || f[1] != "blob" || f[2] != strconv.FormatInt(e.size, 10) {
			return fmt.Errorf("git cat-file: unexpected answer %q for %s", strings.TrimSpace(head), e.name)
		}
		body := io.LimitReader(r, e.size)
		if err := write(e, body); err != nil {
			return err
		}
		if _, err := io.Copy(io.Discard, body); err != nil {
			return fmt.Errorf("git cat-file: %w", err)
		}
		if b, err := r.ReadByte(); err != nil || b != '\n' {
			return fmt.Errorf("git cat-file: unexpected end of %s", e.name)
		}
	}
	return nil
}

// writeEntry writes one blob under root: a file, or a symbolic link that
// stays inside root.
func writeEntry(root *os.Root, e entry, r io.Reader) error {
	name := path.Clean(e.name)
	if !fs.ValidPath(name) || name == "." || strings.Contains(e.name, "\\") {
		return fmt.Errorf("%s: the name leaves the folder", e.name)
	}
	if dir := path.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		if err := noLinkIn(root, dir); err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
	}
	if e.mode == "120000" {
		link, err := io.ReadAll(io.LimitReader(r, 4096))
		if err != nil {
			return err
		}
		target := string(link)
		if path.IsAbs(target) || !fs.ValidPath(path.Join(path.Dir(name), target)) || strings.Contains(target, "\\") {
			return fmt.Errorf("%s: a symbolic link out of the folder (to %s)", e.name, target)
		}
		return root.Symlink(target, name)
	}
	perm := os.FileMode(0o644)
	if e.mode == "100755" {
		perm = 0o755
	}
	f, err := root.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// noLinkIn refuses a folder path under root that passes through a
// symbolic link (a crafted tree may hold a link and a folder of one name).
func noLinkIn(root *os.Root, dir string) error {
	for d := dir; d != "."; d = path.Dir(d) {
		fi, err := root.Lstat(d)
		if err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("the path passes through the symbolic link %s", d)
		}
	}
	return nil
}
