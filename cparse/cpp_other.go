//go:build !linux

package cparse

import (
	"os/exec"
	"syscall"
)

// cppProcAttr: elsewhere than Linux, no process group or Pdeathsig.
func cppProcAttr() *syscall.SysProcAttr { return nil }

// guardCpp: elsewhere than Linux, the preprocessor runs as it is.
func guardCpp(argv []string, out string) []string { return argv }

// killGroup kills the started command itself.
func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return cmd.Process.Kill()
}
