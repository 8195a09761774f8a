//go:build !linux

package cparse

import "time"

// threadCPUClock: without /proc's per-thread CPU times, the process's.
func threadCPUClock() func() time.Duration { return cpuTime }
