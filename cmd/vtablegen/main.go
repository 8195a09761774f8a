// Command vtablegen compiles Rust #[vtable] traits and impls together with
// the C operations structs they fill: it emits the HAS_* consts of the
// kernel's #[vtable] macro (in its 6.12 or newest form) and C designated
// initializers with NULL where an operation is missing, and shows what its
// C and Rust front ends see (structs, consts).
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
	"errors"
	"flag"
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

Commands:
	gen	bind a C operations struct to a #[vtable] trait and write the C
		initializers and the expanded Rust
	structs	show the structs with function-pointer members of a header
	consts	show the #[vtable] traits and impls of Rust files and their consts
	expand	print a Rust file with its #[vtable] attributes expanded
	help	print this text

Run 'vtablegen <command> -h' for a command's flags.

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
	case "gen":
		return runGen(args[1:], stdout, stderr)
	case "structs":
		return runStructs(args[1:], stdout, stderr)
	case "consts":
		return runConsts(args[1:], stdout, stderr)
	case "expand":
		return runExpand(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "vtablegen: unknown command %q\nrun 'vtablegen help' for usage\n", args[0])
	return 2
}

// usageError is the exit status for a flag parsing error, which the flag
// set has already printed with the usage: 0 for -h, 2 otherwise.
func usageError(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}
