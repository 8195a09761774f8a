// Package cparse is vtablegen's C front end: it preprocesses C headers
// (with its own preprocessor, pp.go, or cc/v4's, configured from ordinary
// compiler flags), type checks them with modernc.org/cc/v4, and returns
// the structs that hold function-pointer members as [vtable.Struct]
// values, with members in declaration order, C types spelled with their
// typedef names, and positions in the original headers.
//
// It is the only package of vtablegen that imports modernc.org/cc/v4, and it
// imports only package vtable of ours.
package cparse

import (
	"fmt"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"modernc.org/cc/v4"

	"github.com/vtablegen/vtablegen/vtable"
)

// Options configures the C front end the way compiler flags do.
type Options struct {
	// IncludeDirs are searched for #include, as -I does, in order.
	IncludeDirs []string
	// Defines are macro definitions as -D takes them, e.g. "FUSE_USE_VERSION=31"
	// or "CONFIG_COMPAT" (defined as 1).
	Defines []string

	// Cpp, when set, is the build's own preprocessor, e.g. ["gcc", "-E"]
	// or the compiler of a Kbuild command: headers are preprocessed by it
	// (with IncludeDirs, Defines and Flags), and its output is read as a
	// preprocessed unit. Without it, the embedded preprocessor runs
	// (vtablegen's own, cc/v4's when a header does not read cleanly
	// through it: see Parse).
	Cpp []string
	// Flags are further compiler flags, as the build passes them, e.g.
	// Kbuild's "-nostdinc", "-include", ".../kconfig.h", "-D__KERNEL__".
	// With Cpp they are passed to it. Without it, cc/v4's preprocessor
	// takes -I, -iquote, -isystem, -D, -U and -include (in either spelling,
	// "-Idir" or "-I", "dir"; an -include file is looked for as gcc
	// does, see includeFiles), and every other flag (-std=gnu11, -m32,
	// -pthread, ...) goes to the host compiler when it is asked for its
	// predefined macros, so that they reflect the flags.
	Flags []string
	// Dir is the directory Cpp runs in; relative paths in Flags and in its
	// output resolve against it. Empty means the current directory.
	Dir string
	// CppTimeout bounds how long Cpp may run; 0 means DefaultCppTimeout.
	// Past it, or past the size a preprocessed unit may have, Cpp and
	// everything it started are killed and the run fails.
	CppTimeout time.Duration

	// Preprocessed says the parser reads only preprocessed units
	// (ParsePreprocessed; Cpp implies it): cc/v4 then needs no macros or
	// include paths from the host compiler, and vtablegen's own
	// configuration is used, which saves starting the host compiler
	// (where vtablegen has one for the platform).
	Preprocessed bool

	// Structs, when not empty, names the structs wanted from a
	// preprocessed unit: only the declarations they need are parsed (see
	// slice.go), which is much faster on a Kbuild unit. Other structs may
	// still be returned; the wanted ones always are, when they exist.
	Structs []string

	// HostCache, when not nil, keeps the host compiler's predefined
	// macros and include paths between runs (see HostCache); without it
	// the compiler is asked each time a Parser is made.
	HostCache HostCache
}

// Parser parses C headers with one configuration. Creating it runs the host
// C compiler once to learn its predefined macros and include paths (cc/v4's
// NewConfig), so make one and reuse it. A Parser is not safe for
// concurrent use.
type Parser struct {
	cfg *cc.Config
	// screened is set when the own preprocessor has just read the header
	// (see screenBytes), which need not be read again before cc/v4's.
	screened bool
	opts     Options
	defines  string
	// includes are the -include files, read before the header.
	includes []string
	files    *fileRecorder
	// ready is closed when cfg (or cfgErr) is set: with Options.Cpp the
	// configuration is made while the build's preprocessor runs.
	ready  chan struct{}
	cfgErr error
	// freestanding says no host compiler was found and vtablegen's own
	// freestanding headers and macros are in use.
	freestanding bool
	// budget, when not 0, replaces the CPU-time bound of a cc/v4 run
	// (the bisection's shorter one).
	budget time.Duration
	// condTexts, when not nil, are the headers' texts the preprocessed
	// path reads member conditions from (those the own preprocessor
	// read), instead of reading them again.
	condTexts map[string][]byte
	// unitSpans, when not nil, are the columns of the unit that macro
	// expansions fill (the own preprocessor's), whose tokens are put at
	// their invocations as cc/v4 puts them.
	unitSpans expansionSpans
}

// NewParser returns a Parser configured by opts.
func NewParser(opts Options) (*Parser, error) {
	files := &fileRecorder{}
	p := &Parser{opts: opts, files: files, ready: make(chan struct{})}
	// With Cpp, the flags are the build preprocessor's alone; cc/v4 then
	// parses its output and needs only the host's basic configuration.
	var ef embeddedFlags
	var hostFlags []string
	if len(opts.Cpp) == 0 {
		ef, hostFlags = parseEmbeddedFlags(opts.Flags)
	}
	ef.includeDirs = append(slices.Clone(opts.IncludeDirs), ef.includeDirs...)
	ef.defines = append(slices.Clone(opts.Defines), ef.defines...)
	go func() {
		defer close(p.ready)
		if opts.Preprocessed || len(opts.Cpp) > 0 {
			if cfg, err := freestandingConfig(nil); err == nil {
				cfg.FS, cfg.FSOnly, cfg.ExpansionLimit = files, true, expansionLimit
				p.cfg = cfg
				return
			}
		}
		if err := checkHostFlags(hostFlags); err != nil {
			p.cfgErr = err
			return
		}
		cfg, err := hostConfig(hostFlags, opts.HostCache)
		if err != nil {
			// No usable host compiler: vtablegen's own freestanding
			// configuration, for headers that need only the standard
			// freestanding headers.
			fallback, ferr := freestandingConfig(hostFlags)
			if ferr != nil {
				p.cfgErr = fmt.Errorf("configuring the C front end: %v; %v", err, ferr)
				return
			}
			cfg, p.freestanding = fallback, true
		}
		// As GCC searches: "..." in the including file's directory ("@"),
		// then -iquote, -I, -isystem and the host's directories; <...> in
		// -I, -isystem and the host's system directories.
		hostSys := cfg.SysIncludePaths
		cfg.IncludePaths = slices.Concat([]string{"@"}, ef.quoteDirs, ef.includeDirs, ef.systemDirs, cfg.HostIncludePaths, hostSys)
		cfg.SysIncludePaths = slices.Concat(ef.includeDirs, ef.systemDirs, hostSys)
		cfg.FS = files
		cfg.FSOnly = true // every file goes through files' checks
		cfg.ExpansionLimit = expansionLimit
		p.cfg = cfg
	}()
	if len(opts.Cpp) == 0 {
		<-p.ready
		if p.cfgErr != nil {
			return nil, p.cfgErr
		}
	}
	p.defines = ef.commandLine()
	p.includes = ef.includes
	return p, nil
}

// embeddedFlags are the compiler flags cc/v4's own preprocessor takes.
type embeddedFlags struct {
	includeDirs, quoteDirs, systemDirs []string
	// macros are "-DNAME=value" and "-UNAME" in command-line order.
	defines  []string
	macros   []string
	includes []string
}

// parseEmbeddedFlags takes the flags cc/v4's preprocessor understands out
// of flags and returns the rest, for the host compiler.
func parseEmbeddedFlags(flags []string) (embeddedFlags, []string) {
	var ef embeddedFlags
	var rest []string
	for i := 0; i < len(flags); i++ {
		f := flags[i]
		value := func(prefix string) (string, bool) {
			if f == prefix {
				if i+1 < len(flags) {
					i++
					return flags[i], true
				}
				return "", false
			}
			if v, ok := strings.CutPrefix(f, prefix); ok {
				return v, true
			}
			return "", false
		}
		if v, ok := value("-include"); ok {
			ef.includes = append(ef.includes, v)
		} else if v, ok := value("-iquote"); ok {
			ef.quoteDirs = append(ef.quoteDirs, v)
		} else if v, ok := value("-isystem"); ok {
			ef.systemDirs = append(ef.systemDirs, v)
		} else if v, ok := value("-I"); ok {
			ef.includeDirs = append(ef.includeDirs, v)
		} else if v, ok := value("-D"); ok {
			ef.macros = append(ef.macros, "D"+v)
		} else if v, ok := value("-U"); ok {
			ef.macros = append(ef.macros, "U"+v)
		} else {
			rest = append(rest, f)
		}
	}
	return ef, rest
}

// commandLine returns the <command-line> source: the -D and -U macros in
// order (Options.Defines first). The -include files follow it as sources
// of their own (translate), which is what -include means.
func (ef embeddedFlags) commandLine() string {
	var b strings.Builder
	macros := make([]string, 0, len(ef.defines)+len(ef.macros))
	for _, d := range ef.defines {
		macros = append(macros, "D"+d)
	}
	macros = append(macros, ef.macros...)
	for _, m := range macros {
		if m[0] == 'U' {
			fmt.Fprintf(&b, "#undef %s\n", m[1:])
			continue
		}
		name, value, ok := strings.Cut(m[1:], "=")
		if !ok {
			value = "1"
		}
		fmt.Fprintf(&b, "#define %s %s\n", name, value)
	}
	return b.String()
}

// translate preprocesses, parses and type checks the header file name, or
// text under that name when text is not nil; the -D definitions apply only
// to a file, not to text, which is preprocessed already. A failure is
// returned as positioned diagnostics.
func (p *Parser) translate(name string, text []byte) (*cc.AST, vtable.Diagnostics) {
	<-p.ready
	p.files.reset()
	if p.cfgErr != nil {
		var l vtable.Diagnostics
		l.Add(vtable.FileStart(name), "%v", p.cfgErr)
		return nil, l
	}
	predefined, builtin := p.cfg.Predefined, cc.Builtin
	if text != nil {
		predefined, builtin = textSources(predefined, text)
	}
	sources := []cc.Source{
		{Name: "<predefined>", Value: predefined},
		{Name: "<builtin>", Value: builtin},
	}
	if text == nil {
		if p.defines != "" {
			sources = append(sources, cc.Source{Name: "<command-line>", Value: p.defines})
		}
		paths, d := p.includeFiles(name)
		if d != nil {
			return nil, vtable.Diagnostics{d}
		}
		for _, inc := range paths {
			sources = append(sources, cc.Source{Name: inc.path})
		}
	}
	src := cc.Source{Name: name}
	if text != nil {
		src.Value = text
	}
	sources = append(sources, src, cc.Source{Name: endOfInput, Value: endOfInputText})
	// The expansion bound counts every token cc/v4's preprocessor passes,
	// so a preprocessed unit (bounded in bytes already) may pass one per
	// byte on top of the macro work the bound is for.
	p.cfg.ExpansionLimit = expansionLimit + len(text)
	if text == nil {
		// A header that includes itself unconditionally makes cc/v4 nest
		// without end (seconds, hundreds of MB) until its expansion bound
		// or an internal error: say what it is, before.
		if d := includeCycle(name, p.opts.IncludeDirs); d != nil {
			return nil, vtable.Diagnostics{d}
		}
	}
	ast, err := safeTranslate(p.cfg, sources, p.budget)
	if len(p.files.problems) > 0 {
		return nil, slices.Clone(p.files.problems)
	}
	if err != nil {
		// A preprocessed unit's errors at its end stay in the
		// end-of-input source: the caller knows which declaration ends
		// it (reduction.atEnd).
		end := name
		if text != nil {
			end = ""
		}
		diags := clampPositions(atEnd(diagnostics(err, name), end), name, text)
		if text == nil {
			// A preprocessed unit's are named by leftOutReport, where
			// the unit's definitions confirm them.
			nameUnknownTypes(diags, p.files.texts)
		}
		p.files.explain(diags)
		return nil, diags
	}
	return ast, nil
}

// includeFile is an -include file as found: its path and the directory
// of the search it was found in ("" for the working directory).
type includeFile struct{ path, dir string }

// includeFiles finds the -include files as GCC does: "as if #include
// "file" appeared as the first line of the primary source file", except
// that the first directory searched is the preprocessor's working
// directory instead of the main file's; then the rest of the "..." chain
// (-iquote, -I, -isystem, the system directories). Both embedded
// preprocessors open a source by the name given, relative to the
// working directory only: -include stdio.h would be "stat stdio.h: no
// such file", and a header that needs what the file declares would fail
// on its first use of it too, with errors sorted before the one that
// says why. A file not found is one error at the header's start, and
// nothing is parsed.
func (p *Parser) includeFiles(header string) ([]includeFile, *vtable.Diagnostic) {
	var out []includeFile
	for _, inc := range p.includes {
		f, ok := p.findInclude(inc)
		if !ok {
			return nil, &vtable.Diagnostic{Pos: vtable.FileStart(header),
				Msg: fmt.Sprintf("-include %s: no such file in the working directory or the #include \"...\" search path", inc)}
		}
		out = append(out, f)
	}
	return out, nil
}

// findInclude looks one -include file up (see includeFiles).
func (p *Parser) findInclude(name string) (includeFile, bool) {
	// A file that is there but not a regular one (/dev/zero) is found,
	// so that reading it says why it is refused.
	isFile := func(path string) bool {
		st, err := p.files.Stat(path)
		return err == nil && !st.IsDir()
	}
	if filepath.IsAbs(name) {
		return includeFile{path: name}, isFile(name)
	}
	if isFile(name) {
		return includeFile{path: name}, true
	}
	for _, d := range p.cfg.IncludePaths {
		if d == "" || d == "@" {
			continue // the including file's directory: none here
		}
		if path := filepath.Join(d, name); isFile(path) {
			return includeFile{path: path, dir: d}, true
		}
	}
	return includeFile{}, false
}

// noPosition marks, in Pos.Offset, a diagnostic cc/v4 gave without a
// position (a "TODO", an internal error, a panic, a loop), reported at the
// file's start: it says nothing of which declaration failed.
const noPosition = -1

// diagnostics turns a cc/v4 error, text made of lines
// "file:line:col: message", into positioned diagnostics. A line without a
// position is reported against file.
func diagnostics(err error, file string) vtable.Diagnostics {
	var l vtable.Diagnostics
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		pos, msg, ok := splitPosition(line)
		if !ok {
			pos, msg = vtable.FileStart(file), line
			pos.Offset = noPosition
		}
		msg = stripOrigin(msg)
		if strings.HasPrefix(msg, "macro expansion limit exceeded") {
			msg = fmt.Sprintf("macro expansion limit exceeded: more than %d tokens of expansion work", expansionLimit)
		}
		l.Add(pos, "%s", msg)
	}
	return l
}

// splitPosition splits "file:line:col: message" into its position and
// message. File names and messages may themselves contain colons, so it
// takes the first ": " whose prefix ends in ":line:col" with both numeric.
func splitPosition(s string) (token.Position, string, bool) {
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], ": ")
		if j < 0 {
			break
		}
		prefix := s[:i+j]
		rest := s[i+j+2:]
		i += j + 2
		colAt := strings.LastIndexByte(prefix, ':')
		if colAt < 0 {
			continue
		}
		lineAt := strings.LastIndexByte(prefix[:colAt], ':')
		if lineAt <= 0 {
			continue
		}
		line, err1 := strconv.Atoi(prefix[lineAt+1 : colAt])
		col, err2 := strconv.Atoi(prefix[colAt+1:])
		if err1 != nil || err2 != nil || line < 1 || col < 0 {
			continue
		}
		return token.Position{Filename: prefix[:lineAt], Line: line, Column: col}, rest, true
	}
	return token.Position{}, s, false
}

// stripOrigin removes the Go source location cc/v4 appends to some
// messages, e.g. "  (scanner.go:276:newScannerSource:)", which means
// nothing to a user.
func stripOrigin(msg string) string {
	i := strings.LastIndex(msg, " (")
	if i < 0 || !strings.HasSuffix(msg, ":)") || !strings.Contains(msg[i:], ".go:") {
		return msg
	}
	return strings.TrimSpace(msg[:i])
}

// cc/v4 v4.31.0 loops forever, appending errors until memory runs out,
// when its input ends right after a '*' ("struct a { int *"), or inside a
// struct body after one ("struct { union{} A*;"): its type qualifier loop
// keeps shifting the end-of-file token. A last source with a complete,
// harmless declaration makes sure a '*' is never followed by the end of
// input; an error found in it is one at the end of the header, or of the
// last declaration of a slice of a preprocessed unit (whose kept
// declarations such a struct body may end).
const (
	endOfInput     = "<end of input>"
	endOfInputText = "\nint __vtablegen_end_of_input;\n"
)

// atEnd moves the diagnostics found in the end-of-input source to the end
// of name (unless name is ""), saying what they mean there.
func atEnd(diags vtable.Diagnostics, name string) vtable.Diagnostics {
	for _, d := range diags {
		if d.Pos.Filename != endOfInput {
			continue
		}
		if name != "" {
			d.Pos = token.Position{Filename: name, Line: 1 << 30, Column: 1 << 30} // clampPositions puts it at the end
		}
		if _, expected, ok := strings.Cut(d.Msg, ", expected "); ok {
			d.Msg = "unexpected end of file, expected " + expected
		} else {
			d.Msg = "unexpected end of file"
		}
	}
	return diags
}

// translateCPU bounds the CPU time one cc/v4 run may take, before the
// per-MiB allowance for its input: a bound the machine's load cannot
// reach (a busy machine gives the process less CPU, not more), unlike a
// wall-clock one, under which a valid 7.9 MiB header failed with three
// runs at once. cc/v4 has no way to stop a run, so a run past the bound
// is abandoned, still running on its thread: that is a cc/v4 bug (like the
// end-of-input loop above). The CPU time of cc/v4's own thread is what is
// measured (the process's where threads cannot be measured).
var translateCPU = 60 * time.Second

// translateCPUPerMiB is the further CPU time allowed per MiB of input
// (cc/v4 takes about 0.5 s per MiB of preprocessed unit here).
const translateCPUPerMiB = 5 * time.Second

// faultHook, set by tests only, runs in cc/v4's goroutine before each
// run with the sources: it stands for a cc/v4 failure of each kind (an
// error without a position it returns, a panic, a loop) on a marked
// declaration.
var faultHook func(sources []cc.Source) error

// safeTranslate is cc.Translate with a panic in cc/v4 turned into an error
// and a bound on its CPU time, so that no input makes vtablegen crash or
// hang. budget, when not 0, replaces the bound.
func safeTranslate(cfg *cc.Config, sources []cc.Source, budget time.Duration) (*cc.AST, error) {
	type result struct {
		ast *cc.AST
		err error
	}
	size := 0
	for _, s := range sources {
		if b, ok := s.Value.([]byte); ok {
			size += len(b)
		} else if str, ok := s.Value.(string); ok {
			size += len(str)
		} else if st, err := os.Stat(s.Name); err == nil {
			size += int(st.Size())
		}
	}
	if budget == 0 {
		budget = translateCPU + time.Duration(size>>20)*translateCPUPerMiB
	}
	done := make(chan result, 1)
	clock := make(chan func() time.Duration, 1)
	go func() {
		// cc/v4 runs on a thread of its own, whose CPU time is what the
		// bound measures: a run abandoned earlier (still looping), the
		// Rust front end or the build's preprocessor do not count.
		runtime.LockOSThread()
		// Unlocked when done: a goroutine that ends locked ends its
		// thread, and a build preprocessor started from that thread would
		// get its parent-death signal (Pdeathsig, see cppProcAttr) and
		// stop, as it did when cc/v4 ran on a prefix of its output while
		// it ran (speculation).
		defer runtime.UnlockOSThread()
		clock <- threadCPUClock()
		defer func() {
			if e := recover(); e != nil {
				done <- result{nil, fmt.Errorf("internal error in the C parser (cc/v4): %v", e)}
			}
		}()
		if faultHook != nil {
			if err := faultHook(sources); err != nil {
				done <- result{nil, err}
				return
			}
		}
		ast, err := cc.Translate(cfg, sources)
		done <- result{ast, err}
	}()
	used := <-clock
	start := used()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case r := <-done:
			return r.ast, r.err
		case <-tick.C:
			if used()-start > budget {
				select {
				case r := <-done: // it finished meanwhile
					return r.ast, r.err
				default:
				}
				return nil, fmt.Errorf("the C parser (cc/v4) used more than %v of CPU time without finishing; this input makes it loop, a cc/v4 bug", budget)
			}
		}
	}
}

// clampPositions keeps every position inside its file: cc/v4 reports some
// errors at end of input one column past the last line's end ("expected
// #endif"). text is the contents of name when it is not read from disk.
func clampPositions(diags vtable.Diagnostics, name string, text []byte) vtable.Diagnostics {
	files := map[string][]string{}
	for _, d := range diags {
		p := &d.Pos
		lines, ok := files[p.Filename]
		if !ok {
			src := text
			if p.Filename != name || text == nil {
				var bad *vtable.Diagnostic
				if src, bad = readRegular(p.Filename, maxUnitBytes, "file"); bad != nil {
					files[p.Filename] = nil
					continue
				}
			}
			lines = strings.Split(string(src), "\n")
			if hasLineDirective(lines) {
				// #line 100 renumbers what follows: positions past the
				// file's end are the user's own numbering, kept as is.
				lines = nil
			}
			files[p.Filename] = lines
		}
		if lines == nil || p.Line < 1 {
			continue
		}
		if p.Line > len(lines) {
			p.Line, p.Column = len(lines), len(lines[len(lines)-1])+1
		}
		p.Column = min(max(p.Column, 1), len(lines[p.Line-1])+1)
	}
	return diags
}

// hasLineDirective reports a #line directive or a GNU line marker
// (# 100 "file") among lines.
func hasLineDirective(lines []string) bool {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "#") {
			continue
		}
		t = strings.TrimSpace(t[1:])
		if strings.HasPrefix(t, "line") || t != "" && t[0] >= '0' && t[0] <= '9' {
			return true
		}
	}
	return false
}

// hostCompiler is the path of the host C compiler, looked for as cc/v4's
// NewConfig looks ($CC, cc, gcc), or "" when there is none.
func hostCompiler() string {
	for _, c := range []string{os.Getenv("CC"), "cc", "gcc"} {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	return ""
}

// checkHostFlags runs the host C compiler once, preprocessing an empty
// input with flags, so that a flag it does not know (-frobnicate) is an
// error: cc/v4's NewConfig silently drops every flag the compiler rejects
// and goes on. Without a host compiler there is nothing to ask.
func checkHostFlags(flags []string) error {
	if len(flags) == 0 {
		return nil
	}
	path := hostCompiler()
	if path == "" {
		return nil
	}
	args := append(slices.Clone(flags), "-E", "-x", "c", "-o", os.DevNull, os.DevNull)
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	if err == nil {
		return nil
	}
	msg := strings.TrimSpace(string(out))
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if msg == "" {
		msg = err.Error()
	}
	return fmt.Errorf("the host C compiler rejects the C flags %s: %s", strings.Join(flags, " "), msg)
}
