package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// passed reports a soak with no failed request, no mixed generation, every
// rebuild served, a healthy gateway at the end and flat memory.
func (r *result) passed() bool {
	ok := r.mixed == 0 && r.healthy && r.memErr == nil && r.mem.flat() && len(r.rebuilds) == 2
	for _, k := range kinds {
		ok = ok && r.t.failed[k].Load() == 0
	}
	for _, rb := range r.rebuilds {
		ok = ok && rb.err == nil
	}
	return ok
}

// print writes the report.
func (r *result) print(w io.Writer, s settings) {
	fmt.Fprintf(w, "soak of facet gateway: %s of mixed load on loopback, %d clients of each kind\n\n", r.elapsed.Round(time.Second), s.clients)
	fmt.Fprintf(w, "%-14s %10s %8s\n", "requests", "count", "failed")
	var total, failed int64
	for _, k := range kinds {
		n, f := r.t.requests[k].Load(), r.t.failed[k].Load()
		total, failed = total+n, failed+f
		fmt.Fprintf(w, "%-14s %10d %8d\n", k, n, f)
	}
	fmt.Fprintf(w, "%-14s %10d %8d\n", "all", total, failed)
	fmt.Fprintf(w, "stalled readers (150 s without reading) cut off by the gateway's write deadline: %d of %d\n",
		r.t.stallCut.Load(), r.t.stallHeld.Load())
	fmt.Fprintf(w, "page responses between two whoami answers: %d, of another generation's content: %d\n\n", r.bracketed, r.mixed)
	fmt.Fprintf(w, "generation %s: revision 0 (before the load)\n", r.gen0)
	for _, rb := range r.rebuilds {
		if rb.err != nil {
			fmt.Fprintf(w, "rebuild of revision %d at %s: %v\n", rb.rev, rb.at.Round(time.Second), rb.err)
			continue
		}
		fmt.Fprintf(w, "generation %s: revision %d, rebuilt at %s in %s, served %s after the build ended\n",
			rb.gen, rb.rev, rb.at.Round(time.Second), rb.took.Round(10*time.Millisecond), rb.servedWait.Round(time.Millisecond))
	}
	fmt.Fprintln(w)
	if r.memErr != nil {
		fmt.Fprintf(w, "memory: %v\n", r.memErr)
	} else {
		m := r.mem
		fmt.Fprintf(w, "gateway VmRSS (MiB): after warm-up %s, middle %s, end %s, max after warm-up %s; open files at most %d\n",
			mib(m.warm), mib(m.middle), mib(m.end), mib(m.max), m.maxFiles)
		fmt.Fprintf(w, "from the warm-up's end (%s) to the run's, memory grew %.1f MiB (bound %d MiB); its peak was %.1f MiB (bound %d MiB): %s\n",
			s.warmup, float64(m.end.rss-m.warm.rss)/(1<<20), s.maxGrowth>>20, float64(m.max.rss)/(1<<20), s.maxRSS>>20,
			map[bool]string{true: "flat", false: "NOT FLAT"}[m.flat()])
		fmt.Fprintf(w, "VmRSS every 30 s (MiB):%s\n", timeline(r.samples, 30*time.Second))
	}
	if !r.healthy {
		fmt.Fprintln(w, "the gateway did not answer healthz after the load")
	}
	if len(r.t.samples) > 0 {
		fmt.Fprintln(w, "\nfirst failures:")
		for _, m := range r.t.samples {
			fmt.Fprintln(w, "  "+m)
		}
	}
	fmt.Fprintln(w)
	if r.passed() {
		fmt.Fprintln(w, "PASS")
	} else {
		fmt.Fprintln(w, "FAIL")
	}
}

// timeline is the first sample of each period, as " 0s 45.1, 30s 60.2, ...".
func timeline(samples []sample, period time.Duration) string {
	var b strings.Builder
	next := time.Duration(0)
	for _, s := range samples {
		if s.at >= next {
			fmt.Fprintf(&b, " %s %.0f", (s.at / time.Second * time.Second).String(), float64(s.rss)/(1<<20))
			next = (s.at/period + 1) * period
		}
	}
	return b.String()
}

func mib(s sample) string {
	return fmt.Sprintf("%.1f (at %s)", float64(s.rss)/(1<<20), s.at.Round(time.Second))
}
