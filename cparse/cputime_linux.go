package cparse

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
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
	tid := syscall.Gettid()
	path := fmt.Sprintf("/proc/self/task/%d/stat", tid)
	if _, err := threadCPU(path); err != nil {
		return cpuTime
	}
	return func() time.Duration {
		d, err := threadCPU(path)
		if err != nil {
			return cpuTime()
		}
		return d
	}
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
