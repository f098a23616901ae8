// Command search measures facet's full-text search on a built site: the
// size of each build's search index, and, in headless Chromium, the bytes
// a query fetches and the time it takes to rank once its shards are there.
//
//	go run ./bench/search -out public [-runs 5] [-queries "alpha beta;gamma delta"]
//
// Without -queries it picks two-word queries from the largest build's
// index: its two most common words (the worst case: the longest
// postings), two words of median frequency, and a rare word with a common
// one. Each query runs in a fresh tab (a resource's size counts whether or
// not it came from the cache); the query
// is set in the search box at once (the last word read as a prefix, as
// when typed). It reports the bytes of the _facet/search/ files fetched
// (index, shards and the fragments of the results shown) and the median
// of window.FACET_SEARCH_STATS.rankMs, the time from the last shard's
// arrival to ranked results.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "search:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fl := flag.NewFlagSet("search", flag.ContinueOnError)
	out := fl.String("out", "public", "facet's output folder")
	runs := fl.Int("runs", 5, "runs per query")
	queries := fl.String("queries", "", "queries separated by ';' (default: picked from the index)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	builds, err := sizes(*out)
	if err != nil {
		return err
	}
	if len(builds) == 0 {
		return fmt.Errorf("no build with a search index under %s", *out)
	}
	fmt.Println("build\tpages\tindex+shards\tfragments\tfiles")
	var idx, frag int64
	for _, b := range builds {
		fmt.Printf("%s\t%d\t%s\t%s\t%d\n", b.name, b.pages, kb(b.index), kb(b.frag), b.files)
		idx += b.index
		frag += b.frag
	}
	fmt.Printf("all %d builds\t\t%s\t%s\n", len(builds), kb(idx), kb(frag))
	big := builds[0]
	for _, b := range builds {
		if b.pages > big.pages {
			big = b
		}
	}
	qs := strings.Split(*queries, ";")
	if *queries == "" {
		if qs, err = pick(big.dir); err != nil {
			return err
		}
	}
	return measure(big, qs, *runs)
}

// build is one build's search index on disk.
type build struct {
	name, dir    string
	pages, files int
	index, frag  int64
}

func sizes(out string) ([]build, error) {
	entries, err := os.ReadDir(out)
	if err != nil {
		return nil, err
	}
	var bs []build
	for _, e := range entries {
		dir := filepath.Join(out, e.Name())
		sd := filepath.Join(dir, "_facet", "search")
		if _, err := os.Stat(filepath.Join(sd, "index.js")); err != nil {
			continue
		}
		b := build{name: e.Name(), dir: dir}
		err := filepath.WalkDir(sd, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			st, err := d.Info()
			if err != nil {
				return err
			}
			b.files++
			if strings.Contains(filepath.ToSlash(p), "/f/") {
				b.frag += st.Size()
				b.pages++
			} else {
				b.index += st.Size()
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		bs = append(bs, b)
	}
	return bs, nil
}

func kb(n int64) string { return fmt.Sprintf("%.1f KB", float64(n)/1000) }

// pick chooses queries by how many pages hold their words.
func pick(dir string) ([]string, error) {
	df := map[string]int{}
	shards, _ := filepath.Glob(filepath.Join(dir, "_facet", "search", "w", "*.js"))
	for _, s := range shards {
		data, err := os.ReadFile(s)
		if err != nil {
			return nil, err
		}
		data = bytes.TrimSuffix(bytes.TrimPrefix(data, []byte("facetSearch(")), []byte(");\n"))
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", s, err)
		}
		for t, p := range m {
			n := 0
			for _, c := range p {
				if strings.ContainsRune("!#$%'()*+,-.:", c) {
					n++
				}
			}
			if len(t) >= 3 {
				df[t] = n / 2
			}
		}
	}
	terms := make([]string, 0, len(df))
	for t := range df {
		terms = append(terms, t)
	}
	sort.Slice(terms, func(i, j int) bool {
		return df[terms[i]] > df[terms[j]] || df[terms[i]] == df[terms[j]] && terms[i] < terms[j]
	})
	if len(terms) < 4 {
		return nil, errors.New("too few words in the index to pick queries")
	}
	mid := len(terms) / 2
	rare := terms[len(terms)*9/10]
	return []string{terms[0] + " " + terms[1], terms[mid] + " " + terms[mid+1], rare + " " + terms[0]}, nil
}

func measure(b build, qs []string, runs int) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(b.dir))}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String() + "/"
	chrome := ""
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		return errors.New("no chromium on PATH")
	}
	tmp, err := os.MkdirTemp("", "facet-search-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.Headless,
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(tmp))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	fmt.Printf("\nqueries on build %s (%d pages), %d runs each, over HTTP:\n", b.name, b.pages, runs)
	fmt.Println("query\tresults\tshards\tfetched (index+shards+fragments)\trank ms (median)\tload ms (median)")
	for _, q := range qs {
		var rank, load []float64
		var fetched int64
		var results, nshards int
		for range runs {
			st, err := once(actx, base, q)
			if err != nil {
				return fmt.Errorf("query %q: %w", q, err)
			}
			rank, load = append(rank, st.RankMs), append(load, st.LoadMs)
			fetched, results, nshards = st.Bytes, st.Results, st.Shards
		}
		fmt.Printf("%q\t%d\t%d\t%s\t%.2f\t%.1f\n", q, results, nshards, kb(fetched), median(rank), median(load))
	}
	return nil
}

// stats is what one query measured.
type stats struct {
	RankMs, LoadMs  float64
	Results, Shards int
	Bytes           int64
}

func once(actx context.Context, base, q string) (stats, error) {
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()
	qj, _ := json.Marshal(q)
	err := chromedp.Do(ctx, chromedp.Navigate(base+"index.html"), chromedp.WaitVisible(`#fc-q`))
	if err != nil {
		return stats{}, err
	}
	js := `(() => { const i = document.getElementById('fc-q'); i.value = ` + string(qj) + `; i.dispatchEvent(new Event('input')); return true })()`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil {
		return stats{}, err
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`#fc-results li`)); err != nil {
		return stats{}, err
	}
	// the fragments of the results shown arrive last
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!window.FACET_SEARCH_STATS && document.querySelector('#fc-results li a, #fc-results .fc-empty') !== null`)); err != nil {
		return stats{}, err
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[stats](`(() => {
		const s = window.FACET_SEARCH_STATS;
		let bytes = 0;
		for (const e of performance.getEntriesByType('resource')) if (e.name.includes('/_facet/search/')) bytes += e.encodedBodySize;
		return {RankMs: s.rankMs, LoadMs: s.loadMs, Results: s.results, Shards: s.shards, Bytes: bytes};
	})()`))
	return st, err
}

func median(v []float64) float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}
