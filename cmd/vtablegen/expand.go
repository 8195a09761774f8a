package main

import (
	"io"

	"github.com/vtablegen/vtablegen"
)

const expandUsage = `usage: vtablegen expand [-macro VERSION] [-o FILE] [-force] [-json] FILE.rs

expand prints FILE.rs with each #[vtable] attribute replaced by what the
kernel's macro inserts (USE_VTABLE_ATTR, the HAS_* consts, and in 7.3's
form the OwnerModule type), every other byte unchanged, so that it builds
with plain rustc. -macro picks the macro: newest (7.3), 7.2 (consts after
the body's items, #[cfg] copied), a version from 6.2 to 6.19 such as 6.12
(consts first), or optional (the unmerged #[optional] series). By default
it is the macro of the kernel tree FILE.rs is in, else 7.2's, which
compiles outside a kernel.
With -o the output goes to FILE, through a temporary file and a rename
(-o - is standard output).

`

func runExpand(args []string, stdout, stderr io.Writer) int {
	c := newCommand("expand", expandUsage, false, stdout, stderr)
	macro := macroFlag(c.fs)
	out := c.fs.String("o", "", "write to `FILE` instead of standard output (- is standard output)")
	force := c.fs.Bool("force", false, "replace -o FILE even if vtablegen did not generate it")
	asJSON := c.fs.Bool("json", false, "print diagnostics as JSON objects, one per line")
	files, _, exit := c.parse(args)
	if exit >= 0 {
		return exit
	}
	if len(files) != 1 {
		return c.fail("need exactly one Rust file")
	}
	form, err := formFor(*macro, files)
	if err != nil {
		return c.fail("-macro: %v", err)
	}
	src, diags := vtablegen.Expand(files[0], form)
	if report(diags, stderr, false, *asJSON) {
		return 1
	}
	if *out == "" || *out == "-" {
		stdout.Write(src)
		return 0
	}
	if _, err := writeOutput(*out, src, *force); err != nil {
		printWriteError(stderr, err)
		return 1
	}
	return 0
}
