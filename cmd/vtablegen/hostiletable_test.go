package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// snapshot records every file under dir (not following symlinks) with its
// size, mode and modification time, to tell what a run changed.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		out[rel] = fmt.Sprintf("%v %d %v", info.Mode(), info.Size(), info.ModTime().UnixNano())
		return nil
	})
	return out
}

// TestHostileTable runs vtablegen as a subprocess on each hostile input
// under a memory limit (ulimit -v, 2 GiB of address space) and a time
// limit (generous: only a hang reaches it), and checks the exit status,
// the message and its position, and that no file of the working
// directory changed other than the outputs the case names.
func TestHostileTable(t *testing.T) {
	testtool.Need(t, "gcc")
	bash := testtool.Need(t, "bash")
	vg := tool(t)
	dir := copyExample(t) // device.h, device.rs, gen/ of the quickstart
	paste := "#define C_(a,b) a##b\n#define C(a,b) C_(a,b)\n#define X0 ab\n"
	for i := 1; i <= 30; i++ {
		paste += fmt.Sprintf("#define X%d C(X%d,X%d)\n", i, i-1, i-1)
	}
	paste += "struct s { int (*f)(void); };\nint X30;\n"
	// ## and # doubling the length of one token, not the number of
	// tokens: few tokens of work per level, 1 GiB at the end.
	long := "#define C(a,b) a##b\n#define C2(a) C(a,a)\n#define P1 C2(P0)\n"
	str := "#define S_(a) #a\n#define S(a) S_(a)\n#define D(a) S(a a)\n#define Q0 x\n"
	for i := 2; i <= 29; i++ {
		long += fmt.Sprintf("#define P%d C2(P%d)\n", i, i-1)
	}
	for i := 1; i <= 40; i++ {
		str += fmt.Sprintf("#define Q%d D(Q%d)\n", i, i-1)
	}
	long += "struct s { int (*f)(void); int P29; };\n"
	str += "struct s { int (*f)(void); };\nchar *q = Q40;\n"
	for name, text := range map[string]string{
		"paste.h": paste,
		"long.h":  long,
		"str.h":   str,
		"self.h":  "struct s { int (*f)(void); };\n#include \"self.h\"\n",
		"incz.h":  "#include \"zero.h\"\nstruct s { int (*f)(void); };\n",
	} {
		writeArchiveFile(t, dir, archiveFile{name: name, data: []byte(text)})
	}
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.h"))
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.h"), 0o666); err != nil {
		t.Fatal(err)
	}
	writeArchiveFile(t, dir, archiveFile{name: "slowcpp", data: []byte("#!/bin/sh\nexec sleep 300\n")})
	os.Chmod(filepath.Join(dir, "slowcpp"), 0o755)
	writeArchiveFile(t, dir, archiveFile{name: "bad\nname.h", data: []byte("struct ops { int (*open)(void); };\n")})

	for _, tc := range []struct {
		name    string
		args    []string
		want    string // in stderr, after the position
		at      string // the position's file and line, e.g. "self.h:2:"
		outputs []string
		env     string // added to the environment
		// cpu and rss, when not 0, bound the CPU time and the peak
		// resident memory of vtablegen (not of its preprocessor).
		cpu time.Duration
		rss int64
	}{
		{"/dev/zero header", []string{"structs", "/dev/zero"}, "not a regular file", "/dev/zero:1:1:", nil, "", 0, 0},
		{"symlink to /dev/zero", []string{"structs", "zero.h"}, "not a regular file", "zero.h:1:1:", nil, "", 0, 0},
		{"include of /dev/zero", []string{"structs", "incz.h"}, "zero.h: not a regular file", "incz.h:1:1:", nil, "", 0, 0},
		{"FIFO header", []string{"structs", "fifo.h"}, "not a regular file", "fifo.h:1:1:", nil, "", 0, 0},
		{"FIFO unit", []string{"structs", "-preprocessed", "fifo.h"}, "not a regular file", "fifo.h:1:1:", nil, "", 0, 0},
		{"token-pasting bomb", []string{"structs", "paste.h"}, "macro expansion limit exceeded", "paste.h:35:5:", nil, "", 0, 0},
		{"one token doubled by ##", []string{"structs", "long.h"}, "## in macro C makes a token of more than 1048576 bytes", "long.h:32:32:", nil, "", 2 * time.Second, 100 << 20},
		{"one token doubled by ##, cc/v4's preprocessor", []string{"structs", "long.h"}, "## in macro C makes a token of more than 1048576 bytes", "long.h:32:32:", nil, "VTABLEGEN_OWN_CPP=off", 2 * time.Second, 100 << 20},
		{"one token doubled by ##, gcc", []string{"structs", "-cpp", "gcc", "long.h"}, "preprocessor gcc failed", "long.h:1:1:", nil, "", 2 * time.Second, 0},
		{"one token doubled by #", []string{"structs", "str.h"}, "# in macro S_ makes a token of more than 1048576 bytes", "str.h:46:11:", nil, "", 2 * time.Second, 100 << 20},
		{"one token doubled by #, cc/v4's preprocessor", []string{"structs", "str.h"}, "# in macro S_ makes a token of more than 1048576 bytes", "str.h:46:11:", nil, "VTABLEGEN_OWN_CPP=off", 2 * time.Second, 100 << 20},
		{"one token doubled by #, gcc", []string{"structs", "-cpp", "gcc", "str.h"}, "cc1: out of memory", "str.h:1:1:", nil, "", 2 * time.Second, 0},
		{"recursive include", []string{"structs", "self.h"}, "#include nested too deeply", "self.h:2:1:", nil, "", 0, 0},
		{"hanging preprocessor", []string{"structs", "-cpp", "./slowcpp", "-cpp-timeout", "1s", "device.h"}, "did not finish in 1s", "device.h:1:1:", nil, "", 0, 0},
		{"output symlink to /dev/zero", []string{"gen", "-header", "device.h", "-o", "out1", "device.rs"}, "error: not a regular file", "out1/device_ops_vtable.c:1:1:", []string{"out1"}, "", 0, 0},
		{"foreign generated file", []string{"gen", "-header", "device.h", "-o", "out2", "device.rs"}, "was not generated by vtablegen", "out2/device_ops_vtable.c:1:1:", []string{"out2"}, "", 0, 0},
		{"newline in a file name", []string{"structs", "bad\nname.h"}, "", "", nil, "", 0, 0},
		{"audit of a FIFO", []string{"audit", "-header", "device.h", "fifo.h"}, "not a regular file", "fifo.h:1:1:", nil, "", 0, 0},
		{"drift against /dev/zero", []string{"drift", "-old", "device.h", "-new", "/dev/zero", "-struct", "device_ops"}, "not a regular file", "/dev/zero:1:1:", nil, "", 0, 0},
		{"trait from a FIFO", []string{"trait", "-header", "fifo.h", "-struct", "device_ops", "-o", "out3"}, "not a regular file", "fifo.h:1:1:", nil, "", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			switch tc.name {
			case "output symlink to /dev/zero":
				os.MkdirAll(filepath.Join(dir, "out1"), 0o777)
				os.Symlink("/dev/zero", filepath.Join(dir, "out1", "device_ops_vtable.c"))
			case "foreign generated file":
				os.MkdirAll(filepath.Join(dir, "out2"), 0o777)
				os.WriteFile(filepath.Join(dir, "out2", "device_ops_vtable.c"), []byte("// Code generated by protoc-gen-foo. DO NOT EDIT.\n"), 0o666)
			}
			before := snapshot(t, dir)
			ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
			defer cancel()
			// vtablegen runs under this test binary as runMeasured, which
			// writes its CPU time and peak memory to usage.
			usage := filepath.Join(t.TempDir(), "usage")
			cmd := exec.CommandContext(ctx, bash, append([]string{"-c", `ulimit -v 2097152; exec "$0" "$@"`, os.Args[0], vg}, tc.args...)...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), rusageEnv+"="+usage)
			if tc.env != "" {
				cmd.Env = append(cmd.Env, tc.env)
			}
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("did not return within the time limit:\n%s", out)
			}
			// CPU time, not wall-clock time: a loaded machine gives the
			// process less CPU, not more. The preprocessor's memory is
			// bounded by the guard (ulimit -v), vtablegen's here.
			var cpu time.Duration
			var rss int64
			if b, err := os.ReadFile(usage); err != nil {
				t.Fatalf("no usage measured: %v\n%s", err, out)
			} else if _, err := fmt.Sscan(string(b), &cpu, &rss); err != nil {
				t.Fatalf("usage %q: %v", b, err)
			}
			t.Logf("CPU time %v, peak resident memory %.1f MiB", cpu, float64(rss)/(1<<20))
			if tc.cpu > 0 && cpu > tc.cpu {
				t.Errorf("took %v of CPU time, more than %v", cpu, tc.cpu)
			}
			if tc.rss > 0 && rss > tc.rss {
				t.Errorf("peak resident memory %d MiB, more than %d MiB", rss>>20, tc.rss>>20)
			}
			if tc.want == "" {
				// A name with a newline is read like any other; what
				// matters is that it reaches no output unescaped (see
				// TestNothingInjected) and that nothing crashes.
				if err != nil && !strings.Contains(string(out), "error:") {
					t.Fatalf("%v\n%s", err, out)
				}
			} else {
				ee, ok := err.(*exec.ExitError)
				if !ok || ee.ExitCode() != 1 {
					t.Fatalf("exit: %v\n%s", err, out)
				}
				if !strings.Contains(string(out), tc.at) || !strings.Contains(string(out), tc.want) || strings.HasSuffix(tc.at, ":") && !positioned.MatchString(string(out)) {
					t.Errorf("want %q at %q:\n%s", tc.want, tc.at, out)
				}
				if strings.Contains(string(out), "panic") || strings.Contains(string(out), "goroutine ") {
					t.Errorf("a crash:\n%s", out)
				}
			}
			after := snapshot(t, dir)
			for path, was := range before {
				if now, ok := after[path]; !ok || now != was {
					if !owned(path, tc.outputs) {
						t.Errorf("%s changed (%s -> %s)", path, was, now)
					}
				}
			}
			for path := range after {
				if _, ok := before[path]; !ok && !owned(path, tc.outputs) {
					t.Errorf("%s appeared", path)
				}
			}
		})
	}
}

// rusageEnv names the file the test binary, started with it set, writes
// the CPU time and peak resident memory of the command it runs to.
const rusageEnv = "VTABLEGEN_TEST_RUSAGE"

// runMeasured runs argv and writes its CPU time (user and system) and peak
// resident memory in bytes to out, and returns its exit status. The peak
// is the command's own only when its parent is small: a child Go starts
// shares its parent's memory until it execs (vfork), and the kernel keeps
// that memory's peak as the child's, so the test process (about 200 MiB)
// cannot measure it directly; this process, just started, is a few MiB.
func runMeasured(out string, argv []string) int {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, err)
		return 125
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	if err := os.WriteFile(out, fmt.Appendf(nil, "%d %d\n", cpu, ru.Maxrss<<10), 0o666); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 125
	}
	return cmd.ProcessState.ExitCode()
}

// owned reports whether path is one of outputs or under one.
func owned(path string, outputs []string) bool {
	for _, o := range outputs {
		if path == o || strings.HasPrefix(path, o+string(filepath.Separator)) {
			return true
		}
	}
	return false
}
