package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKilledRunLeavesNothing kills vtablegen (SIGKILL, nothing to catch)
// while the build's preprocessor runs, a driver that has started a child
// of its own as gcc starts cc1, and checks that both die and that the
// preprocessor's temporary output file is gone. The waits are bounds for
// something that must happen, not timings: a busy machine only makes the
// test slower.
func TestKilledRunLeavesNothing(t *testing.T) {
	vg := tool(t)
	dir := copyExample(t)
	tmp := filepath.Join(dir, "tmp")
	os.Mkdir(tmp, 0o777)
	pidfile := filepath.Join(dir, "cc1.pid")
	driver := filepath.Join(dir, "driver")
	// The "cc1" writes to the output file gcc names with -o, then hangs.
	script := "#!/bin/sh\nfor a; do case $prev in -o) out=$a;; esac; prev=$a; done\n" +
		"(echo partial > \"$out\"; exec sleep 300) &\necho $! > " + pidfile + ".new\nmv " + pidfile + ".new " + pidfile + "\nwait\n"
	if err := os.WriteFile(driver, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(vg, "structs", "-cpp", driver, "device.h")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if b, err := os.ReadFile(pidfile); err == nil {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the preprocessor never started its child")
		}
	}
	if names, _ := filepath.Glob(filepath.Join(tmp, "vtablegen-cpp-*")); len(names) != 1 {
		t.Errorf("want the preprocessor's output file while it runs, have %v", names)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	for deadline := time.Now().Add(60 * time.Second); alive(pid); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the preprocessor's child (pid %d) outlived vtablegen", pid)
		}
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		names, _ := filepath.Glob(filepath.Join(tmp, "*"))
		if len(names) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("left behind: %v", names)
		}
	}
}

// alive reports whether process pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return syscall.Kill(pid, 0) == nil
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}
