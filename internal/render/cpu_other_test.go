//go:build !unix

package render

import "time"

// cpuTime is not measured on this system: cpu-ns/page then reads 0.
func cpuTime() time.Duration { return 0 }
