// Command vtablegen compiles Rust #[vtable] traits and impls together with
// the C operations structs they fill: it emits the HAS_* consts of the
// kernel's #[vtable] macro, C designated initializers with NULL where an
// operation is missing, and Rust vtable constants with extern "C"
// trampolines whose types come from the C header.
//
// Usage:
//
//	vtablegen <command> [flags] [arguments]
//
// Exit status: 0 on success, 1 when the input has problems (reported as
// file:line:col: message on standard error) or the tool fails, 2 for a
// usage error.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: vtablegen <command> [flags] [arguments]

vtablegen compiles Rust #[vtable] traits and impls together with the C
operations structs they fill.

Commands (this build; see README.md for what is pending):
	help	print this text

Exit status: 0 success, 1 diagnostics or failure, 2 usage error.
`

// run is the whole command; main only exits with its result, so tests call
// it directly.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "vtablegen: unknown command %q\nrun 'vtablegen help' for usage\n", args[0])
	return 2
}
