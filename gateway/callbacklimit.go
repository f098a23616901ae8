package gateway

import (
	"net/netip"
	"sync"
	"time"
)

// Failed sign-in callbacks are limited per client address: anyone can
// mint sign-in flows at /auth/login, and each forged callback would send
// facet's client credentials to the provider's token endpoint. Past
// maxCallbackFailures failures within callbackWindow, the address's
// callbacks are answered 429 without asking the provider until the window
// ends.
const (
	maxCallbackFailures = 10
	callbackWindow      = time.Minute
	// failureTableBytes bounds the accounted memory of the addresses
	// counted; when full, windows that have ended are forgotten, then all.
	failureTableBytes = 1 << 20
	// failureEntryCost is the accounted memory of one address besides its
	// key.
	failureEntryCost = 96
)

// failureLimiter counts failed callbacks per client address in fixed
// windows: those that failed once the token endpoint was asked (a
// callback refused before costs the provider nothing, and a page
// elsewhere could send its visitors' browsers to fail one).
type failureLimiter struct {
	mu    sync.Mutex
	m     map[string]*failWindow
	bytes int64
}

// failWindow is one address's failures since start (Unix seconds).
type failWindow struct {
	start int64
	n     int
}

// limitKey is the address a limit applies to: an IPv4 address, or the /64
// of an IPv6 one (one subscriber's usual allocation).
func limitKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// blocked reports whether key has used up its failures in the window
// running at now.
func (l *failureLimiter) blocked(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.m[key]
	return w != nil && now.Unix()-w.start < int64(callbackWindow/time.Second) && w.n >= maxCallbackFailures
}

// fail counts one failure of key at now.
func (l *failureLimiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	window := int64(callbackWindow / time.Second)
	if w := l.m[key]; w != nil {
		if now.Unix()-w.start >= window {
			w.start, w.n = now.Unix(), 0
		}
		w.n++
		return
	}
	cost := int64(len(key)) + failureEntryCost
	if l.bytes+cost > failureTableBytes {
		for k, w := range l.m {
			if now.Unix()-w.start >= window {
				delete(l.m, k)
				l.bytes -= int64(len(k)) + failureEntryCost
			}
		}
	}
	if l.m == nil || l.bytes+cost > failureTableBytes {
		l.m, l.bytes = make(map[string]*failWindow, 64), 0
	}
	l.m[key] = &failWindow{start: now.Unix(), n: 1}
	l.bytes += cost
}
