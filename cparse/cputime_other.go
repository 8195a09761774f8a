//go:build !unix

package cparse

import "time"

var processStart = time.Now()

// cpuTime: where the process's CPU time is not available, wall time since
// the start stands for it.
func cpuTime() time.Duration { return time.Since(processStart) }
