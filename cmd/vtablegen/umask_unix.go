//go:build unix

package main

import (
	"os"
	"syscall"
)

// newFileMode is the mode of a new output: 0666 less the umask, as the
// shell and the compilers create files. The command is single-threaded
// when it writes, so reading the umask (which sets it) and putting it
// back races with nothing.
func newFileMode() os.FileMode {
	mask := syscall.Umask(0)
	syscall.Umask(mask)
	return os.FileMode(0o666 &^ mask)
}
