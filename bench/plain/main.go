// Command plain is the baseline facet's generator is measured against: a
// plain goldmark conversion-and-write of a site's pages, written the way a
// user of goldmark would write it, on all cores.
//
//	go run ./bench/plain -site DIR -out DIR2 [-workers N]
//
// It reads every .md under DIR/content, skips the +++ frontmatter (taking
// only the title from it), converts the body with goldmark set up as facet
// sets it up (GFM, footnotes, automatic heading ids, chroma highlighting
// with CSS classes), wraps it in a minimal HTML page at the URL path
// CONTRACT.md gives the page (DIR2/a/b/index.html for content/a/b.md) and
// copies every other file as it is. The pages are converted by -workers
// goroutines (default GOMAXPROCS, as facet build uses; 1 is one
// sequential loop), each with its own goldmark. It prints the counts and
// the wall time.
//
// It knows nothing of access rules, audiences, links, themes or
// navigation: it is the floor, the cost of markdown to HTML on disk.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "plain:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("plain", flag.ContinueOnError)
	flags.SetOutput(stderr)
	site := flags.String("site", ".", "site folder holding content/")
	out := flags.String("out", "", "folder to write the pages into (required)")
	workers := flags.Int("workers", runtime.GOMAXPROCS(0), "goroutines converting pages (1: one sequential loop)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", flags.Arg(0))
	}
	if *out == "" {
		return errors.New("-out DIR is required")
	}
	if *workers < 1 {
		return errors.New("-workers must be at least 1")
	}
	start := time.Now()
	pages, others, err := convertSite(*site, *out, *workers)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "plain: %d pages, %d other files in %.3fs\n", pages, others, time.Since(start).Seconds())
	return nil
}

// newMarkdown is goldmark configured as facet configures it.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			highlighting.NewHighlighting(highlighting.WithFormatOptions(chromahtml.WithClasses(true))),
		),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
}

// convertSite converts and copies everything under site/content into out,
// with workers goroutines.
func convertSite(site, out string, workers int) (pages, others int, err error) {
	root := filepath.Join(site, "content")
	var mdFiles []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !strings.HasSuffix(rel, ".md") {
			others++
			return copyFile(p, filepath.Join(out, filepath.FromSlash(rel)))
		}
		mdFiles = append(mdFiles, rel)
		return nil
	})
	if err != nil {
		return 0, others, err
	}
	jobs := make(chan string)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			md := newMarkdown()
			var buf bytes.Buffer
			for rel := range jobs {
				if errs[w] == nil {
					errs[w] = convertPage(md, &buf, root, out, rel)
				}
			}
		}()
	}
	for _, rel := range mdFiles {
		jobs <- rel
	}
	close(jobs)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return 0, others, err
		}
	}
	return len(mdFiles), others, nil
}

// convertPage converts content/rel into its page file under out.
func convertPage(md goldmark.Markdown, buf *bytes.Buffer, root, out, rel string) error {
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return err
	}
	title, body, err := splitFrontmatter(src)
	if err != nil {
		return fmt.Errorf("content/%s:%w", rel, err)
	}
	buf.Reset()
	fmt.Fprintf(buf, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n</head>\n<body>\n<main>\n", html.EscapeString(title))
	if err := md.Convert(body, buf); err != nil {
		return fmt.Errorf("content/%s: %w", rel, err)
	}
	buf.WriteString("</main>\n</body>\n</html>\n")
	return writeFile(filepath.Join(out, filepath.FromSlash(outPath(rel))), buf.Bytes())
}

// outPath is the page's file in the output, by CONTRACT.md's URL rules:
// _index.md and a bundle's index.md give their folder's index.html, a.md
// gives a/index.html.
func outPath(rel string) string {
	dir, base := filepath.Split(rel)
	switch base {
	case "_index.md", "index.md":
		return dir + "index.html"
	}
	return strings.TrimSuffix(rel, ".md") + "/index.html"
}

// splitFrontmatter returns the title from a leading +++ block and the body
// after it. A file without frontmatter is all body. An error starts with
// the line number, for "file:line: message".
func splitFrontmatter(src []byte) (title string, body []byte, err error) {
	if !bytes.HasPrefix(src, []byte("+++\n")) && !bytes.HasPrefix(src, []byte("+++\r\n")) {
		return "", src, nil
	}
	rest := src[bytes.IndexByte(src, '\n')+1:]
	for off := 0; off < len(rest); {
		end := bytes.IndexByte(rest[off:], '\n')
		line := rest[off:]
		next := len(rest)
		if end >= 0 {
			line, next = rest[off:off+end], off+end+1
		}
		line = bytes.TrimRight(line, "\r")
		if string(line) == "+++" {
			return title, rest[next:], nil
		}
		if k, v, ok := strings.Cut(string(line), "="); ok && strings.TrimSpace(k) == "title" && title == "" {
			v = strings.TrimSpace(v)
			if t, err := strconv.Unquote(v); err == nil {
				title = t
			} else {
				title = strings.Trim(v, `"'`)
			}
		}
		off = next
	}
	return "", nil, errors.New("1: frontmatter opened with +++ is never closed")
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func copyFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	outFile, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(outFile, in); err != nil {
		outFile.Close()
		return fmt.Errorf("copying %s: %w", src, err)
	}
	return outFile.Close()
}
