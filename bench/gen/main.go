// Command gen writes a deterministic facet site for benchmarks:
//
//	go run ./bench/gen -pages N -out DIR [-seed S] [-corpus default|hard]
//
// DIR receives config/site.toml, config/access.toml and content/: ten
// spaces with sections nested up to depth three, N pages of 300 to 1500
// words of prose from a fixed vocabulary (headings, lists, tables, code
// blocks, footnotes), 5 to 15 internal and 1 or 2 external links a page,
// [access] rules on seven spaces, some sub-sections and a fifth of the
// pages (eight groups, six guests, two named members, two declared group
// combinations: twenty audiences), and a PNG diagram in a tenth of the
// pages, each in a page bundle. Section _index.md files come on top of N.
//
// With -corpus hard the same spaces, sections and access rules carry what
// makes a leak check hard (see hard.go): short, repeated, date-like and
// numeric titles made of the prose's own vocabulary, link text that repeats
// the target's title, 10 to 25 internal links a page reaching into hidden
// sections, code blocks naming page URLs ("POST /sales/q3"), and csv, svg,
// json and png attachments, in page bundles and in section folders.
//
// The output depends only on (pages, seed, corpus): one math/rand/v2 PCG source
// drives every choice, so two runs write the same bytes. DIR is emptied
// first only when it holds the marker file the generator writes; any other
// non-empty DIR is refused, so a mistyped -out never deletes anything.
//
// It owns the corpus and nothing else: it never runs facet, and it checks
// its rules with the access engine only in its tests.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// markerName is the file that marks a folder as written by this generator.
const markerName = ".facet-bench-corpus"

// pcgStream is the fixed second half of the PCG seed.
const pcgStream = 0x9e3779b97f4a7c15

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("gen", flag.ContinueOnError)
	flags.SetOutput(stderr)
	n := flags.Int("pages", 1000, "number of pages, section _index.md files not counted")
	out := flags.String("out", "", "folder to write the site into (required)")
	seed := flags.Uint64("seed", 1, "seed of the random source")
	corpus := flags.String("corpus", modeDefault, "kind of corpus: default or hard")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", flags.Arg(0))
	}
	if *out == "" {
		return errors.New("-out DIR is required")
	}
	if *n < 1 || *n > 1_000_000 {
		return fmt.Errorf("-pages %d: want 1 to 1000000", *n)
	}
	if *corpus != modeDefault && *corpus != modeHard {
		return fmt.Errorf("-corpus %q: want %s or %s", *corpus, modeDefault, modeHard)
	}
	files, err := generate(*n, *seed, *corpus == modeHard)
	if err != nil {
		return err
	}
	if err := prepare(*out); err != nil {
		return err
	}
	size, err := write(*out, files)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d pages, %d files, %.1f MB to %s\n", *n, len(files), float64(size)/1e6, *out)
	return nil
}

// file is one output file, its path relative to the output folder.
type file struct {
	path string
	data []byte
}

// generate plans the site and renders every file, in a fixed order; hard
// selects the hard corpus.
func generate(n int, seed uint64, hard bool) ([]file, error) {
	r := rand.New(rand.NewPCG(seed, pcgStream))
	w := words{r}
	s := plan(r, n, hard)
	marker := fmt.Sprintf("facet benchmark corpus: -pages %d -seed %d", n, seed)
	if hard {
		marker += " -corpus hard"
	}
	files := []file{
		{markerName, []byte(marker + "\n")},
		{"config/site.toml", []byte(siteTOML)},
		{"config/access.toml", []byte(accessTOML())},
		{"content/_index.md", []byte(homePage(w))},
	}
	for _, sec := range s.sections {
		if sec.hasIndex {
			files = append(files, file{"content/" + sec.dir + "/_index.md", []byte(sectionPage(w, sec))})
		}
	}
	for _, p := range s.pages {
		files = append(files, file{"content/" + p.file(), []byte(s.pageFile(w, p))})
		if p.image {
			png, err := diagram(w)
			if err != nil {
				return nil, err
			}
			files = append(files, file{"content/" + p.sec.dir + "/" + p.name + "/diagram.png", png})
		}
	}
	if hard {
		more, err := s.attachmentFiles(w)
		if err != nil {
			return nil, err
		}
		files = append(files, more...)
	}
	return files, nil
}

// prepare makes dir ready: created when missing, kept when empty, emptied
// when it holds the marker, refused otherwise.
func prepare(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	fi, err := os.Lstat(filepath.Join(dir, markerName))
	if err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("output folder %s is not empty and has no %s file: refusing to overwrite it", dir, markerName)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("emptying output folder: %w", err)
		}
	}
	return nil
}

// write writes the files under dir and returns their total size.
func write(dir string, files []file) (int64, error) {
	made := map[string]bool{}
	var size int64
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.path))
		if d := filepath.Dir(p); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return size, fmt.Errorf("writing corpus: %w", err)
			}
			made[d] = true
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return size, fmt.Errorf("writing corpus: %w", err)
		}
		size += int64(len(f.data))
	}
	return size, nil
}
