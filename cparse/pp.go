package cparse

// pp.go: vtablegen's own C preprocessor, the embedded path's fast one.
//
// cc/v4's preprocessor takes more than twice as long as gcc -E on a system
// header (sqlite3.h, fuse.h) before its parser starts, and the parser then
// reads every declaration. This one turns a header and what it includes
// into a unit like gcc -E's (line markers, each token at its line and, on
// lines no macro expanded, its column), which the preprocessed path
// reduces to the declarations the structs need (parseUnit).
//
// It follows cc/v4's preprocessor where the two could differ, so that
// both read a header alike: the same include search (Config.IncludePaths
// for "...", SysIncludePaths for <...> and #include_next), the same
// answers for __has_include, __has_builtin and __has_feature, and nothing
// else defined. It does not try to be complete: on anything it does not
// know or any error (#error, a file not found, a directive inside a
// macro's arguments, a paste that does not make a token, #line, ...) it
// gives up, and the header is read through cc/v4's preprocessor, which
// reports the problem as before. Only a header that reads without a
// problem takes this path.

import (
	"bytes"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vtablegen/vtablegen/vtable"
	"modernc.org/cc/v4"
)

type ppKind uint8

const (
	ppIdent ppKind = iota + 1
	ppNumber
	ppString // a string or character literal
	ppPunct
	ppOther
	ppPlacemarker // an empty argument next to ##
	// ppBad is a quote without its closing one on its line: harmless in
	// a skipped group, given up on where it would be written.
	ppBad
)

// pptok is a preprocessing token. file, line and col are where it is
// written: its own place for a token read from a file, the place of the
// outermost macro invocation (col 0) for one a macro produced; icol is
// the column of that invocation (its own for a token read from a file),
// where cc/v4 puts a token a macro produced.
type pptok struct {
	text  string
	kind  ppKind
	space bool // white space before it
	bol   bool // first on its line
	col   int32
	icol  int32
	line  int32
	file  int32
	hs    *hideset
}

// hideset is the set of macros a token may no longer expand (Prosser's
// algorithm), a list: a token carries few.
type hideset struct {
	name string
	next *hideset
}

func (h *hideset) has(name string) bool {
	for ; h != nil; h = h.next {
		if h.name == name {
			return true
		}
	}
	return false
}

// union returns h with the names of o added.
func (h *hideset) union(o *hideset) *hideset {
	if h == nil {
		return o // shared: a hideset is never changed
	}
	for ; o != nil; o = o.next {
		if !h.has(o.name) {
			h = &hideset{o.name, h}
		}
	}
	return h
}

// intersect returns the names in both h and o.
func (h *hideset) intersect(o *hideset) *hideset {
	var r *hideset
	for ; h != nil; h = h.next {
		if o.has(h.name) {
			r = &hideset{h.name, r}
		}
	}
	return r
}

// ppGiveUp is what the preprocessor gives up with: the header is then
// read through cc/v4's.
type ppGiveUp struct{ why string }

func (e *ppGiveUp) Error() string { return e.why }

func giveUp(format string, args ...any) {
	panic(&ppGiveUp{fmt.Sprintf(format, args...)})
}

// ppTooLarge is what the preprocessor stops with when the input would make
// it produce more bytes than its bounds allow: an error at the invocation
// that does it, which no other preprocessor is asked to read (cc/v4's
// cannot be stopped once it builds such a token, see screenBytes).
type ppTooLarge struct {
	file      string
	line, col int
	msg       string
}

func (e *ppTooLarge) Error() string { return e.msg }

func (e *ppTooLarge) diagnostic() *vtable.Diagnostic {
	return &vtable.Diagnostic{Pos: token.Position{Filename: e.file, Line: e.line, Column: e.col}, Severity: vtable.Error, Msg: e.msg}
}

// ppMacro is a macro definition.
type ppMacro struct {
	name     string
	fn       bool
	params   []string
	variadic bool // the last parameter takes the variable arguments
	body     []pptok
	special  int // __FILE__, __LINE__, ...: see expandSpecial
}

const (
	specialNone = iota
	specialFile
	specialLine
	specialCounter
	specialIncludeLevel
	specialBaseFile
	specialDate
	specialTime
)

// ppFile is a file being read: its tokens and where the reading is.
type ppFile struct {
	index int32 // in pp.names
	toks  []pptok
	i     int
	// using is the include directory the file was found in ("" when
	// not found through one), for #include_next.
	using string
	// conds is the depth of the conditional stack when the file began.
	conds int
}

// ppSource is a file read: its index in names and its tokens.
type ppSource struct {
	index int32
	toks  []pptok
}

// ppCond is one open #if group.
type ppCond struct {
	active   bool // the current branch is being read
	taken    bool // a branch was taken
	sawElse  bool
	inactive bool // the whole group is inside a skipped one
}

// preprocessor is the state of one run.
type preprocessor struct {
	p        *Parser
	macros   map[string]*ppMacro
	names    []string
	files    []*ppFile           // the include stack
	cache    map[string]ppSource // the files read, by path
	once     map[string]bool
	pushed   map[string][]*ppMacro
	conds    []ppCond
	pend     listSource // macro expansions to read before the file
	out      ppWriter
	counter  int
	argDepth int
	baseFile string
	emitting bool
	work     int
	made     int // bytes of the tokens # and ## made
	deadline time.Time
}

// Bounds on the bytes the preprocessor produces, which the work bound does
// not see: ## can double the length of one token per macro level with a
// few tokens of work each (C2(a) C(a,a) nested 30 times makes one
// identifier of 1 GiB). The longest token of the 6.12 kernel's units and
// the system headers is a few KiB (a stringized asm block); a Kbuild unit
// is about 4 MiB.
const (
	// ppMaxTokenBytes bounds one token that # or ## makes.
	ppMaxTokenBytes = 1 << 20
	// ppMaxMadeBytes bounds the bytes of all the tokens # and ## make.
	ppMaxMadeBytes = 64 << 20
	// ppMaxOutputBytes bounds the unit written.
	ppMaxOutputBytes = 64 << 20
)

// ppWorkLimit bounds the work of macro expansion, in macros expanded and
// tokens they produce, as cc/v4's bound (expansionLimit) does: past it,
// cc/v4's preprocessor answers, under its own bound, and says so.
const ppWorkLimit = 5_000_000

// ppMaxIncludeDepth is the deepest #include nesting taken.
const ppMaxIncludeDepth = 200

// ppMaxArgDepth bounds the nesting of macro invocations in the arguments
// of others, each expanded alone (recursively) before substitution.
const ppMaxArgDepth = 200

// ppInternalError starts the reason given up with on a panic.
const ppInternalError = "internal error"

// preprocessEmbedded runs the preprocessor on the header name with the
// parser's configuration and returns the unit, or an error saying why it
// gave up.
func (p *Parser) preprocessEmbedded(name string) (out []byte, spans expansionSpans, err error) {
	pp := &preprocessor{
		p:        p,
		macros:   map[string]*ppMacro{},
		cache:    map[string]ppSource{},
		once:     map[string]bool{},
		baseFile: name,
		deadline: time.Now().Add(10 * time.Second),
	}
	defer func() {
		if r := recover(); r != nil {
			if big, ok := r.(*ppTooLarge); ok {
				out, spans, err = nil, nil, big
				return
			}
			g, ok := r.(*ppGiveUp)
			if !ok {
				// A bug here must not cost the run: cc/v4's reading
				// answers. FuzzOwnPreprocessor looks for these.
				g = &ppGiveUp{fmt.Sprintf("%s: %v", ppInternalError, r)}
			}
			out, spans, err = nil, nil, g
		}
	}()
	for i, n := range []string{"__FILE__", "__LINE__", "__COUNTER__", "__INCLUDE_LEVEL__", "__BASE_FILE__", "__DATE__", "__TIME__"} {
		pp.macros[n] = &ppMacro{name: n, special: specialFile + i}
	}
	// The predefined macros, cc/v4's builtin declarations and the command
	// line only define macros: cc/v4 is given the first two itself.
	pp.run("<predefined>", p.cfg.Predefined)
	pp.run("<builtin>", cc.Builtin)
	if p.defines != "" {
		pp.run("<command-line>", p.defines)
	}
	pp.out.b = make([]byte, 0, 64<<10)
	pp.out.outLine, pp.out.spans = 1, expansionSpans{}
	pp.out.names = &pp.names
	pp.out.file = -1
	incs, d := p.includeFiles(name)
	if d != nil {
		giveUp("%s", d.Msg) // cc/v4's reading reports it
	}
	for _, inc := range incs {
		pp.includeFile(inc.path, inc.dir, nil)
		pp.loop()
	}
	pp.includeFile(name, "", nil)
	pp.loop()
	pp.out.newline()
	return pp.out.b, pp.out.spans, nil
}

// run reads a source that only defines macros (its text lines, if any,
// are not written).
func (pp *preprocessor) run(name, text string) {
	index := int32(len(pp.names))
	pp.names = append(pp.names, name)
	pp.files = append(pp.files, &ppFile{index: index, toks: lexPP([]byte(text), index), conds: len(pp.conds)})
	pp.emitting = false
	pp.loop()
	pp.emitting = true
}

// includeFile starts reading the file at path, found in directory using
// ("" if not through one); at is the #include directive's name token.
func (pp *preprocessor) includeFile(path, using string, at *pptok) {
	if len(pp.files) >= ppMaxIncludeDepth {
		giveUp("#include nested too deep")
	}
	if pp.once[path] {
		return
	}
	src, ok := pp.cache[path]
	if !ok {
		text := pp.read(path)
		src = ppSource{index: int32(len(pp.names))}
		pp.names = append(pp.names, path)
		src.toks = lexPP(text, src.index)
		pp.cache[path] = src
	}
	pp.files = append(pp.files, &ppFile{index: src.index, toks: src.toks, using: using, conds: len(pp.conds)})
	pp.out.enter(src.index, at != nil)
}

// loop reads the innermost file to its end.
func (pp *preprocessor) loop() {
	depth := len(pp.files)
	for len(pp.files) >= depth {
		t, ok := pp.next()
		if !ok {
			f := pp.files[len(pp.files)-1]
			if len(pp.conds) != f.conds {
				giveUp("unterminated #if in %s", pp.names[f.index])
			}
			pp.files = pp.files[:len(pp.files)-1]
			if len(pp.files) > 0 && len(pp.files) >= depth {
				pp.out.leave(pp.files[len(pp.files)-1].index, pp.files[len(pp.files)-1].line())
			}
			continue
		}
		if t.kind == ppPunct && t.text == "#" && t.bol && t.col > 0 {
			pp.directive(t)
			continue
		}
		if len(pp.conds) > 0 && !pp.conds[len(pp.conds)-1].active {
			pp.skipIfInactive() // (directives skip a group already)
			continue
		}
		if t.kind == ppIdent {
			if pp.expand(t, pp) {
				continue
			}
			if t.text == "_Pragma" {
				pp.pragmaOperator(pp)
				continue
			}
		}
		if t.kind == ppBad {
			giveUp("%s:%d:%d: missing terminating %c character", pp.names[max(t.file, 0)], t.line, t.col, t.text[len(t.text)-len(strings.TrimLeft(t.text, "LuU8"))])
		}
		if pp.emitting {
			pp.out.emit(t)
			if len(pp.out.b) > ppMaxOutputBytes {
				pp.tooLarge(t, "preprocessing writes more than %d bytes", ppMaxOutputBytes)
			}
		}
	}
}

// tooLarge stops the run with an error at t, the token being read from a
// file or the invocation a macro's tokens stand at.
func (pp *preprocessor) tooLarge(t pptok, format string, args ...any) {
	col := t.col
	if col == 0 {
		col = t.icol
	}
	panic(&ppTooLarge{file: pp.names[max(t.file, 0)], line: int(t.line), col: int(max(col, 1)), msg: fmt.Sprintf(format, args...)})
}

// made counts the bytes of a token # or ## made in the expansion of m at
// at, stopping the run past the bounds.
func (pp *preprocessor) madeToken(m *ppMacro, op string, t pptok, at pptok) {
	if len(t.text) > ppMaxTokenBytes {
		pp.tooLarge(at, "%s in macro %s makes a token of more than %d bytes", op, m.name, ppMaxTokenBytes)
	}
	if pp.made += len(t.text); pp.made > ppMaxMadeBytes {
		pp.tooLarge(at, "%s in macro %s: the tokens # and ## make come to more than %d bytes", op, m.name, ppMaxMadeBytes)
	}
}

// line is the line of the next token of f.
func (f *ppFile) line() int32 {
	if f.i < len(f.toks) {
		return f.toks[f.i].line
	}
	if len(f.toks) > 0 {
		return f.toks[len(f.toks)-1].line + 1
	}
	return 1
}

// tokenSource is where macro expansion reads: the file (with its pending
// expansions) or an argument being expanded alone.
type tokenSource interface {
	// next returns the next token, from a later line of the file too.
	next() (pptok, bool)
	peek() (pptok, bool)
	push(toks []pptok)
}

func (pp *preprocessor) next() (pptok, bool) {
	if t, ok := pp.pend.next(); ok {
		return t, true
	}
	t, ok := pp.fileTok()
	if ok {
		pp.files[len(pp.files)-1].i++
	}
	return t, ok
}

// peek returns the next token of the input for a function-like macro's
// '(', which may be on a later line, but not past a directive.
func (pp *preprocessor) peek() (pptok, bool) {
	if t, ok := pp.pend.peek(); ok {
		return t, true
	}
	t, ok := pp.fileTok()
	if ok && t.bol && t.kind == ppPunct && t.text == "#" {
		return pptok{}, false
	}
	return t, ok
}

// fileTok returns the next token of the innermost file, not taking it.
func (pp *preprocessor) fileTok() (pptok, bool) {
	if len(pp.files) == 0 {
		return pptok{}, false
	}
	f := pp.files[len(pp.files)-1]
	if f.i >= len(f.toks) {
		return pptok{}, false
	}
	return f.toks[f.i], true
}

func (pp *preprocessor) push(toks []pptok) { pp.pend.push(toks) }

// listSource is a token list expanded alone (a macro argument, an #if
// line).
type listSource struct {
	pend [][]pptok
}

func (l *listSource) next() (pptok, bool) {
	for len(l.pend) > 0 {
		top := l.pend[len(l.pend)-1]
		if len(top) > 0 {
			l.pend[len(l.pend)-1] = top[1:]
			return top[0], true
		}
		l.pend = l.pend[:len(l.pend)-1]
	}
	return pptok{}, false
}

func (l *listSource) peek() (pptok, bool) {
	for i := len(l.pend) - 1; i >= 0; i-- {
		if len(l.pend[i]) > 0 {
			return l.pend[i][0], true
		}
	}
	return pptok{}, false
}

func (l *listSource) push(toks []pptok) {
	if len(toks) > 0 {
		l.pend = append(l.pend, toks)
	}
}

// expandList returns toks fully macro-expanded.
func (pp *preprocessor) expandList(toks []pptok) []pptok {
	if pp.argDepth++; pp.argDepth > ppMaxArgDepth {
		giveUp("macro arguments nested more than %d deep", ppMaxArgDepth)
	}
	defer func() { pp.argDepth-- }()
	src := &listSource{}
	src.push(toks)
	var out []pptok
	for {
		t, ok := src.next()
		if !ok {
			return out
		}
		if t.kind == ppIdent && pp.expand(t, src) {
			continue
		}
		out = append(out, t)
	}
}

// expand expands the macro t names, if any, pushing its expansion back
// onto src; it reports whether it did.
func (pp *preprocessor) expand(t pptok, src tokenSource) bool {
	m := pp.macros[t.text]
	if m == nil || t.hs.has(t.text) {
		return false
	}
	pp.count(1)
	if m.special != specialNone {
		src.push([]pptok{pp.expandSpecial(m, t)})
		return true
	}
	if !m.fn {
		hs := t.hs.union(&hideset{name: m.name})
		src.push(pp.subst(m, nil, hs, t))
		return true
	}
	if n, ok := src.peek(); !ok || n.kind != ppPunct || n.text != "(" {
		return false
	}
	src.next()
	args, rparen := pp.collectArgs(m, t, src)
	hs := t.hs.intersect(rparen.hs).union(&hideset{name: m.name})
	src.push(pp.subst(m, args, hs, t))
	return true
}

// collectArgs reads the arguments of the invocation of m at t, after its
// '('.
func (pp *preprocessor) collectArgs(m *ppMacro, t pptok, src tokenSource) ([][]pptok, pptok) {
	var args [][]pptok
	var cur []pptok
	depth := 0
	for {
		a, ok := src.next()
		if !ok {
			giveUp("unterminated invocation of macro %s", m.name)
		}
		if a.bol && a.kind == ppPunct && a.text == "#" && a.col > 0 {
			giveUp("a directive inside the arguments of macro %s", m.name)
		}
		if a.kind == ppPunct {
			switch a.text {
			case "(":
				depth++
			case ")":
				if depth == 0 {
					args = append(args, cur)
					return pp.checkArgs(m, args, t), a
				}
				depth--
			case ",":
				if depth == 0 && !(m.variadic && len(args) == len(m.params)-1) {
					args = append(args, cur)
					cur = []pptok{} // present, if empty: see subst
					continue
				}
			}
		}
		cur = append(cur, a)
	}
}

// checkArgs checks the number of arguments.
func (pp *preprocessor) checkArgs(m *ppMacro, args [][]pptok, t pptok) [][]pptok {
	if len(m.params) == 0 && len(args) == 1 && len(args[0]) == 0 {
		return nil
	}
	if m.variadic && len(args) == len(m.params)-1 {
		args = append(args, nil) // no variable arguments at all
	}
	if len(args) != len(m.params) {
		giveUp("%s:%d: macro %s takes %d arguments, given %d", pp.names[max(t.file, 0)], t.line, m.name, len(m.params), len(args))
	}
	return args
}

// subst is the expansion of m with args: the body with the parameters
// replaced, # and ## applied, every token given hideset hs and the
// place of the invocation at.
func (pp *preprocessor) subst(m *ppMacro, args [][]pptok, hs *hideset, at pptok) []pptok {
	param := func(t pptok) int {
		if !m.fn || t.kind != ppIdent {
			return -1
		}
		for i, p := range m.params {
			if p == t.text {
				return i
			}
		}
		return -1
	}
	var expanded map[int][]pptok
	var out []pptok
	body := m.body
	for i := 0; i < len(body); i++ {
		t := body[i]
		if m.fn && t.kind == ppPunct && t.text == "#" && i+1 < len(body) {
			if k := param(body[i+1]); k >= 0 {
				st, ok := stringize(args[k], t.space, ppMaxTokenBytes)
				if !ok {
					pp.tooLarge(at, "# in macro %s makes a token of more than %d bytes", m.name, ppMaxTokenBytes)
				}
				out = append(out, st)
				pp.madeToken(m, "#", st, at)
				i++
				continue
			}
		}
		if t.kind == ppPunct && t.text == "##" && i+1 < len(body) && len(out) > 0 {
			next := body[i+1]
			i++
			rhs := []pptok{next}
			k := param(next)
			if k >= 0 {
				rhs = args[k]
				if m.variadic && k == len(m.params)-1 && out[len(out)-1].text == "," && out[len(out)-1].kind == ppPunct {
					// GNU: ", ## __VA_ARGS__" loses the comma when the
					// variable arguments are left out (nil), not when
					// they are there and empty, as GCC does.
					if rhs == nil {
						out = out[:len(out)-1]
					} else {
						out = append(out, rhs...)
					}
					continue
				}
			}
			if len(rhs) == 0 {
				continue
			}
			last := &out[len(out)-1]
			if last.kind == ppPlacemarker {
				sp := last.space
				out = append(out[:len(out)-1], rhs...)
				out[len(out)-len(rhs)].space = sp
				continue
			}
			if len(last.text)+len(rhs[0].text) > ppMaxTokenBytes {
				pp.tooLarge(at, "## in macro %s makes a token of more than %d bytes", m.name, ppMaxTokenBytes)
			}
			*last = paste(*last, rhs[0])
			pp.madeToken(m, "##", *last, at)
			out = append(out, rhs[1:]...)
			continue
		}
		if k := param(t); k >= 0 {
			if i+1 < len(body) && body[i+1].kind == ppPunct && body[i+1].text == "##" {
				if len(args[k]) == 0 {
					out = append(out, pptok{kind: ppPlacemarker, space: t.space})
				} else {
					n := len(out)
					out = append(out, args[k]...)
					out[n].space = t.space
				}
				continue
			}
			if expanded == nil {
				expanded = map[int][]pptok{}
			}
			e, ok := expanded[k]
			if !ok {
				e = pp.expandList(args[k])
				expanded[k] = e
			}
			if len(e) > 0 {
				n := len(out)
				out = append(out, e...)
				out[n].space = t.space
			}
			continue
		}
		if t.kind == ppIdent && t.text == "__VA_OPT__" && m.variadic {
			giveUp("__VA_OPT__ in macro %s", m.name)
		}
		out = append(out, t)
	}
	r := out[:0]
	for _, t := range out {
		if t.kind == ppPlacemarker {
			continue
		}
		t.hs = t.hs.union(hs)
		t.file, t.line, t.col, t.icol, t.bol = at.file, at.line, 0, at.icol, false
		r = append(r, t)
	}
	if len(r) > 0 {
		r[0].space = at.space
	}
	pp.count(len(r))
	return r
}

// count adds n tokens to the expansion work, giving up past its bound.
func (pp *preprocessor) count(n int) {
	if pp.work += n; pp.work > ppWorkLimit {
		giveUp("macro expansion: more than %d tokens of work", ppWorkLimit)
	}
}

// paste joins two tokens with ##; the result must be one token.
func paste(a, b pptok) pptok {
	text := a.text + b.text
	toks := lexPP([]byte(text), 0)
	if len(toks) != 1 {
		giveUp("pasting %q and %q does not give a valid preprocessing token", a.text, b.text)
	}
	t := toks[0]
	t.space, t.hs = a.space, a.hs.intersect(b.hs)
	t.file, t.line, t.col, t.icol = a.file, a.line, a.col, a.icol
	return t
}

// stringize is the # operator applied to arg; ok is false if the token
// would be longer than limit bytes.
func stringize(arg []pptok, space bool, limit int) (_ pptok, ok bool) {
	var b strings.Builder
	b.WriteByte('"')
	for i, t := range arg {
		if b.Len()+len(t.text) > limit {
			return pptok{}, false
		}
		if i > 0 && t.space {
			b.WriteByte(' ')
		}
		if t.kind == ppString {
			for j := 0; j < len(t.text); j++ {
				if c := t.text[j]; c == '"' || c == '\\' {
					b.WriteByte('\\')
				}
				b.WriteByte(t.text[j])
			}
			continue
		}
		b.WriteString(t.text)
	}
	b.WriteByte('"')
	return pptok{text: b.String(), kind: ppString, space: space}, b.Len() <= limit
}

// expandSpecial is the token __FILE__, __LINE__ and their kind stand for
// at t.
func (pp *preprocessor) expandSpecial(m *ppMacro, t pptok) pptok {
	r := pptok{kind: ppNumber, space: t.space, file: t.file, line: t.line, col: t.col, icol: t.icol, hs: t.hs}
	switch m.special {
	case specialFile:
		r.kind, r.text = ppString, strconv.Quote(pp.names[max(t.file, 0)])
	case specialLine:
		r.text = strconv.Itoa(int(t.line))
	case specialCounter:
		r.text = strconv.Itoa(pp.counter)
		pp.counter++
	case specialIncludeLevel:
		r.text = strconv.Itoa(max(len(pp.files)-1, 0))
	case specialBaseFile:
		r.kind, r.text = ppString, strconv.Quote(pp.baseFile)
	case specialDate:
		r.kind, r.text = ppString, time.Now().Format(`"Jan _2 2006"`)
	case specialTime:
		r.kind, r.text = ppString, time.Now().Format(`"15:04:05"`)
	}
	return r
}

// pragmaOperator drops _Pragma("...") from the input.
func (pp *preprocessor) pragmaOperator(src tokenSource) {
	for _, want := range []string{"(", "", ")"} {
		t, ok := src.next()
		if !ok || (want != "" && t.text != want) || (want == "" && t.kind != ppString) {
			giveUp("_Pragma without (\"...\")")
		}
	}
}

// lineRest returns the rest of the directive line of the innermost file.
func (pp *preprocessor) lineRest() []pptok {
	f := pp.files[len(pp.files)-1]
	start := f.i
	for f.i < len(f.toks) && !f.toks[f.i].bol {
		f.i++
	}
	return f.toks[start:f.i]
}

// directive carries out the directive whose '#' is hash.
func (pp *preprocessor) directive(hash pptok) {
	if time.Now().After(pp.deadline) {
		giveUp("preprocessing takes too long")
	}
	line := pp.lineRest()
	if len(line) == 0 {
		return // the null directive
	}
	name := line[0].text
	args := line[1:]
	skipping := len(pp.conds) > 0 && !pp.conds[len(pp.conds)-1].active
	switch name {
	case "if", "ifdef", "ifndef":
		if skipping {
			pp.conds = append(pp.conds, ppCond{inactive: true})
			pp.skipIfInactive()
			return
		}
		var v bool
		switch name {
		case "if":
			v = pp.evalIf(args, hash)
		case "ifdef", "ifndef":
			if len(args) == 0 || args[0].kind != ppIdent {
				giveUp("#%s without a macro name", name)
			}
			v = pp.defined(args[0].text) == (name == "ifdef")
		}
		pp.conds = append(pp.conds, ppCond{active: v, taken: v})
		pp.skipIfInactive()
		return
	case "elif", "elifdef", "elifndef", "else":
		if len(pp.conds) <= pp.files[len(pp.files)-1].conds {
			giveUp("#%s without #if", name)
		}
		c := &pp.conds[len(pp.conds)-1]
		if c.sawElse {
			giveUp("#%s after #else", name)
		}
		switch {
		case c.inactive || c.taken:
			c.active = false
		case name == "else":
			c.active = true
		case name == "elif":
			c.active = pp.evalIf(args, hash)
		default:
			if len(args) == 0 || args[0].kind != ppIdent {
				giveUp("#%s without a macro name", name)
			}
			c.active = pp.defined(args[0].text) == (name == "elifdef")
		}
		c.taken = c.taken || c.active
		c.sawElse = name == "else"
		pp.skipIfInactive()
		return
	case "endif":
		if len(pp.conds) <= pp.files[len(pp.files)-1].conds {
			giveUp("#endif without #if")
		}
		pp.conds = pp.conds[:len(pp.conds)-1]
		pp.skipIfInactive()
		return
	}
	if skipping {
		pp.skipIfInactive()
		return
	}
	switch name {
	case "define":
		pp.define(args)
	case "undef":
		if len(args) == 0 || args[0].kind != ppIdent {
			giveUp("#undef without a macro name")
		}
		delete(pp.macros, args[0].text)
	case "include", "include_next":
		pp.include(args, name == "include_next", hash)
	case "pragma":
		pp.pragma(args)
	case "ident", "sccs":
	default:
		giveUp("#%s", name)
	}
}

// skipIfInactive moves, in a skipped group, to its next directive.
func (pp *preprocessor) skipIfInactive() {
	if len(pp.conds) == 0 || pp.conds[len(pp.conds)-1].active {
		return
	}
	f := pp.files[len(pp.files)-1]
	for f.i < len(f.toks) && !(f.toks[f.i].bol && f.toks[f.i].kind == ppPunct && f.toks[f.i].text == "#") {
		f.i++
	}
}

// defined says whether name is defined, as cc/v4 answers.
func (pp *preprocessor) defined(name string) bool {
	if pp.macros[name] != nil {
		return true
	}
	switch name {
	case "__has_include", "__has_include__", "__has_include_next":
		return true
	}
	return false
}

// define carries out #define.
func (pp *preprocessor) define(args []pptok) {
	if len(args) == 0 || args[0].kind != ppIdent {
		giveUp("#define without a macro name")
	}
	m := &ppMacro{name: args[0].text}
	body := args[1:]
	if len(body) > 0 && body[0].text == "(" && !body[0].space {
		m.fn = true
		i := 1
		for ; ; i++ {
			if i >= len(body) {
				giveUp("#define %s: unterminated parameter list", m.name)
			}
			t := body[i]
			if t.text == ")" && len(m.params) == 0 {
				break
			}
			switch {
			case t.text == "...":
				m.params, m.variadic = append(m.params, "__VA_ARGS__"), true
			case t.kind == ppIdent && i+1 < len(body) && body[i+1].text == "...":
				m.params, m.variadic = append(m.params, t.text), true
				i++
			case t.kind == ppIdent:
				m.params = append(m.params, t.text)
			default:
				giveUp("#define %s: bad parameter list", m.name)
			}
			i++
			if i >= len(body) {
				giveUp("#define %s: unterminated parameter list", m.name)
			}
			if body[i].text == ")" {
				break
			}
			if body[i].text != "," || m.variadic {
				giveUp("#define %s: bad parameter list", m.name)
			}
		}
		body = body[i+1:]
	}
	m.body = make([]pptok, len(body))
	copy(m.body, body)
	for i := range m.body {
		m.body[i].bol = false
	}
	if len(m.body) > 0 {
		m.body[0].space = false
		if m.body[0].text == "##" || m.body[len(m.body)-1].text == "##" {
			giveUp("#define %s: ## at either end", m.name)
		}
	}
	if old := pp.macros[m.name]; old != nil && old.special != specialNone {
		giveUp("#define %s: redefining a builtin macro", m.name)
	}
	pp.macros[m.name] = m
}

// pragma carries out the pragmas that matter to the tokens: once and
// push_macro/pop_macro; the others are left out, as cc/v4 does.
func (pp *preprocessor) pragma(args []pptok) {
	if len(args) == 0 {
		return
	}
	switch args[0].text {
	case "once":
		pp.once[pp.names[pp.files[len(pp.files)-1].index]] = true
	case "push_macro", "pop_macro":
		if len(args) != 4 || args[1].text != "(" || args[2].kind != ppString || args[3].text != ")" {
			giveUp("#pragma %s without (\"name\")", args[0].text)
		}
		name, err := strconv.Unquote(args[2].text)
		if err != nil {
			giveUp("#pragma %s: %v", args[0].text, err)
		}
		if pp.pushed == nil {
			pp.pushed = map[string][]*ppMacro{}
		}
		if args[0].text == "push_macro" {
			pp.pushed[name] = append(pp.pushed[name], pp.macros[name])
			return
		}
		stack := pp.pushed[name]
		if len(stack) == 0 {
			return
		}
		if m := stack[len(stack)-1]; m != nil {
			pp.macros[name] = m
		} else {
			delete(pp.macros, name)
		}
		pp.pushed[name] = stack[:len(stack)-1]
	}
}

// include carries out #include and #include_next.
func (pp *preprocessor) include(args []pptok, next bool, hash pptok) {
	if len(args) == 0 {
		giveUp("#include without a file")
	}
	if args[0].kind != ppString && args[0].text != "<" {
		args = pp.expandList(args)
	}
	nm, quoted := headerName(args)
	if nm == "" {
		giveUp("#include: bad file name")
	}
	path, using, ok := pp.find(nm, quoted, next)
	if !ok {
		giveUp("include file not found: %s", nm)
	}
	pp.includeFile(path, using, &hash)
}

// headerName reads "name" or <name> from toks.
func headerName(toks []pptok) (string, bool) {
	if len(toks) == 0 {
		return "", false
	}
	if toks[0].kind == ppString {
		s := toks[0].text
		if len(toks) != 1 || len(s) < 2 || s[0] != '"' {
			return "", false
		}
		return s[1 : len(s)-1], true
	}
	if toks[0].text != "<" {
		return "", false
	}
	var b strings.Builder
	for i, t := range toks[1:] {
		if t.text == ">" {
			if i+2 != len(toks) {
				return "", false
			}
			return b.String(), false
		}
		if i > 0 && t.space {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return "", false
}

// find looks name up as cc/v4 does, returning the path and the directory
// it was found in.
func (pp *preprocessor) find(name string, quoted, next bool) (string, string, bool) {
	cfg := pp.p.cfg
	if filepath.IsAbs(name) {
		if pp.exists(name) {
			return name, "", true
		}
		return "", "", false
	}
	var dirs []string
	switch {
	case next:
		dirs = pp.nextDirs()
	case quoted:
		dirs = cfg.IncludePaths
	default:
		dirs = cfg.SysIncludePaths
	}
	cur := pp.names[pp.files[len(pp.files)-1].index]
	for _, d := range dirs {
		if d == "" || d == "@" {
			// The including file's directory, which #include_next then
			// compares with the system directories, as cc/v4 does.
			if next {
				continue
			}
			d = filepath.Clean(filepath.Dir(cur))
		}
		path := filepath.Join(d, name)
		if pp.exists(path) {
			return path, d, true
		}
	}
	return "", "", false
}

// nextDirs are the system directories after the one the current file was
// found in (all of them when it was not found in one), as cc/v4 searches
// them for #include_next.
func (pp *preprocessor) nextDirs() []string {
	r := pp.p.cfg.SysIncludePaths
	using := filepath.Clean(pp.files[len(pp.files)-1].using)
	if pp.files[len(pp.files)-1].using == "" {
		return r
	}
	for i, v := range r {
		if filepath.Clean(v) == using {
			return r[i+1:]
		}
	}
	return r
}

// read reads the header at path. The unit the preprocessor writes is
// checked as a whole (parseUnit), so the header is only checked to be a
// regular file within the size bound; anything else is left to cc/v4's
// reading, which reports it.
func (pp *preprocessor) read(path string) []byte {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxHeaderBytes {
		giveUp("%s: not a readable header", path)
	}
	text, err := os.ReadFile(path)
	if err != nil {
		giveUp("%s: %v", path, err)
	}
	// What checkSourceText reports (and cc/v4 must not see): a NUL
	// byte, bytes that are not UTF-8, a backslash ending the file. The
	// lexer gives up on a literal a backslash carries past the end.
	if bytes.IndexByte(text, 0) >= 0 || !utf8.Valid(text) {
		giveUp("%s: not UTF-8 text", path)
	}
	if _, ok := trailingBackslash(text); ok {
		giveUp("%s: ends with a backslash", path)
	}
	pp.p.files.add(path)
	if pp.p.files.texts == nil {
		pp.p.files.texts = map[string][]byte{}
	}
	pp.p.files.texts[path] = text
	return text
}

// exists reports whether path names a file the include search takes.
func (pp *preprocessor) exists(path string) bool {
	if _, ok := pp.cache[path]; ok {
		return true
	}
	st, err := pp.p.files.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// ppWriter writes the unit: each token at its line, line markers when
// the file changes or lines are far apart, and a token read from a file
// at its column.
type ppWriter struct {
	b     []byte
	names *[]string
	file  int32
	line  int32
	col   int32
	// outLine is the unit's line being written (1-based), spans the
	// columns of each of its lines that macros' expansions fill.
	outLine int
	spans   expansionSpans
}

// expansionSpans are, by line of a unit the own preprocessor wrote, the
// columns macro expansions fill and the column of the invocation of each:
// cc/v4 puts a token a macro produced at its invocation, and so does
// column (after the parse, as positions are mapped back).
type expansionSpans map[int][]colSpan

// colSpan says the columns [from, to) of a line came from a macro invoked
// at column inv.
type colSpan struct{ from, to, inv int32 }

// column returns where cc/v4 would put the token at col of the unit's
// line: its invocation's column when a macro produced it.
func (s expansionSpans) column(line, col int) int {
	for _, sp := range s[line] {
		if int32(col) >= sp.from && int32(col) < sp.to {
			return int(sp.inv)
		}
	}
	return col
}

// newline ends the unit's line being written.
func (w *ppWriter) newline() {
	w.b = append(w.b, '\n')
	w.outLine++
}

// enter starts writing file (GCC's flag 1 when included).
func (w *ppWriter) enter(file int32, included bool) {
	flag := ""
	if included {
		flag = " 1"
	}
	w.marker(file, 1, flag)
}

// leave returns to file at line.
func (w *ppWriter) leave(file, line int32) {
	w.marker(file, line, " 2")
}

func (w *ppWriter) marker(file, line int32, flag string) {
	if len(w.b) > 0 && w.b[len(w.b)-1] != '\n' {
		w.newline()
	}
	w.b = append(w.b, "# "...)
	w.b = strconv.AppendInt(w.b, int64(line), 10)
	w.b = append(w.b, ' ')
	w.b = strconv.AppendQuote(w.b, (*w.names)[file])
	w.b = append(w.b, flag...)
	w.newline()
	w.file, w.line, w.col = file, line, 1
}

func (w *ppWriter) emit(t pptok) {
	// A token read from a file goes to its column: after a macro's
	// expansion longer than its invocation, on a line of its own that a
	// marker puts at the same line.
	if t.file != w.file || t.line < w.line || t.line > w.line+8 || t.line == w.line && t.col > 0 && t.col < w.col {
		w.marker(t.file, t.line, "")
	}
	for w.line < t.line {
		w.newline()
		w.line++
		w.col = 1
	}
	switch {
	case t.col > w.col:
		for ; w.col < t.col; w.col++ {
			w.b = append(w.b, ' ')
		}
	case t.col == w.col: // right after the token before it, as written
	case w.col > 1:
		w.b = append(w.b, ' ')
		w.col++
	}
	if t.col == 0 {
		sp := w.spans[w.outLine]
		if n := len(sp); n > 0 && sp[n-1].to >= w.col-1 && sp[n-1].inv == t.icol {
			sp[n-1].to = w.col + int32(len(t.text))
		} else {
			w.spans[w.outLine] = append(sp, colSpan{w.col, w.col + int32(len(t.text)), t.icol})
		}
	}
	w.b = append(w.b, t.text...)
	w.col += int32(len(t.text))
}

// lexPP splits src into preprocessing tokens, file being its index.
func lexPP(src []byte, file int32) []pptok {
	toks := make([]pptok, 0, len(src)/32)
	str := string(src) // the tokens' texts are slices of it
	line, lineStart := int32(1), 0
	bol, space := true, false
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			i++
			line++
			lineStart = i
			bol, space = true, false
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			space = true
			continue
		case c == '\\' && i+1 < len(src) && (src[i+1] == '\n' || src[i+1] == '\r' && i+2 < len(src) && src[i+2] == '\n'):
			if src[i+1] == '\r' {
				i++
			}
			i += 2
			line++
			lineStart = i
			space = true
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				giveUp("unterminated comment")
			}
			body := src[i+2 : i+2+end]
			if n := bytes.Count(body, []byte("\n")); n > 0 {
				line += int32(n)
				lineStart = i + 2 + bytes.LastIndexByte(body, '\n') + 1
			}
			i += end + 4
			space = true
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			// To the end of the line, and of the next after a splice.
			for i < len(src) && src[i] != '\n' {
				if src[i] == '\\' && i+1 < len(src) && src[i+1] == '\n' {
					i++
					line++
					lineStart = i + 1
				}
				i++
			}
			space = true
			continue
		}
		t := pptok{space: space, bol: bol, line: line, col: int32(i-lineStart) + 1, file: file}
		t.icol = t.col
		bol, space = false, false
		start := i
		// quoted lexes the literal whose quote is at src[i]: a line
		// splice inside it is taken out of its text and counted.
		quoted := func() {
			end, ok, splices, lastNL := lexQuoted(src, i)
			t.kind = ppString
			if !ok {
				t.kind = ppBad
			}
			i = end
			if splices > 0 {
				line += int32(splices)
				lineStart = lastNL + 1
				var b []byte
				for j := start; j < end; j++ {
					if src[j] == '\\' && j+1 < end && (src[j+1] == '\n' || src[j+1] == '\r' && j+2 < end && src[j+2] == '\n') {
						j++
						if src[j] == '\r' {
							j++
						}
						continue
					}
					b = append(b, src[j])
				}
				t.text = string(b)
			}
		}
		switch {
		case isIdentStart(c):
			var prefix bool
			t.kind = ppIdent
			if i, prefix = scanIdent(src, start); prefix {
				quoted()
			}
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			i++
			for i < len(src) {
				d := src[i]
				if (d == '+' || d == '-') && (src[i-1] == 'e' || src[i-1] == 'E' || src[i-1] == 'p' || src[i-1] == 'P') {
					i++
					continue
				}
				if !isIdentChar(d) && d != '.' {
					break
				}
				i++
			}
			t.kind = ppNumber
		case c == '"' || c == '\'':
			quoted()
		default:
			i += punctLen(src[i:])
			t.kind = ppPunct
			if c >= 0x80 || c < ' ' || c == '@' || c == '`' {
				t.kind = ppOther
			}
		}
		if t.text == "" {
			t.text = str[start:i]
		}
		toks = append(toks, t)
	}
	return toks
}

// lexQuoted returns the end of the literal whose quote is at src[i],
// whether its closing quote is there (else it ends at its line's end), and
// the line splices inside it: how many, and the offset of the last one's
// newline.
func lexQuoted(src []byte, i int) (end int, ok bool, splices, lastNL int) {
	q := src[i]
	for i++; i < len(src); i++ {
		switch src[i] {
		case '\\':
			switch {
			case i+1 < len(src) && src[i+1] == '\n':
				splices, lastNL = splices+1, i+1
			case i+2 < len(src) && src[i+1] == '\r' && src[i+2] == '\n':
				splices, lastNL = splices+1, i+2
				i++
			}
			i++
		case q:
			return i + 1, true, splices, lastNL
		case '\n':
			return i, false, splices, lastNL
		}
	}
	return i, false, splices, lastNL
}

// punctLen is the length of the punctuator at the start of s.
func punctLen(s []byte) int {
	if len(s) < 2 {
		return 1
	}
	c, d := s[0], s[1]
	switch c {
	case '.':
		if d == '.' && len(s) > 2 && s[2] == '.' {
			return 3
		}
	case '<', '>':
		if d == c {
			if len(s) > 2 && s[2] == '=' {
				return 3
			}
			return 2
		}
		if d == '=' || c == '<' && (d == ':' || d == '%') {
			return 2
		}
	case '-':
		if d == '>' || d == '-' || d == '=' {
			return 2
		}
	case '+', '&', '|':
		if d == c || d == '=' {
			return 2
		}
	case '=', '!', '*', '/', '^':
		if d == '=' {
			return 2
		}
	case '#':
		if d == '#' {
			return 2
		}
	case '%':
		if d == '=' || d == '>' || d == ':' {
			return 2
		}
	case ':':
		if d == '>' {
			return 2
		}
	}
	return 1
}
