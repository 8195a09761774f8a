// Command vtablegen compiles Rust vtable traits and impls together with
// the C operations structs they fill: it emits the HAS_* consts of the
// kernel's vtable macro (in the form of Linux 6.12, 7.2 or 7.3) and C designated
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
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

func main() {
	tuneGC()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// tuneGC lets the heap grow to five times the live data before a
// collection (GOGC=400) under a soft limit of 64 MiB: a run on a system
// header (a few MB) then collects once or not at all, which takes about a
// third off its time, and a run on a big Kbuild unit is collected as
// often as the limit needs, staying under 100 MB. GOGC or GOMEMLIMIT in
// the environment wins.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(64 << 20)
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
	init	write a starter binding file (vtable.toml) for a header's struct
	trait	write a #[vtable] trait skeleton and its vtable.toml for a C struct
	drift	compare a C struct between two header versions and say what it breaks
	audit	check hand-written VTABLE literals in Rust against the header and the trait
	version	print the version of vtablegen
	help	print this text, or with a command its help

Run 'vtablegen help <command>' (or 'vtablegen <command> -h') for a
command's flags.

Exit status: 0 success, 1 diagnostics or failure, 2 usage error.
`

// commands are the subcommands by name.
var commands = map[string]func(args []string, stdout, stderr io.Writer) int{
	"gen":     runGen,
	"structs": runStructs,
	"consts":  runConsts,
	"expand":  runExpand,
	"init":    runInit,
	"trait":   runTrait,
	"drift":   runDrift,
	"audit":   runAudit,
}

// run is the whole command; main only exits with its result, so tests call
// it directly.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" {
			if cmd, ok := commands[args[1]]; ok {
				return cmd([]string{"-h"}, stdout, stderr)
			}
			if args[1] != "help" {
				fmt.Fprintf(stderr, "vtablegen help: unknown command %q\nrun 'vtablegen help' for usage\n", args[1])
				return 2
			}
		}
		fmt.Fprint(stdout, usage)
		return 0
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, version())
		return 0
	}
	if cmd, ok := commands[args[0]]; ok {
		return cmd(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "vtablegen: unknown command %q\nrun 'vtablegen help' for usage\n", args[0])
	return 2
}

// version describes this build from the module's build information, e.g.
// "vtablegen v0.1.0 go1.26.8" or, built from a checkout,
// "vtablegen (devel) 80024b3ab4c1 (modified) go1.26.8".
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "vtablegen (unknown version) " + runtime.Version()
	}
	parts := []string{"vtablegen", bi.Main.Version}
	if parts[1] == "" {
		parts[1] = "(devel)"
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" {
		parts = append(parts, rev[:min(12, len(rev))])
		if modified == "true" {
			parts = append(parts, "(modified)")
		}
	}
	return strings.Join(append(parts, bi.GoVersion), " ")
}
