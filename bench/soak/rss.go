package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// sample is the gateway process's resident memory and open files at at
// (time since the load began).
type sample struct {
	at    time.Duration
	rss   int64 // bytes
	files int
}

// sampler reads /proc/PID every interval.
type sampler struct {
	pid     int
	mu      sync.Mutex
	samples []sample
}

// run samples until ctx ends.
func (s *sampler) run(ctx context.Context, start time.Time, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if rss, err := readRSS(s.pid); err == nil {
			files, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", s.pid))
			s.mu.Lock()
			s.samples = append(s.samples, sample{at: time.Since(start), rss: rss, files: len(files)})
			s.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// all returns the samples so far.
func (s *sampler) all() []sample {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sample(nil), s.samples...)
}

// readRSS reads VmRSS of process pid in bytes.
func readRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS for process %d", pid)
}

// memoryVerdict summarizes the samples: resident memory when the warm-up
// ended, in the middle and at the end of the run, and the largest after
// the warm-up. Memory is flat when the end is within growth of the
// warm-up's figure (no growth that stays: a leak) and no sample after the
// warm-up exceeds ceiling (the peaks while two generations are held after
// a swap stay bounded).
type memoryVerdict struct {
	warm, middle, end, max sample
	maxFiles               int
	grew, capped           bool
}

// flat reports memory that neither grew nor peaked past its bounds.
func (v memoryVerdict) flat() bool { return !v.grew && !v.capped }

func judgeMemory(samples []sample, warmup time.Duration, growth, ceiling int64) (memoryVerdict, error) {
	var v memoryVerdict
	var after []sample
	for _, s := range samples {
		if s.at >= warmup {
			after = append(after, s)
		}
		v.maxFiles = max(v.maxFiles, s.files)
	}
	if len(after) < 3 {
		return v, fmt.Errorf("%d memory samples after the warm-up; run longer", len(after))
	}
	v.warm, v.middle, v.end = after[0], after[len(after)/2], after[len(after)-1]
	v.max = v.warm
	for _, s := range after {
		if s.rss > v.max.rss {
			v.max = s
		}
	}
	v.grew = v.end.rss-v.warm.rss > growth
	v.capped = v.max.rss > ceiling
	return v, nil
}

// writeSamples writes the samples as tab-separated seconds, MiB and open
// files.
func writeSamples(file string, samples []sample) error {
	var b strings.Builder
	b.WriteString("seconds\trss_mib\topen_files\n")
	for _, s := range samples {
		fmt.Fprintf(&b, "%.0f\t%.1f\t%d\n", s.at.Seconds(), float64(s.rss)/(1<<20), s.files)
	}
	return os.WriteFile(file, []byte(b.String()), 0o644)
}
