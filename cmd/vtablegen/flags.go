package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/vtablegen/vtablegen"
	"github.com/vtablegen/vtablegen/vtable"
)

// listFlag is a flag that may be given many times, e.g. -I dir -I dir2.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// command is one subcommand's flags, declared once on a flag.FlagSet, and
// its help text.
type command struct {
	fs *flag.FlagSet
	// usage is the help text before the flag list: the usage line and what
	// the command does.
	usage string
	// cflags says the command reads C and so takes C flags (cFlagsHelp).
	cflags         bool
	stdout, stderr io.Writer
}

// newCommand returns a command whose flags are to be declared on its fs.
func newCommand(name, usage string, cflags bool, stdout, stderr io.Writer) *command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and help are printed by parse
	return &command{fs: fs, usage: usage, cflags: cflags, stdout: stdout, stderr: stderr}
}

// help is the command's complete help text, which "vtablegen help CMD"
// and "CMD -h" print: the usage, every flag, and the C flags it takes.
func (c *command) help() string {
	var b strings.Builder
	b.WriteString(c.usage)
	b.WriteString("Flags:\n")
	c.fs.SetOutput(&b)
	c.fs.PrintDefaults()
	c.fs.SetOutput(io.Discard)
	if c.cflags {
		b.WriteString(cFlagsHelp)
	}
	return b.String()
}

// cFlagsHelp lists the C flags the commands that read C take.
const cFlagsHelp = `
C flags (passed to the C front end; any other flag is an error):
  -I DIR, -IDIR, -iquote DIR, -isystem DIR, -idirafter DIR
  -D NAME[=VALUE], -DNAME[=VALUE], -U NAME, -UNAME
  -include FILE, -imacros FILE
  -std=STD, -ansi, -pthread, -nostdinc, --sysroot=DIR, --sysroot DIR
  -m..., -f..., -W... (except -Wp, -Wa, -Wl), -O, -O0 to -O3, -Os, -Og, -Oz, -Ofast
  -- FLAGS...	everything after -- is a C flag, unchecked except that no
		flag may make the compiler write a file (-o, -M..., -save-temps)
`

// parse parses args: the command's own flags, in any order with the
// positional arguments, which it returns; for a command that reads C, the
// C flags too. exit is -1 when the command is to go on, else the status
// to exit with (0 after -h, 2 after a usage error, which parse has
// printed).
func (c *command) parse(args []string) (pos, cflags []string, exit int) {
	var own []string
args:
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest := args[i+1:]
			if !c.cflags {
				pos = append(pos, rest...)
				break args
			}
			for _, f := range rest {
				if vtablegen.CFlagWritesFile(f) {
					return nil, nil, c.usageError(fmt.Errorf("C flag %s would make the compiler write a file: vtablegen never lets it", f))
				}
			}
			cflags = append(cflags, rest...)
			break args
		case !strings.HasPrefix(a, "-") || a == "-":
			pos = append(pos, a)
			continue
		default:
			name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if name == "h" || name == "help" {
				own = append(own, a)
				continue
			}
			if f := c.fs.Lookup(name); f != nil && !strings.HasPrefix(a, "---") {
				own = append(own, a)
				if !isBool(f) && !hasValue && i+1 < len(args) {
					own = append(own, args[i+1])
					i++
				}
				continue
			}
			if joined := joinedOwn(c.fs, a); joined != nil {
				own = append(own, joined...)
				continue
			}
			if c.cflags {
				if takesArg, ok := cFlag(a); ok && !c.nearMiss(name) {
					cflags = append(cflags, a)
					if takesArg && i+1 < len(args) {
						cflags = append(cflags, args[i+1])
						i++
					}
					continue
				}
			}
			return nil, nil, c.usageError(fmt.Errorf("flag provided but not defined: %s%s", a, c.didYouMean(name)))
		}
	}
	if err := c.fs.Parse(own); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(c.stdout, c.help())
			return nil, nil, 0
		}
		return nil, nil, c.usageError(err)
	}
	return pos, cflags, -1
}

// usageError prints err and the help to stderr and returns the usage
// exit status.
func (c *command) usageError(err error) int {
	fmt.Fprintf(c.stderr, "vtablegen %s: %v\n", c.fs.Name(), err)
	io.WriteString(c.stderr, c.help())
	return 2
}

// fail reports a usage problem found after parsing, e.g. a missing
// argument, as usageError does.
func (c *command) fail(format string, args ...any) int {
	return c.usageError(fmt.Errorf(format, args...))
}

// didYouMean suggests the command's flag closest to name.
func (c *command) didYouMean(name string) string {
	var names []string
	c.fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	s := vtable.DidYouMean(name, names)
	return strings.Replace(s, `mean "`, `mean "-`, 1)
}

// nearMiss reports whether name, which looks like a C flag (-marco,
// -fore), is more likely a misspelling of one of the command's own flags,
// which must never reach a compiler.
func (c *command) nearMiss(name string) bool {
	near := false
	c.fs.VisitAll(func(f *flag.Flag) {
		d := vtable.EditDistance(name, f.Name)
		if len(f.Name) >= 3 && (d <= 1 || d <= 2 && len(f.Name) >= 5) {
			near = true
		}
	})
	return near
}

// joinedOwn splits "-Idir" and "-Dname" into the command's own -I and -D
// flags when it declares them.
func joinedOwn(fs *flag.FlagSet, a string) []string {
	if len(a) > 2 && (strings.HasPrefix(a, "-I") || strings.HasPrefix(a, "-D")) && fs.Lookup(a[1:2]) != nil {
		return []string{a[:2], a[2:]}
	}
	return nil
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// cFlagsWithArg are the C flags that take their argument as the next word.
var cFlagsWithArg = map[string]bool{
	"-I": true, "-D": true, "-U": true, "-include": true, "-imacros": true, "-isystem": true,
	"-iquote": true, "-idirafter": true, "--sysroot": true,
}

var optLevel = regexp.MustCompile(`^-O([0-3sgz]|fast)?$`)

// cFlag reports whether a is a C flag of the closed list in cFlagsHelp
// and whether its argument is the next word.
func cFlag(a string) (takesArg, ok bool) {
	switch {
	case cFlagsWithArg[a]:
		return true, true
	case a == "-ansi" || a == "-pthread" || a == "-nostdinc":
		return false, true
	case len(a) > 2 && (strings.HasPrefix(a, "-I") || strings.HasPrefix(a, "-D") || strings.HasPrefix(a, "-U")):
		return false, true
	case strings.HasPrefix(a, "-std=") || strings.HasPrefix(a, "--sysroot="):
		return false, true
	case optLevel.MatchString(a):
		return false, true
	case len(a) > 2 && (strings.HasPrefix(a, "-m") || strings.HasPrefix(a, "-f")):
		return false, !vtablegen.CFlagWritesFile(a)
	case len(a) > 2 && strings.HasPrefix(a, "-W"):
		return false, !strings.HasPrefix(a, "-Wp,") && !strings.HasPrefix(a, "-Wa,") && !strings.HasPrefix(a, "-Wl,")
	}
	return false, false
}

// macroFlag declares -macro, which gen, consts and expand share.
func macroFlag(fs *flag.FlagSet) *string {
	return fs.String("macro", "", "reproduce the #[vtable] macro of `VERSION`: newest (7.3), a kernel version such as 6.12, 7.2 or 7.3, or optional (the unmerged #[optional] series); by default the macro of the kernel tree the Rust files are in (its rust/macros/vtable.rs), else 7.2's, which compiles outside a kernel (7.3's needs the kernel crate)")
}

// formFor is the form -macro asks for or, when it is not given, the form
// of the kernel tree the Rust files are in, else userspace's (7.2's: see
// vtablegen.FormOf).
func formFor(macro string, files []string) (vtable.Form, error) {
	f, err := vtable.ParseForm(macro)
	if err != nil {
		return f, err
	}
	return vtablegen.FormOf(f, files), nil
}

// cppHelp is the help of -cpp, which structs, gen and drift declare.
const cppHelp = "preprocess with `CMD`, e.g. 'gcc -E', and the C flags (those listed below, and every word after --, e.g. -pg)"

// buildModes are the flags that read C the way the build does, which gen
// and structs share.
type buildModes struct {
	preprocessed                             *bool
	cpp, compileCommands, entry, kbuild, dir *string
	timeout                                  *time.Duration
	anyCompiler                              *bool
}

// buildModeFlags declares the build-mode flags on fs; unit is what
// -preprocessed says is preprocessed, e.g. "FILE".
func buildModeFlags(fs *flag.FlagSet, unit string) *buildModes {
	return &buildModes{
		preprocessed:    fs.Bool("preprocessed", false, unit+" is already preprocessed (e.g. Kbuild's FILE.i)"),
		cpp:             fs.String("cpp", "", cppHelp),
		compileCommands: fs.String("compile-commands", "", "preprocess as an entry of compile_commands.json `FILE` does"),
		entry:           fs.String("entry", "", "the compile_commands.json entry: its source `SRC`"),
		kbuild:          fs.String("kbuild-cmd", "", "preprocess as the Kbuild command file `FILE` (.foo.o.cmd) does"),
		dir:             fs.String("dir", "", "run the preprocessor in `DIR` (for -kbuild-cmd: the kernel build directory)"),
		anyCompiler:     fs.Bool("any-compiler", false, "let -kbuild-cmd and -compile-commands run a program that is not a C compiler"),
		timeout:         fs.Duration("cpp-timeout", vtablegen.DefaultCppTimeout, "stop the build's preprocessor after `DURATION` (e.g. 30s, 10m)"),
	}
}

// check reports a usage problem of the mode flags: more than one mode, or
// -entry without -compile-commands; "" when there is none.
func (m *buildModes) check() string {
	modes := 0
	for _, set := range []bool{*m.cpp != "", *m.compileCommands != "", *m.kbuild != "", *m.preprocessed} {
		if set {
			modes++
		}
	}
	switch {
	case modes > 1:
		return "-cpp, -compile-commands, -kbuild-cmd and -preprocessed exclude each other"
	case *m.entry != "" && *m.compileCommands == "":
		return "-entry needs -compile-commands"
	}
	return ""
}

// haveCommand reports a build command, whose own source is the header
// when none is named.
func (m *buildModes) haveCommand() bool { return *m.compileCommands != "" || *m.kbuild != "" }

// apply sets the mode fields of cfg, paths resolved with at.
func (m *buildModes) apply(cfg *vtablegen.Config, at func(string) string) error {
	cfg.Preprocessed = *m.preprocessed
	cfg.CppTimeout = *m.timeout
	cfg.AnyCompiler = *m.anyCompiler
	cfg.KbuildCmd, cfg.CompileCommands, cfg.Entry, cfg.Dir = at(*m.kbuild), at(*m.compileCommands), *m.entry, at(*m.dir)
	if *m.cpp != "" {
		cpp, err := vtablegen.SplitCommand(*m.cpp)
		if err != nil || len(cpp) == 0 {
			return fmt.Errorf("-cpp %q: not a command", *m.cpp)
		}
		cfg.Cpp = cpp
	}
	return nil
}

// under returns a function that resolves a relative path against dir
// (-C); "", an absolute path, or any path when dir is "" stay as they are.
func under(dir string) func(string) string {
	return func(p string) string {
		if dir == "" || p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
}

// complete fills the C side of cfg from the build-mode flags and the -I
// directories, paths resolved with at: the build's preprocessor runs in
// the -C directory unless -dir says otherwise.
func (m *buildModes) complete(cfg *vtablegen.Config, includes []string, at func(string) string) error {
	if err := m.apply(cfg, at); err != nil {
		return err
	}
	cfg.HostCache = hostCache()
	if len(cfg.Cpp) > 0 && cfg.Dir == "" {
		cfg.Dir = at(".")
	}
	for _, d := range includes {
		cfg.IncludeDirs = append(cfg.IncludeDirs, at(d))
	}
	return nil
}
