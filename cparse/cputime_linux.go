package cparse

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// clockTicks is the unit of /proc's CPU times (sysconf(_SC_CLK_TCK), 100
// on Linux everywhere).
const clockTicks = 100

// threadCPUClock returns a clock of the CPU time (user and system) of the
// calling thread, which the caller has locked (runtime.LockOSThread);
// other goroutines may read it. It falls back to the process's.
func threadCPUClock() func() time.Duration {
	clock, ok := statClock(fmt.Sprintf("/proc/self/task/%d/stat", syscall.Gettid()))
	if !ok {
		return cpuTime
	}
	return clock
}

// statClock is the clock of the CPU time a /proc stat file says. Once the
// file is gone (the thread ended, its run with it), the clock keeps its
// last reading: never the process's CPU time, a clock of another origin,
// which made a run that had ended look past its bound in a process that
// had used more CPU than the bound (the kernel header sweep: dozens of
// false loops).
func statClock(path string) (func() time.Duration, bool) {
	last, err := threadCPU(path)
	if err != nil {
		return nil, false
	}
	var mu sync.Mutex
	return func() time.Duration {
		mu.Lock()
		defer mu.Unlock()
		if d, err := threadCPU(path); err == nil {
			last = d
		}
		return last
	}, true
}

// threadCPU reads utime and stime of a /proc stat file.
func threadCPU(path string) (time.Duration, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	// The fields after the command name, which is in parentheses and
	// may hold blanks: state is the first, utime the 12th, stime the 13th.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("bad stat")
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("bad stat")
	}
	u, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	s, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bad stat")
	}
	return time.Duration(u+s) * time.Second / clockTicks, nil
}
