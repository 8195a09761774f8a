package cparse

import (
	"os/exec"
	"syscall"
)

// cppProcAttr puts the preprocessor in a process group of its own and has
// the kernel kill it when vtablegen dies (Pdeathsig; what it started, such
// as cc1, then sees its output go away or is killed with the group on
// every other exit path).
func cppProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills the process group of a started command.
func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
