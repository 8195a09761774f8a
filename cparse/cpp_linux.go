package cparse

import (
	"os/exec"
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
const guardScript = `out=$1; shift
trap 'rm -f "$out"; kill -KILL 0' TERM
"$@" &
wait $!
`

// guardCpp returns the command line that runs argv, the preprocessor
// writing to out, under the guard: /bin/sh, when there is one (else argv
// as it is).
func guardCpp(argv []string, out string) []string {
	sh, err := exec.LookPath("/bin/sh")
	if err != nil {
		return argv
	}
	return append([]string{sh, "-c", guardScript, "vtablegen-cpp-guard", out}, argv...)
}

// killGroup kills the process group of a started command.
func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
