package watch

import (
	"slices"
	"time"
)

// batch gathers events from in and sends them on out as sorted unique
// paths, delay after the first event of each batch. Events that arrive
// while out is full join the next batch, so a slow reader gets fewer,
// larger batches and never loses a path. after is time.After, a hook for
// tests. batch returns, closing out, when in is closed.
func batch(in <-chan event, out chan<- []string, delay time.Duration, after func(time.Duration) <-chan time.Time) {
	defer close(out)
	pending := map[string]bool{}
	var timer <-chan time.Time // nil while no batch is gathering
	var ready []string         // a batch waiting for the reader
	var sendTo chan<- []string // out while ready is set, else nil
	for {
		select {
		case ev, ok := <-in:
			if !ok {
				return
			}
			if len(pending) == 0 && timer == nil {
				timer = after(delay)
			}
			pending[ev.path] = true
		case <-timer:
			timer = nil
			if len(pending) == 0 {
				continue
			}
			for p := range pending {
				ready = append(ready, p)
			}
			clear(pending)
			slices.Sort(ready)
			ready = slices.Compact(ready)
			sendTo = out
		case sendTo <- ready:
			ready, sendTo = nil, nil
		}
	}
}
