package cparse

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStatClockKeepsLastReading: the clock of cc/v4's thread reads the
// thread's /proc stat file; once the file is gone (the thread ended) it
// keeps its last reading instead of turning into the process's CPU time.
func TestStatClockKeepsLastReading(t *testing.T) {
	stat := filepath.Join(t.TempDir(), "stat")
	// pid (comm with blanks) state ppid ... utime=250 stime=50 (ticks)
	line := "4242 (cc v4 (thread)) R 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 1 0\n"
	if err := os.WriteFile(stat, []byte(line), 0o666); err != nil {
		t.Fatal(err)
	}
	clock, ok := statClock(stat)
	if !ok {
		t.Fatal("statClock refused a stat file")
	}
	if got := clock(); got != 3*time.Second {
		t.Fatalf("clock %v, want 3s (300 ticks)", got)
	}
	os.Remove(stat)
	if got := clock(); got != 3*time.Second {
		t.Errorf("after the thread ended: %v, want the last reading, 3s", got)
	}
	if _, ok := statClock(stat); ok {
		t.Error("statClock took a missing file")
	}
}
