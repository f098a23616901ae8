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
// the warm-up. flat is false when any sample after the warm-up exceeds
// the warm-up's figure by more than bound.
type memoryVerdict struct {
	warm, middle, end, max sample
	maxFiles               int
	flat                   bool
}

func judgeMemory(samples []sample, warmup time.Duration, boundBytes int64) (memoryVerdict, error) {
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
	v.flat = v.max.rss-v.warm.rss <= boundBytes
	return v, nil
}
