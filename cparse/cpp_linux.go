package cparse

import (
	"os/exec"
	"strconv"
	"syscall"
)

// cppProcAttr puts the preprocessor's guard (see guardCpp) in a process
// group of its own, with everything it starts, and has the kernel send it
// SIGTERM when vtablegen dies (Pdeathsig), even of SIGKILL.
func cppProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}

// guardScript runs the preprocessor in the background and waits for it;
// on SIGTERM (vtablegen died) it removes the output file and kills its
// whole process group, the compiler driver and what the driver started
// (cc1), which Pdeathsig alone would leave running: gcc does not pass a
// SIGKILL on to cc1.
//
// It also bounds the address space of the preprocessor (ulimit -v, in
// KiB): a few lines of macros can make one token double per level (## or #
// of an argument already expanded), and gcc then takes gigabytes and tens
// of seconds before it fails (cc1: out of memory).
const guardScript = `out=$1; shift
ulimit -v "$1" 2>/dev/null; shift
trap 'rm -f "$out"; kill -KILL 0' TERM
"$@" &
wait $!
`

// maxCppAddressSpace bounds the address space of the build's preprocessor
// (and of what it starts: cc1), in bytes. gcc -E runs in 50 MiB of it on
// sqlite3.h and in 100 MiB on the 6.12 kernel's reference unit (ulimit -v);
// on # doubling a token, it fails in 0.35 s at this bound (22 s and 7 GiB
// without).
const maxCppAddressSpace = 2 << 30

// guardCpp returns the command line that runs argv, the preprocessor
// writing to out, under the guard: /bin/sh, when there is one (else argv
// as it is).
func guardCpp(argv []string, out string) []string {
	sh, err := exec.LookPath("/bin/sh")
	if err != nil {
		return argv
	}
	return append([]string{sh, "-c", guardScript, "vtablegen-cpp-guard", out, strconv.Itoa(maxCppAddressSpace >> 10)}, argv...)
}

// killGroup kills the process group of a started command.
func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
