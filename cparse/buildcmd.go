package cparse

import (
	"bufio"
	"bytes"
	"encoding/json"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/vtablegen/vtablegen/vtable"
)

// Command is one compile command of a build, reduced to what preprocessing
// a header the way that command does needs: the preprocessor with its
// flags, the directory it runs in, and the source file it compiles.
type Command struct {
	Cpp    []string
	Flags  []string
	Dir    string
	Source string
	// Pos is where the command is written: its savedcmd_ line, or the
	// start of the compilation database.
	Pos token.Position
}

// compilerName matches the programs a build file may name for vtablegen
// to run: C compilers and preprocessors, possibly target-prefixed or
// versioned (x86_64-linux-gnu-gcc-12, clang-16, cpp).
var compilerName = regexp.MustCompile(`^([A-Za-z0-9_.]+-)*(gcc|cc|clang|cpp|tcc|icc|icx|c\+\+|g\+\+|clang\+\+)(-[0-9][0-9.]*)?$`)

// IsCompiler reports whether the command runs a C compiler or
// preprocessor, directly or through ccache, distcc or sccache: what a
// build file names is run, and a build file from elsewhere could name any
// program.
func (c *Command) IsCompiler() bool {
	if len(c.Cpp) == 0 {
		return false
	}
	prog := filepath.Base(c.Cpp[0])
	switch prog {
	case "ccache", "distcc", "sccache":
		return len(c.Flags) > 0 && compilerName.MatchString(filepath.Base(c.Flags[0]))
	}
	return compilerName.MatchString(prog)
}

// Options returns parser options that preprocess as the command does.
func (c *Command) Options() Options {
	return Options{Cpp: c.Cpp, Flags: c.Flags, Dir: c.Dir}
}

// KbuildCommand reads a Kbuild command file (the .foo.o.cmd Kbuild writes
// beside each object) and returns its compile command. Kbuild runs
// compilers in the kernel's build directory and writes some include paths
// relative to it (-I./include/generated); dir names that directory, and
// when it is empty KbuildCommand looks for it: the source tree named by the
// command's "-include <tree>/include/linux/kconfig.h" when it holds
// include/generated, or else its one sibling build directory that does (the
// layout of Debian's linux-headers-<ver>-common and -<flavour>).
func KbuildCommand(file, dir string) (*Command, vtable.Diagnostics) {
	src, d := readRegular(file, 16<<20, "Kbuild command file")
	if d != nil {
		return nil, vtable.Diagnostics{d}
	}
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(nil, 16<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if !strings.HasPrefix(text, "savedcmd_") && !strings.HasPrefix(text, "cmd_") {
			continue
		}
		_, value, ok := strings.Cut(text, " := ")
		if !ok {
			continue
		}
		pos := token.Position{Filename: file, Line: line, Column: 1}
		argv, err := shellWords(value)
		if err != nil {
			return nil, diag(pos, "%v", err)
		}
		c := &Command{Dir: dir, Pos: pos}
		for i := len(argv) - 1; i > 0; i-- {
			if isSource(argv[i]) && argv[i-1] != "-o" {
				c.Source = argv[i]
				break
			}
		}
		if len(argv) == 0 || c.Source == "" {
			return nil, diag(pos, "the Kbuild command compiles no C source file")
		}
		c.Cpp, c.Flags = preprocessCommand(argv, c.Source)
		if c.Dir == "" && hasRelativePath(c.Flags) {
			var ds vtable.Diagnostics
			c.Dir, ds = kbuildDir(pos, c.Flags)
			if ds != nil {
				return nil, ds
			}
		}
		return c, nil
	}
	return nil, diag(vtable.FileStart(file), "no savedcmd_ line: not a Kbuild command file")
}

func diag(pos token.Position, format string, args ...any) vtable.Diagnostics {
	var l vtable.Diagnostics
	l.Add(pos, format, args...)
	return l
}

func isSource(arg string) bool {
	switch filepath.Ext(arg) {
	case ".c", ".h", ".i", ".S":
		return !strings.HasPrefix(arg, "-")
	}
	return false
}

// hasRelativePath reports a path flag whose path is relative.
func hasRelativePath(flags []string) bool {
	for i, f := range flags {
		for _, p := range []string{"-I", "-include", "-isystem", "-iquote", "-imacros"} {
			v, ok := strings.CutPrefix(f, p)
			if !ok {
				continue
			}
			if v == "" && i+1 < len(flags) {
				v = flags[i+1]
			}
			if v != "" && !filepath.IsAbs(v) {
				return true
			}
		}
	}
	return false
}

// kbuildDir finds the kernel build directory for a Kbuild command's flags.
func kbuildDir(pos token.Position, flags []string) (string, vtable.Diagnostics) {
	srctree := ""
	for i, f := range flags {
		if f == "-include" && i+1 < len(flags) && strings.HasSuffix(flags[i+1], "/include/linux/kconfig.h") {
			srctree = strings.TrimSuffix(flags[i+1], "/include/linux/kconfig.h")
		}
	}
	if srctree == "" {
		return "", diag(pos, "cannot tell the kernel build directory its relative include paths resolve in (no -include .../include/linux/kconfig.h): name it with -dir")
	}
	generated := func(d string) bool {
		st, err := os.Stat(filepath.Join(d, "include", "generated", "autoconf.h"))
		return err == nil && !st.IsDir()
	}
	if generated(srctree) {
		return srctree, nil
	}
	matches, _ := filepath.Glob(strings.TrimSuffix(srctree, "-common") + "-*")
	var dirs []string
	for _, m := range matches {
		if m != srctree && generated(m) {
			dirs = append(dirs, m)
		}
	}
	sort.Strings(dirs)
	if len(dirs) == 1 {
		return dirs[0], nil
	}
	if len(dirs) == 0 {
		return "", diag(pos, "cannot find the kernel build directory of source tree %s (no include/generated/autoconf.h there or beside it): name it with -dir", srctree)
	}
	return "", diag(pos, "%d kernel build directories share source tree %s (%s): name one with -dir", len(dirs), srctree, strings.Join(dirs, ", "))
}

// compileEntry is one entry of a compile_commands.json.
type compileEntry struct {
	Directory string   `json:"directory"`
	File      string   `json:"file"`
	Command   string   `json:"command"`
	Arguments []string `json:"arguments"`
}

// CompileCommand returns the command of one entry of a compilation
// database (compile_commands.json): the one whose file is entry, matched as
// written, as a path relative to the entry's directory, or by its base name
// when that is unique; with entry empty, the database must hold one entry.
func CompileCommand(file, entry string) (*Command, vtable.Diagnostics) {
	src, d := readRegular(file, 256<<20, "compilation database")
	if d != nil {
		return nil, vtable.Diagnostics{d}
	}
	top := vtable.FileStart(file)
	var entries []compileEntry
	if err := json.Unmarshal(src, &entries); err != nil {
		if se, ok := err.(*json.SyntaxError); ok {
			// Offset is just past the offending byte.
			return nil, diag(offsetPos(file, src, int(se.Offset)-1), "not a compilation database: %v", err)
		}
		return nil, diag(top, "not a compilation database: %v", err)
	}
	var match []compileEntry
	for _, e := range entries {
		abs := e.File
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(e.Directory, abs)
		}
		wantAbs, _ := filepath.Abs(entry)
		if entry == "" || e.File == entry || filepath.Clean(abs) == wantAbs {
			match = append(match, e)
		}
	}
	if len(match) == 0 && entry != "" {
		for _, e := range entries {
			if filepath.Base(e.File) == filepath.Base(entry) {
				match = append(match, e)
			}
		}
	}
	switch {
	case len(match) == 0 && entry == "":
		return nil, diag(top, "the compilation database has no entries")
	case len(match) == 0:
		var names []string
		for _, e := range entries {
			names = append(names, e.File)
		}
		return nil, diag(top, "no entry for %s%s", entry, vtable.DidYouMean(entry, names))
	case len(match) > 1 && entry == "":
		return nil, diag(top, "the compilation database has %d entries: name one with -entry", len(match))
	case len(match) > 1:
		return nil, diag(top, "%d entries match %s: name it by its path", len(match), entry)
	}
	e := match[0]
	argv := e.Arguments
	if len(argv) == 0 {
		var err error
		argv, err = shellWords(e.Command)
		if err != nil {
			return nil, diag(top, "entry for %s: %v", e.File, err)
		}
	}
	if len(argv) == 0 {
		return nil, diag(top, "entry for %s has no command", e.File)
	}
	c := &Command{Dir: e.Directory, Source: e.File, Pos: top}
	c.Cpp, c.Flags = preprocessCommand(argv, e.File)
	return c, nil
}

// offsetPos converts a byte offset of src to a position.
func offsetPos(file string, src []byte, off int) token.Position {
	off = min(max(off, 0), len(src))
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	col := off - (bytes.LastIndexByte(src[:off], '\n') + 1) + 1
	return token.Position{Filename: file, Offset: off, Line: line, Column: col}
}
