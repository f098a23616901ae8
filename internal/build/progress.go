package build

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// progress shows one line on a terminal, once a build has run a second.
type progress struct {
	w     io.Writer
	start time.Time
	mu    sync.Mutex
	name  string
	total int
	done  *atomic.Int64
	quit  chan struct{}
	shown bool
}

func newProgress(w io.Writer, start time.Time) *progress {
	p := &progress{w: w, start: start, quit: make(chan struct{})}
	if w != nil {
		go p.loop()
	}
	return p
}

// phase starts a phase of total steps counted by done.
func (p *progress) phase(name string, total int, done *atomic.Int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.name, p.total, p.done = name, total, done
	p.mu.Unlock()
}

func (p *progress) loop() {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			return
		case <-t.C:
			if time.Since(p.start) < time.Second {
				continue
			}
			p.mu.Lock()
			if p.done != nil {
				fmt.Fprintf(p.w, "\r\033[K%s %d/%d (%.1fs)", p.name, p.done.Load(), p.total, time.Since(p.start).Seconds())
				p.shown = true
			}
			p.mu.Unlock()
		}
	}
}

// stop ends the display and clears its line.
func (p *progress) stop() {
	if p.w == nil {
		return
	}
	close(p.quit)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
