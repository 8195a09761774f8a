package libsweep

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// Step is a step of the pipeline, e.g. StepGen; a struct that went
// through all of them has none.
type Step string

// The steps, in the order they run (see the package doc).
const (
	StepStructs Step = "structs"
	StepTrait   Step = "trait"
	StepImpls   Step = "impls"
	StepGen     Step = "gen"
	StepRustc   Step = "rustc"
	StepGCC     Step = "gcc"
	StepLink    Step = "link"
	StepCheck   Step = "check"
)

// Tools are the programs the sweep runs.
type Tools struct {
	Vtablegen, GCC, Rustc, PkgConfig string
}

// Sweep runs the pipeline; its zero Jobs means one at a time.
type Sweep struct {
	Tools
	// Work is the directory each struct's project is made in, as
	// Work/<library>/<n>-<struct>.
	Work string
	// Jobs is how many structs go through the pipeline at once.
	Jobs int
	// Timeout bounds each command, e.g. 2 minutes; zero: none.
	Timeout time.Duration
	// Keep keeps each project's files; otherwise only a failed one's are
	// kept (the staticlib and the shared object never are: ~20 MB each).
	Keep bool
}

// LibraryResult is what the sweep found in one library.
type LibraryResult struct {
	Library Library
	// Missing says why the library was not swept (a module pkg-config
	// does not know, a header not installed), e.g. "no header sqlite3.h".
	Missing string
	// Headers are the headers read, resolved.
	Headers []HeaderResult
	// Structs are the library's structs, in the order of its headers and
	// their declarations.
	Structs []*StructResult
}

// HeaderResult is one header of a library.
type HeaderResult struct {
	Path string
	// Alone is "" when the header compiles alone with the library's C
	// flags and -Wall -Wextra -Werror, else gcc's first error line.
	Alone string
	// Warns is true when the header compiles alone, but only without
	// -Werror.
	Warns bool
	// Structs counts the library's structs it shows (not shown by an
	// earlier header).
	Structs int
	// Failure is `structs -json`'s failure on it: Step is StepStructs.
	Failure *StructResult
}

// StructResult is one struct through the pipeline.
type StructResult struct {
	// Header is the header the struct was read through.
	Header string
	// Struct is the name given to -struct: the typedef of the
	// definition when it has one, else the tag, else the pointer typedef
	// (what users write).
	Struct string
	// Decl is where the struct is declared, e.g. "/usr/include/sqlite3.h:7039".
	Decl string
	// Members and Funcs count the struct's members and function members
	// (anonymous members' included).
	Members, Funcs int
	// Step is the step that failed; "" when all passed (green).
	Step Step
	// Error is the first error line of the failed step.
	Error string
	// Log is the failed step's command and output (at most 8 KiB).
	Log string
	// Class is the failure's class (Classify), e.g. "absolute header path".
	Class string
	// Notes are what is reported and not fatal, e.g. a variadic member.
	Notes []string
	// Dir is the project's directory, kept when the struct failed.
	Dir string

	alone     string // the header's Alone
	warns     bool
	cFile     string // the generated C file, once gen has run
	variadics []string
}

// Green reports whether the struct went through every step.
func (r *StructResult) Green() bool { return r.Step == "" }

// cStruct is one struct of `vtablegen structs -json` (README, JSON output).
type cStruct struct {
	Name           string   `json:"name"`
	Typedef        string   `json:"typedef"`
	PointerTypedef string   `json:"pointer_typedef"`
	File           string   `json:"file"`
	Line           int      `json:"line"`
	Size           int      `json:"size"`
	Fields         []cField `json:"fields"`
}

type cField struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Type     string   `json:"type"`
	Offset   int      `json:"offset"`
	Variadic bool     `json:"variadic"`
	Fields   []cField `json:"fields"`
}

// selector is the name -struct takes for s: what a user writes.
func (s *cStruct) selector() string {
	switch {
	case s.Typedef != "":
		return s.Typedef
	case s.Name != "":
		return s.Name
	}
	return s.PointerTypedef
}

// member is a field with a place in the initializer: a named member, with
// the anonymous unions it is inside (their offsets, outermost first).
type member struct {
	cField
	unions []int // indices of the enclosing anonymous unions, in walk order
}

// members flattens fields: anonymous structs and unions are walked into.
func members(fields []cField) []member {
	var out []member
	var walk func([]cField, []int)
	n := 0
	walk = func(fs []cField, unions []int) {
		for _, f := range fs {
			switch f.Kind {
			case "struct":
				walk(f.Fields, unions)
			case "union":
				n++
				walk(f.Fields, append(slices.Clone(unions), n))
			default:
				out = append(out, member{f, unions})
			}
		}
	}
	walk(fields, nil)
	return out
}

// job is one struct to run, with what its library's steps need.
type job struct {
	lib    *Library
	flags  []string // C flags: pkg-config's, then the list's
	libs   []string // link flags
	st     cStruct
	dir    string
	result *StructResult
}

// Run sweeps libs and returns one result per library, in order.
func (s *Sweep) Run(ctx context.Context, libs []Library) []LibraryResult {
	multiarch := strings.TrimSpace(s.output(ctx, "", s.GCC, "-print-multiarch"))
	out := make([]LibraryResult, len(libs))
	var jobs []*job
	for i := range libs {
		out[i].Library = libs[i]
		jobs = append(jobs, s.prepare(ctx, &out[i], multiarch)...)
	}
	n := max(s.Jobs, 1)
	ch := make(chan *job)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				s.pipeline(ctx, j)
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
	return out
}

// prepare finds a library's flags and headers, checks that each header
// compiles alone, lists its structs, and returns one job per struct.
func (s *Sweep) prepare(ctx context.Context, lr *LibraryResult, multiarch string) []*job {
	lib := &lr.Library
	var flags, libs []string
	if len(lib.PkgConfig) > 0 {
		args := append([]string{"--cflags"}, lib.PkgConfig...)
		out, err := s.run(ctx, "", s.PkgConfig, args...)
		if err != nil {
			lr.Missing = "pkg-config " + strings.Join(lib.PkgConfig, " ") + ": " + firstLine(out)
			return nil
		}
		flags = strings.Fields(out)
		args[0] = "--libs"
		out, err = s.run(ctx, "", s.PkgConfig, args...)
		if err != nil {
			lr.Missing = "pkg-config --libs: " + firstLine(out)
			return nil
		}
		libs = strings.Fields(out)
	}
	flags = append(flags, lib.CFlags...)
	dirs := includeDirs(flags, multiarch)
	var headers []string
	for _, h := range lib.Headers {
		p := resolveHeader(h, dirs)
		if p == "" {
			lr.Missing = "no header " + h + " (package " + lib.Package + ")"
			return nil
		}
		headers = append(headers, p)
	}
	libDir := filepath.Join(s.Work, lib.Name)
	if err := os.MkdirAll(libDir, 0o755); err != nil {
		lr.Missing = err.Error()
		return nil
	}
	var jobs []*job
	seen := map[string]bool{}
	for hi, h := range headers {
		hr := HeaderResult{Path: h}
		hr.Alone, hr.Warns = s.alone(ctx, libDir, hi, h, flags)
		args := append([]string{"structs", "-json"}, flags...)
		out, err := s.run(ctx, libDir, s.Vtablegen, append(args, h)...)
		var list []cStruct
		if err == nil {
			err = json.Unmarshal([]byte(out), &list)
		}
		if err != nil {
			hr.Failure = &StructResult{Header: h, Struct: "(all)", Decl: h, Step: StepStructs,
				Error: firstError(out), Log: clip(cmdline(s.Vtablegen, append(args, h)) + "\n" + out),
				alone: hr.Alone, warns: hr.Warns}
			hr.Failure.Class = Classify(hr.Failure)
			lr.Headers = append(lr.Headers, hr)
			continue
		}
		for _, st := range list {
			decl := fmt.Sprintf("%s:%d", st.File, st.Line)
			if seen[decl] || !owns(st.File, lib.Own, headers, dirs) {
				continue
			}
			seen[decl] = true
			hr.Structs++
			ms := members(st.Fields)
			r := &StructResult{Header: h, Struct: st.selector(), Decl: decl, Members: len(ms), alone: hr.Alone, warns: hr.Warns}
			for _, m := range ms {
				if m.Kind == "func" {
					r.Funcs++
					if m.Variadic {
						r.variadics = append(r.variadics, m.Name)
					}
				}
			}
			lr.Structs = append(lr.Structs, r)
			jobs = append(jobs, &job{lib: lib, flags: flags, libs: libs, st: st, result: r,
				dir: filepath.Join(libDir, fmt.Sprintf("%03d-%s", len(lr.Structs), safeName(r.Struct)))})
		}
		lr.Headers = append(lr.Headers, hr)
	}
	return jobs
}

// alone compiles a file that includes only h, as the generated C file
// does: it returns gcc's first error line ("" when it compiles) and whether
// it compiles when warnings are not errors.
func (s *Sweep) alone(ctx context.Context, dir string, n int, h string, flags []string) (string, bool) {
	src := filepath.Join(dir, fmt.Sprintf("alone%d.c", n))
	if err := os.WriteFile(src, []byte("#include \""+h+"\"\n"), 0o644); err != nil {
		return err.Error(), false
	}
	args := append([]string{"-Wall", "-Wextra", "-Werror", "-fsyntax-only"}, flags...)
	out, err := s.run(ctx, dir, s.GCC, append(args, src)...)
	if err == nil {
		return "", false
	}
	_, err2 := s.run(ctx, dir, s.GCC, append(append([]string{"-fsyntax-only"}, flags...), src)...)
	return firstError(out), err2 == nil
}

var safeRx = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

func safeName(s string) string { return safeRx.ReplaceAllString(s, "_") }

// The impls the harness writes: name, and which of the trait's methods
// (by index) it defines.
var impls = []struct {
	name string
	has  func(i int) bool
}{
	{"SweepNone", func(int) bool { return false }},
	{"SweepAll", func(int) bool { return true }},
	{"SweepEveryOther", func(i int) bool { return i%2 == 0 }},
}

// snake is the impl's name as the default naming spells it in C names
// ({impl}, README: the binding file).
func snake(s string) string {
	var b strings.Builder
	for i, c := range s {
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

// pipeline runs one struct through steps 1 to 7, stopping at the first
// that fails.
func (s *Sweep) pipeline(ctx context.Context, j *job) {
	r := j.result
	defer func() {
		if r.Step != "" {
			r.Class = Classify(r)
		}
		if r.Step == "" && !s.Keep {
			os.RemoveAll(j.dir)
		} else {
			r.Dir = j.dir
		}
	}()
	for _, v := range r.variadics {
		r.Notes = append(r.Notes, "variadic member "+v+": no method, NULL in every impl")
	}
	if err := os.MkdirAll(j.dir, 0o755); err != nil {
		r.fail(StepTrait, err.Error(), "")
		return
	}
	fail := func(step Step, args []string, out string) {
		r.fail(step, firstError(out), clip(cmdline(args[0], args[1:])+"\n"+out))
	}

	// 1. The trait file and the starter binding file.
	args := append([]string{s.Vtablegen, "trait", "-header", r.Header, "-struct", r.Struct, "-o", j.dir}, j.flags...)
	out, err := s.run(ctx, j.dir, args[0], args[1:]...)
	if err != nil {
		fail(StepTrait, args, out)
		return
	}
	r.notes(out)
	traits, _ := filepath.Glob(filepath.Join(j.dir, "*_trait.rs"))
	if len(traits) != 1 {
		r.fail(StepTrait, fmt.Sprintf("trait wrote %d trait files", len(traits)), out)
		return
	}
	src, err := os.ReadFile(traits[0])
	if err != nil {
		r.fail(StepTrait, err.Error(), "")
		return
	}

	// 2. The impls.
	tr, err := parseTrait(string(src))
	if err != nil {
		r.fail(StepImpls, err.Error(), "")
		return
	}
	ms := members(j.st.Fields)
	byName := map[string]member{}
	for _, m := range ms {
		byName[m.Name] = m
	}
	chosen := make([]map[string]bool, len(impls)) // impl -> C member -> filled
	var rs strings.Builder
	rs.WriteString("// The impls of the library sweep: no method, every method, every other one.\n")
	for k, im := range impls {
		chosen[k] = map[string]bool{}
		unions := map[int]bool{}
		fmt.Fprintf(&rs, "\npub struct %s;\n\n#[vtable]\nimpl %s for %s {\n", im.name, tr.name, im.name)
		for i, m := range tr.methods {
			if !im.has(i) {
				continue
			}
			cm, ok := byName[m.member]
			if !ok {
				r.fail(StepImpls, fmt.Sprintf("method %s fills %q, which is no member of %s", m.name, m.member, r.Struct), "")
				return
			}
			// C can hold one alternative of an anonymous union: fill the
			// first the subset reaches, leave the others.
			if slices.ContainsFunc(cm.unions, func(u int) bool { return unions[u] }) {
				continue
			}
			for _, u := range cm.unions {
				unions[u] = true
			}
			chosen[k][m.member] = true
			fmt.Fprintf(&rs, "    %s%s {\n        %s\n    }\n", m.attrs, m.sig, m.body())
		}
		rs.WriteString("}\n")
	}
	if err := os.WriteFile(filepath.Join(j.dir, "sweep_impls.rs"), []byte(rs.String()), 0o644); err != nil {
		r.fail(StepImpls, err.Error(), "")
		return
	}

	// 3. gen, with the binding file trait wrote.
	args = []string{s.Vtablegen, "gen"}
	out, err = s.run(ctx, j.dir, args[0], args[1:]...)
	if err != nil {
		fail(StepGen, args, out)
		return
	}
	r.notes(out)
	gen := filepath.Join(j.dir, "gen")
	cFiles, _ := filepath.Glob(filepath.Join(gen, "*.c"))
	rsFiles, _ := filepath.Glob(filepath.Join(gen, "*.rs"))
	if len(cFiles) != 1 {
		r.fail(StepGen, fmt.Sprintf("gen wrote %d C files", len(cFiles)), out)
		return
	}
	r.cFile = cFiles[0]

	// 4. The Rust side: every generated file in one crate, each impl's
	// VTABLE evaluated.
	var lib strings.Builder
	lib.WriteString("// The library sweep's crate: the trait and the impls expanded, and the vtable.\n")
	var vtMod, vtType string
	for _, f := range rsFiles {
		fmt.Fprintf(&lib, "include!(%q);\n", f)
		text, _ := os.ReadFile(f)
		if m := vtableRx.FindSubmatch(text); m != nil {
			vtType = string(m[1])
			if mm := modRx.FindSubmatch(text); mm != nil {
				vtMod = string(mm[1])
			}
		}
	}
	if vtMod == "" || vtType == "" {
		r.fail(StepGen, "gen wrote no Rust VTABLE (no `pub const VTABLE: T =` in a mod)", out)
		return
	}
	for _, im := range impls {
		fmt.Fprintf(&lib, "const _: %s::%s = %s::Vtable::<%s>::VTABLE;\n", vtMod, vtType, vtMod, im.name)
	}
	libRS := filepath.Join(j.dir, "lib.rs")
	if err := os.WriteFile(libRS, []byte(lib.String()), 0o644); err != nil {
		r.fail(StepRustc, err.Error(), "")
		return
	}
	staticlib := filepath.Join(j.dir, "libsweep.a")
	defer os.Remove(staticlib)
	args = []string{s.Rustc, "--edition", "2021", "--crate-type", "staticlib", "--crate-name", "sweep", "-o", staticlib, libRS}
	if out, err := s.run(ctx, j.dir, args[0], args[1:]...); err != nil {
		fail(StepRustc, args, out)
		return
	}

	// 5. The C side, compiled from a copy of the project at another depth.
	moved := filepath.Join(j.dir, "elsewhere", "a", "b", "gen")
	if err := os.MkdirAll(moved, 0o755); err != nil {
		r.fail(StepGCC, err.Error(), "")
		return
	}
	c := filepath.Join(moved, filepath.Base(r.cFile))
	if err := copyFile(r.cFile, c); err != nil {
		r.fail(StepGCC, err.Error(), "")
		return
	}
	obj := filepath.Join(j.dir, "vtable.o")
	args = append([]string{s.GCC, "-Wall", "-Wextra", "-Werror", "-fPIC"}, j.flags...)
	args = append(args, "-c", "-o", obj, c)
	if out, err := s.run(ctx, moved, args[0], args[1:]...); err != nil {
		fail(StepGCC, args, out)
		return
	}

	// 6. Linked: every symbol resolved.
	so := filepath.Join(j.dir, "sweep.so")
	defer os.Remove(so)
	args = []string{s.GCC, "-shared", "-o", so, obj, staticlib}
	args = append(args, j.libs...)
	args = append(args, "-Wl,--no-undefined", "-lgcc_s", "-lutil", "-lrt", "-lpthread", "-lm", "-ldl", "-lc")
	if out, err := s.run(ctx, j.dir, args[0], args[1:]...); err != nil {
		fail(StepLink, args, out)
		return
	}

	// 7. Each initializer holds its impl's callbacks, NULL elsewhere.
	inits, err := initializers(r.cFile)
	if err == nil {
		var problems []string
		for k, im := range impls {
			sym, ok := inits[im.name]
			if !ok {
				problems = append(problems, fmt.Sprintf("%s defines no initializer for impl %s", filepath.Base(r.cFile), im.name))
				continue
			}
			// The callback of a method is {impl}_{member}, the default
			// naming (README: the binding file).
			want := map[int]slot{}
			for _, m := range ms {
				if m.Kind != "func" {
					continue
				}
				if chosen[k][m.Name] {
					want[m.Offset] = slot{m.Name, snake(im.name) + "_" + m.Name}
				} else if _, ok := want[m.Offset]; !ok {
					want[m.Offset] = slot{m.Name, ""}
				}
			}
			problems = append(problems, checkInitializer(obj, sym, j.st.Size, want)...)
		}
		if len(problems) > 0 {
			r.fail(StepCheck, problems[0], strings.Join(problems, "\n"))
		}
	} else {
		r.fail(StepCheck, err.Error(), "")
	}
}

var (
	vtableRx = regexp.MustCompile(`pub const VTABLE: (\w+) =`)
	modRx    = regexp.MustCompile(`(?m)^pub mod (\w+) \{`)
)

func (r *StructResult) fail(step Step, first, log string) {
	r.Step, r.Error, r.Log = step, first, log
}

// notes keeps the warnings of a step that passed.
func (r *StructResult) notes(out string) {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, ": warning: ") && !strings.Contains(l, "variadic") {
			r.Notes = append(r.Notes, l)
		}
	}
}

// run runs a command in dir and returns its combined output.
func (s *Sweep) run(ctx context.Context, dir, name string, args ...string) (string, error) {
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	if ctx.Err() != nil {
		return b.String() + fmt.Sprintf("\ntimeout: %s did not finish in %v", filepath.Base(name), s.Timeout), ctx.Err()
	}
	return b.String(), err
}

func (s *Sweep) output(ctx context.Context, dir, name string, args ...string) string {
	out, _ := s.run(ctx, dir, name, args...)
	return out
}

func cmdline(name string, args []string) string {
	return "$ " + filepath.Base(name) + " " + strings.Join(args, " ")
}

var errorRx = regexp.MustCompile(`(?i)(\berror\b|fatal|undefined reference|timeout:)`)

// firstError is the first line of out that says error, else its first line.
func firstError(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if errorRx.MatchString(l) {
			return strings.TrimSpace(l)
		}
	}
	return firstLine(out)
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

func clip(s string) string {
	if len(s) > 8<<10 {
		return s[:8<<10] + "\n..."
	}
	return s
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}
