//go:build !linux

package cparse

import (
	"os/exec"
	"syscall"
)

// cppProcAttr: elsewhere than Linux, no process group or Pdeathsig.
func cppProcAttr() *syscall.SysProcAttr { return nil }

// killGroup kills the started command itself.
func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return cmd.Process.Kill()
}
