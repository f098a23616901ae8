// Command soak holds `facet gateway` under mixed load for a bounded time,
// on loopback only, and checks that every answer is right and that the
// gateway's resident memory stays flat.
//
//	go run ./bench/soak -facet BIN -work DIR [-d 5m] [-warmup D] [-clients N] [-max-growth MiB] [-max-rss MiB]
//
// It writes a small site (public pages, pages of group eng, pages of the
// guest's group partners, an 8 MiB file), starts an in-process OpenID
// provider (internal/idptest) with a member and a guest, builds the site
// with `facet build`, starts the `facet gateway` binary BIN as a separate
// process (so that its resident memory is its own) and signs both people
// in through the real code flow. Then, concurrently until the duration
// ends: anonymous, member and guest clients each loop over whoami, ten
// page requests and whoami again; clients ask for unique 450-byte missing
// paths; slow readers fetch the 8 MiB file at 256 KiB/s, and stalled
// readers read 64 KiB of it and then nothing; at a third and at two thirds
// of the run the site is rewritten with a new revision (every page says
// its revision; one page is added) and rebuilt, and the gateway swaps the
// new build in while serving.
//
// A request fails on an unexpected status, a body that is not the page
// asked for, a page hidden from the identity, a revision older than one
// the client saw before, or whoami taking the client for another kind. A
// page answered between two whoami answers of the same generation must be
// of that generation's revision, else it is a mixed-generation response.
// The gateway's VmRSS and open files are sampled every 2 s (and written to
// DIR/rss.tsv). Memory is flat when the last sample is within -max-growth
// of the first after the warm-up (memory that grows and stays is a leak)
// and no sample after the warm-up exceeds -max-rss (for a minute after a
// swap the gateway holds two generations, each with its own bounded
// caches, and the binary collects garbage at GOGC=400, so peaks are
// expected, but bounded). It prints a report and exits 1 on any failure, a
// mixed-generation response or memory that is not flat.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench/soak:", err)
		os.Exit(1)
	}
}

// settings are the soak's flags.
type settings struct {
	facet, work      string
	duration, warmup time.Duration
	maxGrowth        int64 // bytes
	maxRSS           int64 // bytes
	clients          int   // per kind of person
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench/soak", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var s settings
	fs.StringVar(&s.facet, "facet", "", "the facet `binary` to build with and run as the gateway")
	fs.StringVar(&s.work, "work", "", "an empty or missing `folder` for the site, output and logs")
	fs.DurationVar(&s.duration, "d", 5*time.Minute, "how long the load runs")
	fs.DurationVar(&s.warmup, "warmup", 0, "memory samples before this are the warm-up (default a fifth of -d)")
	growth := fs.Int64("max-growth", 32, "the most resident memory may grow from the warm-up's end to the run's, in `MiB`")
	ceiling := fs.Int64("max-rss", 256, "the most resident memory may reach after the warm-up, in `MiB`")
	fs.IntVar(&s.clients, "clients", 2, "concurrent `clients` of each kind")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if s.facet == "" || s.work == "" {
		fs.Usage()
		return errors.New("-facet and -work are required")
	}
	if s.duration < 3*time.Second || s.clients < 1 || *growth < 1 || *ceiling < 1 {
		return errors.New("-d must be at least 3s, -clients, -max-growth and -max-rss at least 1")
	}
	if s.warmup == 0 {
		s.warmup = s.duration / 5
	}
	s.maxGrowth, s.maxRSS = *growth<<20, *ceiling<<20
	if entries, err := os.ReadDir(s.work); err == nil && len(entries) > 0 {
		return fmt.Errorf("-work %s is not empty", s.work)
	}
	r, err := soak(context.Background(), s, stderr)
	if err != nil {
		return err
	}
	r.print(stdout, s)
	if !r.passed() {
		return errors.New("soak failed")
	}
	return nil
}
