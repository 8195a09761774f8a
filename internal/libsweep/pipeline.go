package libsweep

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
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
	// Also are the classes of the step's other errors (Also).
	Also []string
	// Notes are what is reported and not fatal, e.g. a variadic member.
	Notes []string
	// Dir is the project's directory, kept when the struct failed.
	Dir string

	alone     string // the header's Alone
	warns     bool
	cFile     string // the generated C file, once gen has run
	variadics []string
	types     map[string]string // function member: its C type
	// includeFound: the header reads when its -include files are given by
	// absolute path.
	includeFound bool
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
		out, stderr, err := s.runSplit(ctx, libDir, s.Vtablegen, append(args, h)...)
		var list []cStruct
		if err == nil {
			err = json.Unmarshal([]byte(out), &list)
		}
		if err != nil {
			hr.Failure = &StructResult{Header: h, Struct: "(header)", Decl: h, Step: StepStructs,
				Error: firstError(stderr), Log: clip(cmdline(s.Vtablegen, append(args, h)) + "\n" + stderr + out),
				alone: hr.Alone, warns: hr.Warns}
			// To classify, not to go on: does the header read when each
			// -include names its file by the path gcc finds it at?
			if abs, ok := absIncludes(flags, dirs); ok {
				probe := append(append([]string{"structs", "-json"}, abs...), h)
				if _, _, err := s.runSplit(ctx, libDir, s.Vtablegen, probe...); err == nil {
					hr.Failure.includeFound = true
					hr.Failure.Log += "\n(it reads with " + strings.Join(abs, " ") + ")"
				}
			}
			hr.Failure.Class = Classify(hr.Failure)
			lr.Headers = append(lr.Headers, hr)
			continue
		}
		for _, st := range list {
			decl := fmt.Sprintf("%s:%d", st.File, st.Line)
			if seen[decl] || !owns(st.File, lib.Own, headers, dirs) || lib.Only != nil && !lib.Only[st.selector()] {
				continue
			}
			seen[decl] = true
			hr.Structs++
			ms := members(st.Fields)
			r := &StructResult{Header: h, Struct: st.selector(), Decl: decl, Members: len(ms), alone: hr.Alone, warns: hr.Warns}
			r.types = map[string]string{}
			for _, m := range ms {
				if m.Kind == "func" {
					r.types[m.Name] = m.Type
					r.Funcs++
					if m.Variadic {
						r.variadics = append(r.variadics, m.Name)
					}
				}
			}
			lr.Structs = append(lr.Structs, r)
			jobs = append(jobs, &job{flags: flags, libs: libs, st: st, result: r,
				dir: filepath.Join(libDir, fmt.Sprintf("%03d-%s", len(lr.Structs), safeName(r.Struct)))})
		}
		if hr.Structs == 0 && hr.Alone != "" && !hr.Warns {
			// Nothing of the header reached the pipeline, and gcc cannot
			// read it alone: what vtablegen did not see is this failure.
			hr.Failure = &StructResult{Header: h, Struct: "(header)", Decl: h, Step: StepStructs,
				Error: hr.Alone, Log: "gcc -fsyntax-only: " + hr.Alone, alone: hr.Alone}
			hr.Failure.Class = Classify(hr.Failure)
		}
		lr.Headers = append(lr.Headers, hr)
	}
	found := map[string]bool{}
	for _, r := range lr.Structs {
		found[r.Struct] = true
	}
	for _, name := range slices.Sorted(maps.Keys(lib.Only)) {
		if !found[name] {
			r := &StructResult{Header: headers[0], Struct: name, Decl: lib.Pos, Step: StepStructs,
				Error: fmt.Sprintf("the list names struct %s, which structs -json does not show in the library's headers", name)}
			r.Class = Classify(r)
			lr.Structs = append(lr.Structs, r)
		}
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
			r.Also = Also(r)
		}
		if r.Step == "" && !s.Keep {
			os.RemoveAll(j.dir)
		} else {
			r.Dir = j.dir
		}
		// The staticlib and the shared object are ~20 MB each.
		os.Remove(filepath.Join(j.dir, "libsweep.a"))
		os.Remove(filepath.Join(j.dir, "sweep.so"))
	}()
	for _, v := range r.variadics {
		r.Notes = append(r.Notes, "variadic member "+v+": no method, NULL in every impl")
	}
	if err := os.MkdirAll(j.dir, 0o755); err != nil {
		r.fail(StepTrait, err.Error(), "")
		return
	}
	p := &project{Sweep: s, job: j, r: r}
	for _, step := range []func(context.Context) bool{p.writeTrait, p.impls, p.gen, p.rustc, p.gcc, p.link, p.check} {
		if !step(ctx) {
			return
		}
	}
}

// project is one struct's directory as the steps fill it.
type project struct {
	*Sweep
	*job
	r       *StructResult
	tr      *trait
	members []member
	chosen  []map[string]bool // by impl: the C members its methods fill
	rsFiles []string          // the Rust files gen wrote
	vtMod   string            // the module of the Rust VTABLE, e.g. "sqlite3_module_vtable"
	vtType  string            // the struct it builds, e.g. "sqlite3_module"
	obj     string
}

// exec runs a step's command in the project; on failure it records the
// step, the first error line and the log, and returns false.
func (p *project) exec(ctx context.Context, step Step, dir string, args ...string) (string, bool) {
	out, err := p.run(ctx, dir, args[0], args[1:]...)
	if err != nil {
		p.r.fail(step, firstError(out), clip(cmdline(args[0], args[1:])+"\n"+out))
		return out, false
	}
	return out, true
}

// failed records a failure of step that is no command's.
func (p *project) failed(step Step, err error) bool {
	p.r.fail(step, err.Error(), "")
	return false
}

// writeTrait is step 1: the trait file and the starter binding file.
func (p *project) writeTrait(ctx context.Context) bool {
	args := append([]string{p.Vtablegen, "trait", "-header", p.r.Header, "-struct", p.r.Struct, "-o", p.dir}, p.flags...)
	out, ok := p.exec(ctx, StepTrait, p.dir, args...)
	if !ok {
		return false
	}
	p.r.notes(out)
	files, _ := filepath.Glob(filepath.Join(p.dir, "*_trait.rs"))
	if len(files) != 1 {
		p.r.fail(StepTrait, fmt.Sprintf("trait wrote %d trait files", len(files)), out)
		return false
	}
	src, err := os.ReadFile(files[0])
	if err != nil {
		return p.failed(StepTrait, err)
	}
	if p.tr, err = parseTrait(string(src)); err != nil {
		return p.failed(StepImpls, err)
	}
	return true
}

// impls is step 2: sweep_impls.rs, one impl per entry of impls, each
// method's signature copied from the trait file.
func (p *project) impls(context.Context) bool {
	p.members = members(p.st.Fields)
	byName := map[string]member{}
	for _, m := range p.members {
		byName[m.Name] = m
	}
	var rs strings.Builder
	rs.WriteString("// The impls of the library sweep: no method, every method, every other one.\n")
	for _, im := range impls {
		chosen, unions := map[string]bool{}, map[int]bool{}
		fmt.Fprintf(&rs, "\npub struct %s;\n\n#[vtable]\nimpl %s for %s {\n", im.name, p.tr.name, im.name)
		for i, m := range p.tr.methods {
			if !im.has(i) {
				continue
			}
			cm, ok := byName[m.member]
			if !ok {
				return p.failed(StepImpls, fmt.Errorf("method %s fills %q, which is no member of %s", m.name, m.member, p.r.Struct))
			}
			// C can hold one alternative of an anonymous union: fill the
			// first the subset reaches, leave the others.
			if slices.ContainsFunc(cm.unions, func(u int) bool { return unions[u] }) {
				continue
			}
			for _, u := range cm.unions {
				unions[u] = true
			}
			chosen[m.member] = true
			fmt.Fprintf(&rs, "    %s%s {\n        %s\n    }\n", m.attrs, m.sig, m.body())
		}
		rs.WriteString("}\n")
		p.chosen = append(p.chosen, chosen)
	}
	if err := os.WriteFile(filepath.Join(p.dir, "sweep_impls.rs"), []byte(rs.String()), 0o644); err != nil {
		return p.failed(StepImpls, err)
	}
	return true
}

// gen is step 3: vtablegen gen with the binding file trait wrote.
func (p *project) gen(ctx context.Context) bool {
	args := []string{p.Vtablegen, "gen"}
	out, ok := p.exec(ctx, StepGen, p.dir, args...)
	if !ok {
		return false
	}
	p.r.notes(out)
	gen := filepath.Join(p.dir, "gen")
	cFiles, _ := filepath.Glob(filepath.Join(gen, "*.c"))
	p.rsFiles, _ = filepath.Glob(filepath.Join(gen, "*.rs"))
	if len(cFiles) != 1 {
		p.r.fail(StepGen, fmt.Sprintf("gen wrote %d C files", len(cFiles)), out)
		return false
	}
	p.r.cFile = cFiles[0]
	for _, f := range p.rsFiles {
		text, _ := os.ReadFile(f)
		if m := vtableRx.FindSubmatch(text); m != nil {
			p.vtType = string(m[1])
			if mm := modRx.FindSubmatch(text); mm != nil {
				p.vtMod = string(mm[1])
			}
		}
	}
	if p.vtMod == "" || p.vtType == "" {
		// gen says why in a warning: the first that says so is the error.
		first := "gen wrote no Rust VTABLE (no `pub const VTABLE: T =` in a mod)"
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "not generated") {
				first = l
				break
			}
		}
		p.r.fail(StepGen, first, clip(cmdline(args[0], args[1:])+"\n"+out))
		p.r.Notes = slices.DeleteFunc(p.r.Notes, func(n string) bool { return strings.Contains(n, "not generated") })
		return false
	}
	return true
}

// rustc is step 4: every Rust file gen wrote in one crate, each impl's
// VTABLE evaluated, built by plain rustc into a staticlib.
func (p *project) rustc(ctx context.Context) bool {
	var lib strings.Builder
	lib.WriteString("// The library sweep's crate: the trait and the impls expanded, and the vtable.\n")
	for _, f := range p.rsFiles {
		rel, _ := filepath.Rel(p.dir, f)
		fmt.Fprintf(&lib, "include!(%q);\n", rel)
	}
	for _, im := range impls {
		fmt.Fprintf(&lib, "const _: %s::%s = %s::Vtable::<%s>::VTABLE;\n", p.vtMod, p.vtType, p.vtMod, im.name)
	}
	libRS := filepath.Join(p.dir, "lib.rs")
	if err := os.WriteFile(libRS, []byte(lib.String()), 0o644); err != nil {
		return p.failed(StepRustc, err)
	}
	_, ok := p.exec(ctx, StepRustc, p.dir, p.Rustc, "--edition", "2021", "--crate-type", "staticlib",
		"--crate-name", "sweep", "-o", filepath.Join(p.dir, "libsweep.a"), libRS)
	return ok
}

// gcc is step 5: the C file compiled with -Wall -Wextra -Werror and the
// library's flags, from a copy of the project at another depth, as
// another checkout of a project that commits it builds it.
func (p *project) gcc(ctx context.Context) bool {
	moved := filepath.Join(p.dir, "elsewhere", "a", "b", "gen")
	if err := os.MkdirAll(moved, 0o755); err != nil {
		return p.failed(StepGCC, err)
	}
	c := filepath.Join(moved, filepath.Base(p.r.cFile))
	if err := copyFile(p.r.cFile, c); err != nil {
		return p.failed(StepGCC, err)
	}
	p.obj = filepath.Join(p.dir, "vtable.o")
	args := append([]string{p.GCC, "-Wall", "-Wextra", "-Werror", "-fPIC"}, p.flags...)
	_, ok := p.exec(ctx, StepGCC, moved, append(args, "-c", "-o", p.obj, c)...)
	return ok
}

// link is step 6: the object, the staticlib and the library in a shared
// object that may leave no symbol undefined.
func (p *project) link(ctx context.Context) bool {
	args := []string{p.GCC, "-shared", "-o", filepath.Join(p.dir, "sweep.so"), p.obj, filepath.Join(p.dir, "libsweep.a")}
	args = append(args, p.libs...)
	args = append(args, "-Wl,--no-undefined", "-lgcc_s", "-lutil", "-lrt", "-lpthread", "-lm", "-ldl", "-lc")
	_, ok := p.exec(ctx, StepLink, p.dir, args...)
	return ok
}

// check is step 7: in the object, each impl's initializer holds its
// callbacks, {impl}_{member} by the default naming (README: the binding
// file), at its members' offsets, and zero everywhere else.
func (p *project) check(context.Context) bool {
	inits, err := initializers(p.r.cFile)
	if err != nil {
		return p.failed(StepCheck, err)
	}
	var problems []string
	for k, im := range impls {
		sym, ok := inits[im.name]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s defines no initializer for impl %s", filepath.Base(p.r.cFile), im.name))
			continue
		}
		want := map[int]slot{}
		for _, m := range p.members {
			if m.Kind != "func" {
				continue
			}
			if p.chosen[k][m.Name] {
				want[m.Offset] = slot{m.Name, snake(im.name) + "_" + m.Name}
			} else if _, ok := want[m.Offset]; !ok {
				want[m.Offset] = slot{m.Name, ""}
			}
		}
		problems = append(problems, checkInitializer(p.obj, sym, p.st.Size, want)...)
	}
	if len(problems) > 0 {
		p.r.fail(StepCheck, problems[0], strings.Join(problems, "\n"))
		return false
	}
	return true
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

// runSplit runs a command in dir and returns its standard output and
// standard error apart.
func (s *Sweep) runSplit(ctx context.Context, dir, name string, args ...string) (string, string, error) {
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ctx.Err() != nil {
		e.WriteString(fmt.Sprintf("\ntimeout: %s did not finish in %v", filepath.Base(name), s.Timeout))
		return o.String(), e.String(), ctx.Err()
	}
	return o.String(), e.String(), err
}

func (s *Sweep) output(ctx context.Context, dir, name string, args ...string) string {
	out, _ := s.run(ctx, dir, name, args...)
	return out
}

func cmdline(name string, args []string) string {
	return "$ " + filepath.Base(name) + " " + strings.Join(args, " ")
}

var errorRx = regexp.MustCompile(`(?i)(\berror\b|fatal|undefined reference)|^timeout: `)

// firstError is the first line of out that says error, else its first
// line; a diagnostic of -json (README: JSON output) is put in gcc's form.
func firstError(out string) string {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		var d struct {
			File              string
			Line, Column      int
			Severity, Message string
		}
		if strings.HasPrefix(l, `{"file"`) && json.Unmarshal([]byte(l), &d) == nil {
			lines[i] = fmt.Sprintf("%s:%d:%d: %s: %s", d.File, d.Line, d.Column, d.Severity, d.Message)
		}
	}
	for _, l := range lines {
		if errorRx.MatchString(l) {
			return strings.TrimSpace(l)
		}
	}
	return firstLine(strings.Join(lines, "\n"))
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

// absIncludes returns flags with each relative -include FILE replaced by
// the file in dirs, and whether there was one.
func absIncludes(flags, dirs []string) ([]string, bool) {
	out := slices.Clone(flags)
	changed := false
	for i, f := range out {
		if f != "-include" || i+1 == len(out) || filepath.IsAbs(out[i+1]) {
			continue
		}
		if p := resolveHeader(out[i+1], dirs); p != "" {
			out[i+1], changed = p, true
		}
	}
	return out, changed
}
