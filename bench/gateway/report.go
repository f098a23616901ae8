package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// wrkRun is what one wrk run measured.
type wrkRun struct {
	server    string
	rps       float64       // Requests/sec
	p99       time.Duration // 99% of the latency distribution
	requests  int64
	readBytes float64 // bytes read, as wrk rounds them
	errors    int64   // socket errors of every kind
	non2xx    int64   // Non-2xx or 3xx responses
	// cpu is the server's CPU time over the run divided by the requests
	// it served (from the .cpu file beside the wrk output); 0 when unknown.
	cpu time.Duration
}

var (
	reRPS      = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	reP99      = regexp.MustCompile(`(?m)^\s+99(?:\.0+)?%\s+([0-9.]+)(us|ms|s|m)\s*$`)
	reTotal    = regexp.MustCompile(`(?m)^\s+(\d+) requests in [0-9.]+\w+, ([0-9.]+)(B|KB|MB|GB|TB) read`)
	reSocket   = regexp.MustCompile(`(?m)^\s+Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	reNon2xx   = regexp.MustCompile(`(?m)^\s+Non-2xx or 3xx responses: (\d+)`)
	latencyFor = map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second, "m": time.Minute}
	bytesFor   = map[string]float64{"B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40}
)

// parseWrk reads the output of `wrk --latency`.
func parseWrk(server string, out string) (wrkRun, error) {
	r := wrkRun{server: server}
	m := reRPS.FindStringSubmatch(out)
	if m == nil {
		return r, errors.New("no Requests/sec line")
	}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	if m = reP99.FindStringSubmatch(out); m == nil {
		return r, errors.New("no 99% latency line (run wrk with --latency)")
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	r.p99 = time.Duration(v * float64(latencyFor[m[2]]))
	if m = reTotal.FindStringSubmatch(out); m == nil {
		return r, errors.New("no 'requests in' line")
	}
	r.requests, _ = strconv.ParseInt(m[1], 10, 64)
	v, _ = strconv.ParseFloat(m[2], 64)
	r.readBytes = v * bytesFor[m[3]]
	if m = reSocket.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.ParseInt(s, 10, 64)
			r.errors += n
		}
	}
	if m = reNon2xx.FindStringSubmatch(out); m != nil {
		r.non2xx, _ = strconv.ParseInt(m[1], 10, 64)
	}
	return r, nil
}

// check refuses a run that did not serve the page: error responses, or
// less read per request than the page itself (a redirect to sign in, say,
// which wrk counts as a success).
func (r wrkRun) check(pageBytes int64) error {
	switch {
	case r.requests == 0:
		return errors.New("no requests completed")
	case r.non2xx > 0:
		return fmt.Errorf("%d non-2xx/3xx responses", r.non2xx)
	case pageBytes > 0 && r.readBytes/float64(r.requests) < float64(pageBytes):
		return fmt.Errorf("%.0f bytes read per request, less than the %d-byte page", r.readBytes/float64(r.requests), pageBytes)
	}
	return nil
}

// serverOrder is the order of the table.
var serverOrder = []string{"gateway", "plain", "nginx", "memory", "replay"}

// report reads wrk outputs named SERVER-RUN.txt and prints the summary.
func report(files []string, pageBytes int64, w io.Writer) error {
	runs := map[string][]wrkRun{}
	rounds := map[string]map[string]float64{}    // run -> server -> requests/s
	cpuRounds := map[string]map[string]float64{} // run -> server -> requests per CPU second
	for _, f := range files {
		server, round, ok := strings.Cut(strings.TrimSuffix(filepath.Base(f), ".txt"), "-")
		if !ok || !slices.Contains(serverOrder, server) {
			return fmt.Errorf("%s: want a name SERVER-RUN.txt with SERVER one of %v", f, serverOrder)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		r, err := parseWrk(server, string(b))
		if err == nil {
			err = r.check(pageBytes)
		}
		if err == nil {
			r.cpu, err = readCPU(strings.TrimSuffix(f, ".txt")+".cpu", r.requests)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		runs[server] = append(runs[server], r)
		if rounds[round] == nil {
			rounds[round] = map[string]float64{}
			cpuRounds[round] = map[string]float64{}
		}
		rounds[round][server] = r.rps
		if r.cpu > 0 {
			// requests per CPU second: a ratio of these reads like one
			// of requests/s, higher is better.
			cpuRounds[round][server] = float64(time.Second) / float64(r.cpu)
		}
	}
	return writeSummary(w, summarize(runs), roundRatios(rounds), roundRatios(cpuRounds))
}

// readCPU reads the "TICKS CLK_TCK" file bench/gateway.sh writes beside a
// wrk output and returns the server's CPU time per request; 0 with no
// error when there is no such file.
func readCPU(file string, requests int64) (time.Duration, error) {
	b, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var ticks, hz int64
	if _, err := fmt.Sscan(string(b), &ticks, &hz); err != nil || ticks < 0 || hz <= 0 {
		return 0, fmt.Errorf("%s: want \"TICKS CLK_TCK\", got %q", file, strings.TrimSpace(string(b)))
	}
	if requests <= 0 {
		return 0, nil
	}
	return time.Duration(ticks * int64(time.Second) / hz / requests), nil
}

// roundRatios is, for each other server, the median over the rounds that
// measured both of the gateway's requests/s divided by that server's in
// the same round: the rounds alternate the servers, so a ratio compares
// runs under the same load of the machine.
func roundRatios(rounds map[string]map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for _, other := range serverOrder[1:] {
		var rs []float64
		for _, r := range rounds {
			if g, o := r["gateway"], r[other]; g > 0 && o > 0 {
				rs = append(rs, g/o)
			}
		}
		if len(rs) > 0 {
			out[other] = median(rs)
		}
	}
	return out
}

// summary is the median of each server's runs.
type summary struct {
	server string
	runs   int
	rps    float64
	p99    time.Duration
	errors int64
	cpu    time.Duration // median CPU per request; 0 when unknown
}

func summarize(runs map[string][]wrkRun) []summary {
	var out []summary
	for _, s := range serverOrder {
		rs := runs[s]
		if len(rs) == 0 {
			continue
		}
		sum := summary{server: s, runs: len(rs)}
		var rps []float64
		var p99, cpu []time.Duration
		for _, r := range rs {
			rps = append(rps, r.rps)
			p99 = append(p99, r.p99)
			sum.errors += r.errors
			if r.cpu > 0 {
				cpu = append(cpu, r.cpu)
			}
		}
		sum.rps, sum.p99 = median(rps), median(p99)
		if len(cpu) > 0 {
			sum.cpu = median(cpu)
		}
		out = append(out, sum)
	}
	return out
}

// median is the middle value, or the mean of the two middle ones.
func median[T int64 | float64 | time.Duration](v []T) T {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Targets of the issue.
const (
	minVsPlain  = 1.0
	minVsMemory = 0.85
	maxP99      = 10 * time.Millisecond
)

// writeSummary prints the medians per server, the ratios of the gateway to
// each other server (medians of the per-round ratios) and the targets.
func writeSummary(w io.Writer, sums []summary, ratios, cpuRatios map[string]float64) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%-8s %4s %12s %10s %13s %14s\n", "server", "runs", "requests/s", "p99 (ms)", "socket errors", "CPU/request")
	by := map[string]summary{}
	for _, s := range sums {
		by[s.server] = s
		cpu := "-"
		if s.cpu > 0 {
			cpu = fmt.Sprintf("%.1f us", float64(s.cpu)/float64(time.Microsecond))
		}
		fmt.Fprintf(bw, "%-8s %4d %12.0f %10.2f %13d %14s\n", s.server, s.runs, s.rps, ms(s.p99), s.errors, cpu)
	}
	g, hasG := by["gateway"]
	if !hasG {
		bw.Flush()
		return errors.New("no gateway runs")
	}
	fmt.Fprintln(bw, "\nratios: median over the rounds of the gateway's requests/s to the other's in the same round")
	met := true
	target := map[string]float64{"plain": minVsPlain, "memory": minVsMemory}
	for _, other := range serverOrder[1:] {
		ratio, ok := ratios[other]
		if !ok {
			continue
		}
		if t, ok := target[other]; ok {
			met = met && ratio >= t
			fmt.Fprintf(bw, "gateway/%-7s %.2fx  (target >= %.2fx: %s)\n", other, ratio, t, verdict(ratio >= t))
		} else {
			fmt.Fprintf(bw, "gateway/%-7s %.2fx\n", other, ratio)
		}
	}
	if len(cpuRatios) > 0 {
		fmt.Fprintln(bw, "\nthe same, in requests per second of the server's own CPU (the other's CPU per request over the")
		fmt.Fprintln(bw, "gateway's; wrk and the rest of the machine's load weigh less on it; informative, no target)")
		for _, other := range serverOrder[1:] {
			if ratio, ok := cpuRatios[other]; ok {
				fmt.Fprintf(bw, "gateway/%-7s %.2fx\n", other, ratio)
			}
		}
	}
	met = met && g.p99 < maxP99
	fmt.Fprintf(bw, "gateway p99    %.2f ms (target < %d ms: %s)\n", ms(g.p99), maxP99/time.Millisecond, verdict(g.p99 < maxP99))
	if met {
		fmt.Fprintln(bw, "all targets met")
	} else {
		fmt.Fprintln(bw, "some targets missed")
	}
	return bw.Flush()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}
