//go:build unix

package render

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time so far: on a loaded
// machine it measures the renderer's work better than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
