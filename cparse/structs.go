package cparse

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"modernc.org/cc/v4"
	mtoken "modernc.org/token"

	"github.com/vtablegen/vtablegen/vtable"
)

// Parse reads the header file name, through the embedded preprocessor
// (vtablegen's own, see parseOwnPreprocessor, else cc/v4's) or, when the
// options name one, the build's, and returns the unit: in the
// order they are defined, the structs that hold a function-pointer member
// (at their top level or inside an anonymous struct or union member),
// those of the headers it includes too, and the files read. Problems in
// the input are returned as positioned diagnostics; when they hold an
// error the unit is nil.
func (p *Parser) Parse(name string) (*vtable.CUnit, vtable.Diagnostics) {
	if d := checkReadable(p.path(name), name); d != nil {
		return nil, vtable.Diagnostics{d}
	}
	if len(p.opts.Cpp) > 0 {
		spec := newSpeculation(p, p.path(name), p.opts.Dir)
		var watch func([]byte)
		if spec != nil {
			watch = spec.watch
		}
		out, diags := p.preprocess(name, watch)
		if diags.HasErrors() {
			spec.result(nil)
			return nil, diags
		}
		if cu, diags, ok := spec.result(out); ok {
			return cu, diags
		}
		return p.parseUnit(p.path(name), out, p.opts.Dir)
	}
	if cu, diags, ok := p.parseOwnPreprocessor(name); ok {
		return cu, diags
	}
	if d := p.screenBytes(name); d != nil {
		return nil, vtable.Diagnostics{d}
	}
	ast, diags := p.translate(name, nil)
	if p.freestanding {
		diags.Note(vtable.FileStart(name),
			"no host C compiler found: read with vtablegen's own freestanding headers and GNU C macros for linux/%s", runtime.GOARCH)
	}
	if diags.HasErrors() {
		if cu, fd, ok := p.hostFallback(name, diags); ok {
			return cu, fd
		}
		return nil, diags
	}
	structs := collectWith(ast, nil, newCondFiles(p.files.texts))
	// cc/v4's offsets are those of the texts without comments.
	setPosOffsets(structs, p.files.raw)
	return &vtable.CUnit{Structs: structs, Files: slices.Clone(p.files.order), IncludeDirs: p.includeDirs()}, diags
}

// includeDirs are the directories the embedded preprocessor searches for
// #include <...>, in order.
func (p *Parser) includeDirs() []string {
	if p.cfg == nil {
		return nil
	}
	return slices.Clone(p.cfg.SysIncludePaths)
}

// ownPreprocessor says whether the embedded path tries vtablegen's own
// preprocessor (pp.go) before cc/v4's; tests turn it off to compare, and
// VTABLEGEN_OWN_CPP=off in the environment turns it off for a run.
var ownPreprocessor = true

// OwnPreprocessorEnv is the environment variable that, set to "off",
// keeps the embedded path to cc/v4's preprocessor and parser.
const OwnPreprocessorEnv = "VTABLEGEN_OWN_CPP"

// parseOwnPreprocessor reads name through vtablegen's own preprocessor and
// the preprocessed path, which parses only the declarations the structs
// need: several times faster than cc/v4's preprocessor and parser on a
// system header. It gives way (ok false) to cc/v4's reading, which then
// reports as before, on anything it does not take, on any error or
// warning, and on any declaration the preprocessed path would leave out:
// only a header that reads cleanly takes it.
func (p *Parser) parseOwnPreprocessor(name string) (*vtable.CUnit, vtable.Diagnostics, bool) {
	<-p.ready
	if !ownPreprocessor || os.Getenv(OwnPreprocessorEnv) == "off" || p.cfgErr != nil || p.freestanding {
		return nil, nil, false
	}
	p.files.reset()
	out, spans, err := p.preprocessEmbedded(name)
	p.screened = true
	if big, ok := err.(*ppTooLarge); ok {
		return nil, vtable.Diagnostics{big.diagnostic()}, true
	}
	if err != nil || len(p.files.problems) > 0 {
		return nil, nil, false
	}
	files, texts := slices.Clone(p.files.order), p.files.texts
	p.condTexts, p.unitSpans = texts, spans
	defer func() { p.condTexts, p.unitSpans = nil, nil }()
	cu, diags := p.parseUnit(name, out, "")
	if cu == nil {
		return nil, nil, false
	}
	for _, d := range diags {
		if d.Severity != vtable.Verbose || strings.Contains(d.Msg, "left out a declaration") || strings.Contains(d.Msg, "do not parse alone") {
			return nil, nil, false
		}
	}
	cu.Files, cu.IncludeDirs = files, p.includeDirs()
	setPosOffsets(cu.Structs, texts)
	// As cc/v4's reading of a header that has no problem: no notes.
	return cu, nil, true
}

// screenBytes runs vtablegen's own preprocessor over name, unless it has
// just read it, only to find an input that makes preprocessing produce more
// bytes than its bounds (ppMaxTokenBytes and the others) and return the
// error at the invocation that does it; it returns nil for anything else,
// which cc/v4's reading then reports. cc/v4's preprocessor bounds its work
// in tokens, not bytes, and builds a pasted token whole before any check
// (cpp.glue), so an input like ## doubling one token 30 times takes it to
// gigabytes, and a run of cc/v4 cannot be stopped from outside: the
// input must not reach it.
func (p *Parser) screenBytes(name string) *vtable.Diagnostic {
	<-p.ready
	screened := p.screened
	p.screened = false
	if screened || p.cfgErr != nil {
		return nil
	}
	p.files.reset()
	_, _, err := p.preprocessEmbedded(name)
	if big, ok := err.(*ppTooLarge); ok {
		return big.diagnostic()
	}
	return nil
}

// setPosOffsets sets the byte offsets of the structs' and members'
// positions from the headers' texts as read: a line map gives none, and
// cc/v4's are those of the texts without comments.
func setPosOffsets(structs []*vtable.Struct, texts map[string][]byte) {
	lines := map[string][]int{}
	set := func(pos *token.Position) {
		ls, ok := lines[pos.Filename]
		if !ok {
			if text, ok := texts[pos.Filename]; ok {
				ls = lineOffsets(text)
			}
			lines[pos.Filename] = ls
		}
		if pos.Line >= 1 && pos.Line <= len(ls) && pos.Column >= 1 {
			pos.Offset = ls[pos.Line-1] + pos.Column - 1
		}
	}
	var members func(ms []*vtable.Member)
	members = func(ms []*vtable.Member) {
		for _, m := range ms {
			set(&m.Pos)
			members(m.Fields)
		}
	}
	for _, st := range structs {
		set(&st.Pos)
		members(st.Members)
	}
}

// hostFallback reads name again through the host compiler's preprocessor
// and the preprocessed path (reduction, declarations cc/v4 rejects left
// out) when cc/v4's own run failed on a type GCC has and cc/v4 does not
// (_Float16 in <immintrin.h>, reached from SDL's headers), on a construct
// it has not implemented ("TODO ..."), or without saying where (an
// internal error, a panic, a loop): one such declaration must not cost
// the unit, and the preprocessed path finds it (by bisection when there
// is no position). ok is false when that does not apply or the
// second reading fails too; the first diagnostics then stand.
func (p *Parser) hostFallback(name string, first vtable.Diagnostics) (*vtable.CUnit, vtable.Diagnostics, bool) {
	if p.freestanding {
		return nil, nil, false
	}
	unsupported := ""
	for _, d := range first {
		if d.Severity == vtable.Error && (strings.Contains(d.Msg, " not supported on ") || strings.HasPrefix(d.Msg, "TODO ") ||
			strings.HasPrefix(d.Msg, "internal error") || strings.HasPrefix(d.Msg, "the C parser (cc/v4) used more than")) {
			unsupported = d.Msg
			break
		}
	}
	if unsupported == "" {
		return nil, nil, false
	}
	cc := hostCompiler()
	if cc == "" {
		return nil, nil, false
	}
	q := *p
	q.opts.Cpp = []string{cc, "-E"}
	out, diags := q.preprocess(name, nil)
	if diags.HasErrors() {
		return nil, nil, false
	}
	cu, diags := q.parseUnit(p.path(name), out, p.opts.Dir)
	if diags.HasErrors() {
		return nil, nil, false
	}
	diags.Note(vtable.FileStart(name), "cc/v4 cannot read everything here (%s): read through %s -E instead, leaving out the declarations cc/v4 rejects", unsupported, filepath.Base(cc))
	return cu, diags, true
}

// ParsePreprocessed is Parse for a unit the build's preprocessor has
// already run on, such as the FILE.i of "make M=dir FILE.i" with Kbuild.
// The unit is first reduced to its type declarations (see reduce.go), so
// that the GCC extensions of function bodies and object declarations do
// not stop it, and positions are mapped back through the unit's line
// markers to the original headers; the files read are those the markers
// name.
func (p *Parser) ParsePreprocessed(name string) (*vtable.CUnit, vtable.Diagnostics) {
	if d := checkReadable(name, name); d != nil {
		return nil, vtable.Diagnostics{d}
	}
	if st, err := os.Stat(name); err == nil && st.Mode().IsRegular() && st.Size() > maxUnitBytes { // reported without reading it
		return nil, vtable.Diagnostics{tooLarge(name, st.Size(), maxUnitBytes, false)}
	}
	src, d := readRegular(name, maxUnitBytes, "preprocessed unit")
	if d != nil {
		return nil, vtable.Diagnostics{d}
	}
	return p.parseUnit(name, src, "")
}

// path is name as the preprocessor's working directory sees it.
func (p *Parser) path(name string) string {
	if len(p.opts.Cpp) > 0 && p.opts.Dir != "" && !filepath.IsAbs(name) {
		return filepath.Join(p.opts.Dir, name)
	}
	return name
}

// parseUnit parses src, a preprocessed unit named name whose line markers
// name files relative to dir.
func (p *Parser) parseUnit(name string, src []byte, dir string) (*vtable.CUnit, vtable.Diagnostics) {
	if len(src) > maxUnitBytes {
		return nil, vtable.Diagnostics{tooLarge(name, int64(len(src)), maxUnitBytes, false)}
	}
	// The line map and the checks run on the other core while the unit
	// is reduced and sliced; cc/v4 sees nothing before the checks pass.
	type lineInfo struct {
		lm    *lineMap
		lines []int
	}
	lineInfoC := make(chan lineInfo, 1)
	go func() { lineInfoC <- lineInfo{newLineMap(name, src, dir), lineOffsets(src)} }()
	r := reduce(src)
	checked := make(chan *vtable.Diagnostic, 1)
	go func(toks []ctok) { checked <- checkSource(name, src, maxUnitBytes, false, toks) }(r.toks)
	r.compact() // a new token slice: the check keeps the old one
	var notes vtable.Diagnostics
	// Only the declarations the wanted structs need are parsed, or, for
	// every struct, those the structs and unions that may hold a
	// function pointer need (about 4% of a Kbuild unit): each time
	// sliced again from the kept declarations, so that one cc/v4
	// rejects, left out, takes what needs it along.
	var slice func() []int
	var idx []int
	sliced := "the structs and unions that may hold a function pointer"
	if len(p.opts.Structs) > 0 {
		sliced = strings.Join(p.opts.Structs, ", ")
		var ok bool
		if idx, ok = r.slice(src, p.opts.Structs); ok {
			slice = func() []int { idx, _ := r.slice(src, p.opts.Structs); return idx }
		}
	} else {
		slice = func() []int { return r.funcSlice(src) }
		idx = slice()
	}
	// Without a slice (a wanted struct the unit does not define), every
	// kept declaration.
	pick := func() []int {
		if slice != nil {
			return slice()
		}
		r.analyzeKept(src)
		all := make([]int, len(r.kept))
		for i := range all {
			all[i] = i
		}
		return all
	}
	if slice == nil {
		idx = pick()
	}
	li := <-lineInfoC
	lm, lines := li.lm, li.lines
	if d := <-checked; d != nil {
		d.Pos = lm.pos(d.Pos)
		return nil, vtable.Diagnostics{d}
	}
	// The conditional directives around the members of the structs and
	// unions the slice defines are read from their headers on the other
	// core while cc/v4 parses (collect annotates the members with them);
	// a file not prefetched is read when needed.
	prefetch := make(chan condFiles, 1)
	go func(files []string) {
		cf := newCondFiles(p.condTexts)
		for _, f := range files {
			cf.indexOf(f)
		}
		prefetch <- cf
	}(r.bodyFiles(idx, lines, lm))
	lr := &leftOutReport{r: r, src: src, lines: lines, name: name, wanted: p.opts.Structs, mapPos: lm.pos}
	if r.cut != nil {
		lr.report(&notes, r.cut, lr.pos(int(r.cut[0].start)), "left out a declaration the unit ends inside", "the unit ends inside its declaration")
	}
	for retry := 0; ; retry++ {
		if retry > 0 {
			idx = pick()
		}
		text := r.render(name, idx)
		ast, diags := p.translate(name, text)
		r.atEnd(diags, idx, name, lines)
		if !diags.HasErrors() {
			notes = append(notes, reductionNote(name, r, retry))
			if slice != nil {
				notes = append(notes, &vtable.Diagnostic{Pos: vtable.FileStart(name), Severity: vtable.Verbose,
					Msg: fmt.Sprintf("parsed only the declarations %s need (%d bytes of %d)", sliced, len(text), len(src))})
			}
			for _, d := range append(notes, diags...) {
				d.Pos = lm.pos(d.Pos)
			}
			if notes.HasErrors() { // a wanted struct left out
				return nil, append(notes, diags...)
			}
			pos := lm.pos
			if spans := p.unitSpans; spans != nil {
				pos = func(q token.Position) token.Position {
					q.Column = spans.column(q.Line, q.Column)
					return lm.pos(q)
				}
			}
			return &vtable.CUnit{Structs: collectWith(ast, pos, <-prefetch), Files: lm.files()}, append(notes, diags...)
		}
		// Leave out the declaration cc/v4 rejects and try again, unless
		// the error is outside the kept declarations or too many are
		// rejected. The slice's #line directives keep the unit's
		// positions.
		d := diags[0]
		k := r.keptOf(d, name, lines)
		if k < 0 && retry < maxRejected {
			// No position in a kept declaration: an error cc/v4 gives
			// without one, a panic or a loop. Find the declaration by
			// bisection.
			if k = p.bisect(name, r, lines, idx); k >= 0 {
				s := r.kept[k]
				at := token.Position{Filename: name, Line: lineOf(lines, s.start), Column: 1}
				lr.report(&notes, r.toks[s.first:s.last], at, "left out a declaration cc/v4 fails on without saying where (found by bisection): "+d.Msg,
					"cc/v4 fails on its declaration without saying where (found by bisection): "+d.Msg)
				r.drop(k)
				// And what needs it complete, which cc/v4 would take
				// with a member of unknown size.
				for _, dep := range r.dropDependents(s) {
					needs := fmt.Sprintf("needs the one left out at %s", lm.pos(at))
					lr.report(&notes, r.toks[dep.first:dep.last], token.Position{Filename: name, Line: lineOf(lines, dep.start), Column: 1},
						"left out a declaration that "+needs, "its declaration "+needs)
				}
				continue
			}
		}
		if k >= 0 && slice != nil && !p.failsAfterAll(name, r, lines, k) {
			// The declaration parses after every one before it: what the
			// slice left out was needed (an analysis slip, not cc/v4's
			// rejection). The whole unit, once.
			notes.Note(d.Pos, "the declarations %s need do not parse alone (%s), though all of the unit up to there does; parsing every declaration", sliced, d.Msg)
			slice = nil
			continue
		}
		if k < 0 && slice != nil {
			// Nothing in the slice to blame: the whole unit, once.
			notes.Note(d.Pos, "the declarations %s need do not parse alone (%s); parsing every declaration", sliced, d.Msg)
			slice = nil
			continue
		}
		if k < 0 || retry >= maxRejected {
			for _, d := range append(notes, diags...) {
				d.Pos = lm.pos(d.Pos)
			}
			return nil, append(notes, diags...)
		}
		lr.rejected(&notes, k, d)
	}
}

// bisectCPU bounds the CPU time of each cc/v4 run of a bisection, before
// its per-MiB allowance: shorter than a whole run's bound, since a run
// that loops costs that much at each step that keeps the culprit.
var bisectCPU = 5 * time.Second

// bisect finds the kept declaration of r that makes cc/v4 fail without a
// position in a kept declaration (an error without one, a panic, a loop),
// among the declarations idx (indexes into r.kept, in order): the
// declarations of a unit come in order of use, so the smallest prefix of
// them that fails ends with it. It returns its index in r.kept, or -1.
func (p *Parser) bisect(name string, r *reduction, lines []int, idx []int) int {
	q := *p
	fails := func(m int) bool {
		text := r.render(name, idx[:m])
		q.budget = bisectCPU + time.Duration(len(text)>>20)*translateCPUPerMiB
		_, diags := q.translate(name, text)
		for _, d := range diags {
			if d.Severity != vtable.Error {
				continue
			}
			if r.keptOf(d, name, lines) < 0 {
				return true
			}
		}
		return false
	}
	lo, hi := 0, len(idx) // fails(hi), !fails(lo)
	if hi == 0 || !fails(hi) || fails(lo) {
		return -1
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return idx[hi-1]
}

// failsAfterAll reports whether cc/v4 rejects the kept declaration k of r
// after every kept declaration before it, as a parse of the whole unit
// would: a slice's rejection of it is then cc/v4's, not the slice's.
func (p *Parser) failsAfterAll(name string, r *reduction, lines []int, k int) bool {
	prefix := make([]int, k+1)
	for i := range prefix {
		prefix[i] = i
	}
	_, diags := p.translate(name, r.render(name, prefix))
	r.atEnd(diags, prefix, name, lines)
	for _, d := range diags {
		if d.Severity == vtable.Error && r.keptOf(d, name, lines) == k {
			return true
		}
	}
	return false
}

// atEnd puts the errors cc/v4 found at the end of its input (see
// endOfInput) at the end of the last of the kept declarations idx it
// read, which the input ended inside: it is the one to leave out.
func (r *reduction) atEnd(diags vtable.Diagnostics, idx []int, name string, lines []int) {
	for _, d := range diags {
		if d.Pos.Filename != endOfInput || len(idx) == 0 {
			continue
		}
		end := r.kept[idx[len(idx)-1]].end - 1
		line := lineOf(lines, end)
		d.Pos = token.Position{Filename: name, Line: line, Column: end - lines[line-1] + 1}
	}
}

// lineOf is the 1-based line of offset off, given the lines' offsets.
func lineOf(lines []int, off int) int {
	i := sort.SearchInts(lines, off+1)
	return max(i, 1)
}

// maxRejected bounds how many declarations of a preprocessed unit may be
// left out because cc/v4 rejects them; each costs a parse of the unit.
const maxRejected = 20

// reductionNote says what reducing the unit left out.
func reductionNote(name string, r *reduction, rejected int) *vtable.Diagnostic {
	var parts []string
	for _, kind := range []string{"function definition", "declaration", "static assertion", "asm", "stray semicolon"} {
		if n := r.dropped[kind]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %ss", n, kind))
		}
	}
	if rejected > 0 {
		parts = append(parts, fmt.Sprintf("%d declarations cc/v4 rejects (listed)", rejected))
	}
	msg := "reduced to type declarations"
	if len(parts) > 0 {
		msg += ": left out " + strings.Join(parts, ", ")
	}
	return &vtable.Diagnostic{Pos: vtable.FileStart(name), Severity: vtable.Verbose, Msg: msg}
}

// lineOffsets returns the byte offset at which each line of src starts.
func lineOffsets(src []byte) []int {
	offs := []int{0}
	for i, c := range src {
		if c == '\n' {
			offs = append(offs, i+1)
		}
	}
	return offs
}

// checkReadable reports a file, at path, that cannot be read at its first
// line, so that the message keeps the file:line:col form; shown is the
// name the user gave.
func checkReadable(path, shown string) *vtable.Diagnostic {
	name := shown
	st, err := os.Stat(path)
	if err == nil && st.IsDir() {
		err = fmt.Errorf("is a directory")
	}
	if err != nil {
		return fileDiag(name, err)
	}
	if d := regular(name, st); d != nil {
		return d
	}
	f, err := os.Open(path) // permission to read
	if err != nil {
		return fileDiag(name, err)
	}
	f.Close()
	return nil
}

func fileDiag(name string, err error) *vtable.Diagnostic {
	if pe, ok := err.(*os.PathError); ok {
		err = pe.Err
	}
	return &vtable.Diagnostic{Pos: vtable.FileStart(name), Msg: err.Error()}
}

// collector gathers the structs of a translation unit in definition order.
type collector struct {
	mapPos func(token.Position) token.Position
	out    []*vtable.Struct
	// layouts are the size and alignment, by "struct tag", of the
	// structs laid out again (fixLayout) because cc/v4's layout of them
	// is not GCC's.
	layouts map[string][2]int64
	// aliases are the typedefs declared for struct tags apart from their
	// definitions, by tag (see alias).
	aliases map[string]string
	// typedefs are the syntax of the unit's typedefs, which member types
	// are read through (see declSyntax).
	typedefs typedefSyntax
}

// collect returns the structs of ast that hold a function-pointer member.
// mapPos, when not nil, maps every position (for preprocessed units).
func collect(ast *cc.AST, mapPos func(token.Position) token.Position) []*vtable.Struct {
	return collectWith(ast, mapPos, newCondFiles(nil))
}

// collectWith is collect with the conditional structure of the headers
// read from cf (prefetched, or from the texts the embedded preprocessor
// read).
func collectWith(ast *cc.AST, mapPos func(token.Position) token.Position, cf condFiles) []*vtable.Struct {
	c := &collector{mapPos: mapPos, typedefs: newTypedefSyntax(ast)}
	for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		ed := tu.ExternalDeclaration
		if ed == nil || ed.Case != cc.ExternalDeclarationDecl || ed.Declaration == nil {
			continue
		}
		d := ed.Declaration
		enumTag := ""
		var enum *cc.EnumSpecifier
		for ds := d.DeclarationSpecifiers; ds != nil; ds = ds.DeclarationSpecifiers {
			if su := structSpecifier(ds.TypeSpecifier); su != nil {
				c.define(su, typedefNames(d))
				c.alias(su, d)
			}
			if ts := ds.TypeSpecifier; ts != nil && ts.Case == cc.TypeSpecifierEnum && ts.EnumSpecifier != nil && ts.EnumSpecifier.EnumeratorList != nil {
				tok := ts.EnumSpecifier.Token2
				enumTag, enum = tok.SrcStr(), ts.EnumSpecifier
			}
			if ds.Case == cc.DeclarationSpecifiersAttr && enumTag != "" {
				c.enumMode(enumTag, enum, ds.AttributeSpecifierList)
			}
		}
	}
	for _, s := range c.out {
		if s.Typedef == "" && s.Tag != "" {
			s.Typedef = vtable.CIdent(c.aliases[string(s.Tag)])
		}
		cf.annotate(s)
	}
	return c.out
}

// alias records the typedef d declares for a struct tag without defining
// it ("typedef struct _GSourceFuncs GSourceFuncs;"), the first one of each
// tag.
func (c *collector) alias(su *cc.StructOrUnionSpecifier, d *cc.Declaration) {
	if su.Case != cc.StructOrUnionSpecifierTag || su.StructOrUnion.Case != cc.StructOrUnionStruct {
		return
	}
	tag := su.Token.SrcStr()
	if name := typedefNames(d).direct; name != "" && tag != "" && c.aliases[tag] == "" {
		if c.aliases == nil {
			c.aliases = map[string]string{}
		}
		c.aliases[tag] = name
	}
}

// define records the struct su defines, if it defines one with a function
// pointer member; names are the typedefs of its declaration.
func (c *collector) define(su *cc.StructOrUnionSpecifier, names typedefs) {
	if su.Case != cc.StructOrUnionSpecifierDef {
		return
	}
	members := c.members(su.StructDeclarationList)
	if su.StructOrUnion.Case != cc.StructOrUnionStruct {
		c.unionLayout(su)
		return
	}
	s := &vtable.Struct{
		Tag:            vtable.CIdent(su.Token.SrcStr()),
		Typedef:        vtable.CIdent(names.direct),
		PointerTypedef: vtable.CIdent(names.pointer),
		Pos:            c.pos(su.Position()),
		Members:        members,
	}
	s.Name = s.Tag
	if s.Name == "" {
		s.Name = s.Typedef
	}
	if st, ok := su.Type().(*cc.StructType); ok && !st.IsIncomplete() {
		s.Size, s.Align = st.Size(), int64(st.Align())
		packed, aligned := attributesAfter(su)
		packed = packed || attributesBefore(su)
		alignAfter(s, aligned)
		setOffsets(st, s.Members)
		c.packedAnon(su.StructDeclarationList)
		if st.Kind() == cc.Struct && fixLayout(st, s, packed, aligned, c.layouts, memberAttrs(su.StructDeclarationList)) && s.Tag != "" {
			// Structs that hold this one by value are laid out with
			// its right size and alignment.
			if c.layouts == nil {
				c.layouts = map[string][2]int64{}
			}
			c.layouts["struct "+string(s.Tag)] = [2]int64{s.Size, s.Align}
		}
	}
	if (s.Name != "" || s.PointerTypedef != "") && len(s.FuncMembers()) > 0 {
		c.out = append(c.out, s)
	}
}

// unionLayout remembers the layout of a union packed by an attribute
// (before its tag or after its brace), which cc/v4 v4.31.0 does not apply,
// or holding a member laid out again (a packed struct without a tag, as
// in union ceph_mds_request_args): its largest member's size, alignment 1
// when packed (else its members'), or what aligned says, for the structs
// that hold it by value.
func (c *collector) unionLayout(su *cc.StructOrUnionSpecifier) {
	c.packedAnon(su.StructDeclarationList)
	packed, aligned := attributesAfter(su)
	packed = packed || attributesBefore(su)
	tok := su.Token
	tag := tok.SrcStr()
	ut, ok := su.Type().(*cc.UnionType)
	if tag == "" || !ok || ut.IsIncomplete() {
		return
	}
	size, align, used, _, ok := unionMembers(ut, c.layouts)
	if !ok || !packed && !used {
		return
	}
	if packed {
		align = 1
	}
	align = max(align, aligned)
	if c.layouts == nil {
		c.layouts = map[string][2]int64{}
	}
	c.layouts["union "+tag] = [2]int64{roundUp(size, align), align}
}

// unionMembers returns the size of the largest member of ut and the
// largest alignment of its members, each as laid out again where known
// has it (used says one was), whether a member is a bitfield, and false
// when a member's layout is unknown.
func unionMembers(ut *cc.UnionType, known map[string][2]int64) (size, align int64, used, bits, ok bool) {
	align = 1
	for i := 0; i < ut.NumFields(); i++ {
		f := ut.FieldByIndex(i)
		if f == nil {
			return 0, 0, false, false, false
		}
		bits = bits || f.IsBitfield()
		fs, fa := f.Type().Size(), int64(f.Type().Align())
		if ks, ka, found := knownLayout(f.Type(), known); found {
			fs, fa, used = ks, ka, true
		}
		if fs < 0 || fa < 1 {
			return 0, 0, false, false, false
		}
		size, align = max(size, fs), max(align, fa)
	}
	return size, align, used, bits, true
}

// enumMode remembers the size of an enum that an attribute after its body
// makes smaller than int, which cc/v4 v4.31.0 does not apply, for the
// structs that hold one: a mode ("enum netfs_io_origin {...}
// __mode(byte);"), or packed ("enum rw_hint {...} __packed;"), which GCC
// lays out in the smallest integer type that holds every value of the
// enum.
func (c *collector) enumMode(tag string, enum *cc.EnumSpecifier, l *cc.AttributeSpecifierList) {
	for ; l != nil; l = l.AttributeSpecifierList {
		if l.AttributeSpecifier == nil {
			continue
		}
		for v := l.AttributeSpecifier.AttributeValueList; v != nil; v = v.AttributeValueList {
			av := v.AttributeValue
			if av == nil {
				continue
			}
			var size int64
			switch strings.Trim(av.Token.SrcStr(), "_") {
			case "mode":
				if av.ArgumentExpressionList == nil {
					continue
				}
				arg := strings.Trim(strings.TrimSpace(cc.NodeSource(av.ArgumentExpressionList.AssignmentExpression)), "_")
				size = map[string]int64{"byte": 1, "QI": 1, "HI": 2, "SI": 4, "DI": 8, "word": 8, "pointer": 8}[arg]
			case "packed":
				size = packedEnumSize(enum)
			}
			if size == 0 {
				continue
			}
			if c.layouts == nil {
				c.layouts = map[string][2]int64{}
			}
			c.layouts["enum "+tag] = [2]int64{size, size}
		}
	}
}

// packedEnumSize returns the size GCC gives a packed enum: the smallest
// of 1, 2, 4 and 8 bytes whose integer type, unsigned when no value is
// negative, holds every value; 0 when a value is unknown.
func packedEnumSize(enum *cc.EnumSpecifier) int64 {
	var lo, hi int64
	var uhi uint64
	for l := enum.EnumeratorList; l != nil; l = l.EnumeratorList {
		if l.Enumerator == nil {
			continue
		}
		switch x := l.Enumerator.Value().(type) {
		case cc.Int64Value:
			lo, hi = min(lo, int64(x)), max(hi, int64(x))
			if x > 0 {
				uhi = max(uhi, uint64(x))
			}
		case cc.UInt64Value:
			uhi = max(uhi, uint64(x))
			if uint64(x) <= 1<<63-1 {
				hi = max(hi, int64(x))
			} else {
				hi = 1<<63 - 1
			}
		default:
			return 0
		}
	}
	if lo >= 0 {
		switch {
		case uhi <= 0xff:
			return 1
		case uhi <= 0xffff:
			return 2
		case uhi <= 0xffffffff:
			return 4
		}
		return 8
	}
	for _, size := range []int64{1, 2, 4} {
		bits := uint(size*8 - 1)
		if lo >= -(1<<bits) && hi < 1<<bits {
			return size
		}
	}
	return 8
}

func (c *collector) pos(p mtoken.Position) token.Position {
	q := token.Position{Filename: p.Filename, Offset: p.Offset, Line: p.Line, Column: p.Column}
	if c.mapPos != nil {
		q = c.mapPos(q)
	}
	return q
}

// structSpecifier returns the struct or union specifier of ts, if it is one.
func structSpecifier(ts *cc.TypeSpecifier) *cc.StructOrUnionSpecifier {
	if ts == nil || ts.Case != cc.TypeSpecifierStructOrUnion {
		return nil
	}
	return ts.StructOrUnionSpecifier
}

// typedefs are the names a typedef declaration gives the struct it
// defines: direct names the struct itself ("typedef struct {...} T;"),
// pointer a pointer to it ("typedef struct {...} *P;"), the first of each.
type typedefs struct{ direct, pointer string }

// typedefNames returns the names d declares when d is a typedef, as in
// "typedef struct { ... } T, *P;", and none otherwise. Arrays, functions
// and pointers to pointers name neither.
func typedefNames(d *cc.Declaration) typedefs {
	var t typedefs
	isTypedef := false
	for ds := d.DeclarationSpecifiers; ds != nil; ds = ds.DeclarationSpecifiers {
		if sc := ds.StorageClassSpecifier; sc != nil && sc.Case == cc.StorageClassSpecifierTypedef {
			isTypedef = true
		}
	}
	if !isTypedef {
		return t
	}
	for l := d.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
		if l.InitDeclarator == nil || l.InitDeclarator.Declarator == nil {
			continue
		}
		dd := l.InitDeclarator.Declarator
		if dd.DirectDeclarator == nil || dd.DirectDeclarator.Case != cc.DirectDeclaratorIdent {
			continue
		}
		switch {
		case dd.Pointer == nil && t.direct == "":
			t.direct = dd.Name()
		case dd.Pointer != nil && dd.Pointer.Pointer == nil && t.pointer == "":
			t.pointer = dd.Name()
		}
	}
	return t
}

// members converts a struct body, member by member in declaration order.
// A tagged struct defined inside it has file scope in C and is recorded as
// a struct of its own too.
func (c *collector) members(l *cc.StructDeclarationList) []*vtable.Member {
	var out []*vtable.Member
	for ; l != nil; l = l.StructDeclarationList {
		sd := l.StructDeclaration
		if sd == nil || sd.Case != cc.StructDeclarationDecl {
			continue
		}
		baseQuals, lost := "", false
		var anon *cc.StructOrUnionSpecifier
		for sq := sd.SpecifierQualifierList; sq != nil; sq = sq.SpecifierQualifierList {
			if q := sq.TypeQualifier; q != nil && q.Case != cc.TypeQualifierRestrict {
				baseQuals += qualifierWord(q)
			}
			lost = lost || opaqueSpecifier(sq.TypeSpecifier)
			if su := structSpecifier(sq.TypeSpecifier); su != nil && su.Case == cc.StructOrUnionSpecifierDef {
				anon = su
				if su.Token.SrcStr() != "" {
					c.define(su, typedefs{})
				}
			}
		}
		if sd.StructDeclaratorList == nil {
			// An anonymous struct or union member: its fields belong to
			// the enclosing struct.
			if anon == nil {
				continue
			}
			m := &vtable.Member{Kind: vtable.AnonStruct, Pos: c.pos(anon.Position()), Fields: c.members(anon.StructDeclarationList)}
			m.Type = "struct {...}"
			if anon.StructOrUnion.Case == cc.StructOrUnionUnion {
				m.Kind, m.Type = vtable.AnonUnion, "union {...}"
			}
			out = append(out, m)
			continue
		}
		for dl := sd.StructDeclaratorList; dl != nil; dl = dl.StructDeclaratorList {
			d := dl.StructDeclarator.Declarator
			if d == nil {
				continue // an unnamed bitfield, padding only
			}
			m := c.member(d, baseQuals, lost)
			m.BitField = dl.StructDeclarator.ConstantExpression != nil
			out = append(out, m)
		}
	}
	return out
}

// member converts one named struct member, declared by d after
// specifiers with the qualifiers base (lost when they hold a typeof).
func (c *collector) member(d *cc.Declarator, base string, lost bool) *vtable.Member {
	t := d.Type()
	syn := memberSyntax(d, base, lost, c.typedefs)
	m := &vtable.Member{
		Name:  vtable.CIdent(d.Name()),
		Kind:  vtable.Data,
		Type:  declare(t, "", syn),
		CType: structure(t, syn),
		Pos:   c.pos(d.NameTok().Position()),
	}
	if pt, ok := t.(*cc.PointerType); ok {
		if ft, ok := pt.Elem().(*cc.FunctionType); ok {
			m.Kind = vtable.Func
			_, _, fsyn, _ := syn.level(t)
			m.Func = funcType(ft, fsyn)
		}
	}
	return m
}

// funcType describes the function type a function-pointer member points
// to, with s the syntax of that level of the member's type.
func funcType(ft *cc.FunctionType, s *declSyntax) *vtable.FuncType { return funcTypeDepth(ft, s, 0) }

func funcTypeDepth(ft *cc.FunctionType, s *declSyntax, depth int) *vtable.FuncType {
	_, _, result, params := s.level(ft)
	f := &vtable.FuncType{Result: declare(ft.Result(), "", result), Variadic: ft.IsVariadic(),
		ResultType: structureDepth(ft.Result(), result, depth+1)}
	for i, p := range parameters(ft) {
		name := p.Name()
		ps := paramSyntax(ft, params, i)
		f.Params = append(f.Params, vtable.Param{
			Name:  vtable.CIdent(name),
			Type:  declare(p.Type(), "", ps),
			Decl:  declare(p.Type(), name, ps),
			CType: structureDepth(p.Type(), ps, depth+1),
		})
	}
	return f
}

// qualifierWord spells a const, volatile or restrict qualifier with a
// trailing blank, and anything else (an attribute, _Atomic) as "".
func qualifierWord(q *cc.TypeQualifier) string {
	if q == nil {
		return ""
	}
	switch q.Case {
	case cc.TypeQualifierConst:
		return "const "
	case cc.TypeQualifierVolatile:
		return "volatile "
	case cc.TypeQualifierRestrict:
		return "restrict "
	}
	return ""
}

// setOffsets sets the offset of each member from cc/v4's layout of st:
// the fields of anonymous members are found by name through them, as C
// names them, and an anonymous member is where its first field is. It
// returns the offset of the first member it placed.
func setOffsets(st *cc.StructType, ms []*vtable.Member) (first int64, ok bool) {
	return placeMembers(fieldOffsets(st), ms)
}

// placeMembers is setOffsets with the offsets by name.
func placeMembers(offsets map[string]int64, ms []*vtable.Member) (first int64, ok bool) {
	for _, m := range ms {
		var off int64
		var found bool
		if m.Kind == vtable.AnonStruct || m.Kind == vtable.AnonUnion {
			off, found = placeMembers(offsets, m.Fields)
		} else {
			off, found = offsets[string(m.Name)]
		}
		if found {
			m.Offset = off
			if !ok {
				first, ok = off, true
			}
		}
	}
	return first, ok
}

// fieldOffsets returns the offset in t of every field C names through
// it: its own and, through its anonymous struct and union members, theirs
// (C allows no name twice among them), a bitfield at the byte its first
// bit is in. It walks the fields once, where cc/v4's FieldByName builds
// the whole map again for each name found through an anonymous member.
func fieldOffsets(t cc.Type) map[string]int64 {
	out := map[string]int64{}
	var walk func(t cc.Type, base int64)
	walk = func(t cc.Type, base int64) {
		var n int
		var field func(int) *cc.Field
		switch x := t.(type) {
		case *cc.StructType:
			n, field = x.NumFields(), x.FieldByIndex
		case *cc.UnionType:
			n, field = x.NumFields(), x.FieldByIndex
		default:
			return
		}
		for i := 0; i < n; i++ {
			f := field(i)
			if f == nil {
				continue
			}
			off := base + f.Offset()
			if f.IsBitfield() {
				off += int64(f.OffsetBits() / 8)
			}
			if name := f.Name(); name != "" {
				if _, dup := out[name]; !dup {
					out[name] = off
				}
			} else if k := f.Type().Kind(); k == cc.Struct || k == cc.Union {
				walk(f.Type(), off)
			}
		}
	}
	walk(t, 0)
	return out
}

// alignAfter applies an aligned attribute written after the struct's
// closing brace ("struct inode_operations {...} ____cacheline_aligned;"),
// which GCC applies to the type and cc/v4 v4.31.0 does not: without it,
// the size of such a struct is short of GCC's (200 bytes for
// inode_operations instead of 256). Other layout attributes cc/v4 also
// ignores (packed on an inner type, as in struct bio) are not repaired.
func alignAfter(s *vtable.Struct, aligned int64) {
	if aligned > s.Align && aligned&(aligned-1) == 0 {
		s.Align = aligned
		s.Size = (s.Size + aligned - 1) / aligned * aligned
	}
}

// attributesAfter reads the layout attributes written after a struct's
// closing brace, which cc/v4 v4.31.0 does not apply: packed (the kernel's
// "} __packed;") and the largest aligned(N).
func attributesAfter(su *cc.StructOrUnionSpecifier) (packed bool, aligned int64) {
	for l := su.AttributeSpecifierList2; l != nil; l = l.AttributeSpecifierList {
		p, a := layoutAttributes(l)
		packed, aligned = packed || p, max(aligned, a)
	}
	return packed, aligned
}

// attributesBefore reads packed among the attributes between struct (or
// union) and the tag ("union __packed u {"), which cc/v4 v4.31.0 does not
// apply either.
func attributesBefore(su *cc.StructOrUnionSpecifier) bool {
	for l := su.AttributeSpecifierList; l != nil; l = l.AttributeSpecifierList {
		if p, _ := layoutAttributes(l); p {
			return true
		}
	}
	return false
}

// layoutAttributes reads packed and aligned(N) in one attribute
// specifier of a list.
func layoutAttributes(l *cc.AttributeSpecifierList) (packed bool, aligned int64) {
	if l.AttributeSpecifier != nil {
		for v := l.AttributeSpecifier.AttributeValueList; v != nil; v = v.AttributeValueList {
			av := v.AttributeValue
			if av == nil {
				continue
			}
			switch strings.Trim(av.Token.SrcStr(), "_") {
			case "packed":
				packed = true
			case "aligned":
				if av.ArgumentExpressionList == nil {
					continue
				}
				switch x := av.ArgumentExpressionList.AssignmentExpression.Value().(type) {
				case cc.Int64Value:
					aligned = max(aligned, int64(x))
				case cc.UInt64Value:
					aligned = max(aligned, int64(x))
				}
			}
		}
	}
	return packed, aligned
}

// packedAnon lays out again the struct and union types without a tag
// defined in a struct body, at any depth (inner ones first), that an
// attribute after their brace packs ("struct { ... } __packed out_epil;"
// in struct ceph_connection_v2_info, "} __packed i64;" in struct fid),
// which cc/v4 v4.31.0 does not apply, and records their layout under
// anonKey for the types that hold them.
func (c *collector) packedAnon(l *cc.StructDeclarationList) {
	for ; l != nil; l = l.StructDeclarationList {
		sd := l.StructDeclaration
		if sd == nil || sd.Case != cc.StructDeclarationDecl {
			continue
		}
		for sq := sd.SpecifierQualifierList; sq != nil; sq = sq.SpecifierQualifierList {
			su := structSpecifier(sq.TypeSpecifier)
			if su == nil || su.Case != cc.StructOrUnionSpecifierDef || su.Token.SrcStr() != "" {
				continue
			}
			c.packedAnon(su.StructDeclarationList)
			packed, aligned := attributesAfter(su)
			packed = packed || attributesBefore(su)
			if !packed {
				continue
			}
			if c.layouts == nil {
				c.layouts = map[string][2]int64{}
			}
			switch t := su.Type().(type) {
			case *cc.StructType:
				if t.Kind() != cc.Struct || t.IsIncomplete() {
					continue
				}
				s := &vtable.Struct{Size: t.Size(), Align: int64(t.Align())}
				fixLayout(t, s, true, aligned, c.layouts, nil)
				c.layouts[anonKey(t)] = [2]int64{s.Size, s.Align}
			case *cc.UnionType:
				size, _, _, _, ok := unionMembers(t, c.layouts)
				if !ok {
					continue
				}
				a := max(aligned, 1)
				c.layouts[anonKey(t)] = [2]int64{roundUp(size, a), a}
			}
		}
	}
}

// anonKey is the key under which the layout of a type without a tag is
// known: the type itself, which cc/v4 shares between its definition and
// the members of that type.
func anonKey(t cc.Type) string { return fmt.Sprintf("anon %p", t) }

// fieldAttrs are the layout attributes of a member's own declaration.
type fieldAttrs struct {
	packed  bool
	aligned int64
}

// memberAttrs returns, by name, the members of a struct body whose own
// declaration has a layout attribute, after the declarator or before the
// type: packed ("__le64 counter __attribute__((__packed__));", which
// cc/v4 v4.31.0 does not apply: GCC places the member at the next byte,
// struct ceph_gcm_nonce is 12 bytes, not 16) or aligned (which cc/v4
// applies, and which a repaired layout must keep where cc/v4's padding
// does not show it: after bitfields, as in struct page_pool).
func memberAttrs(l *cc.StructDeclarationList) map[string]fieldAttrs {
	var out map[string]fieldAttrs
	for ; l != nil; l = l.StructDeclarationList {
		sd := l.StructDeclaration
		if sd == nil || sd.Case != cc.StructDeclarationDecl {
			continue
		}
		var fa fieldAttrs
		add := func(list *cc.AttributeSpecifierList) {
			for a := list; a != nil; a = a.AttributeSpecifierList {
				p, al := layoutAttributes(a)
				fa.packed, fa.aligned = fa.packed || p, max(fa.aligned, al)
			}
		}
		add(sd.AttributeSpecifierList)
		for sq := sd.SpecifierQualifierList; sq != nil; sq = sq.SpecifierQualifierList {
			add(sq.AttributeSpecifierList)
			if q := sq.TypeQualifier; q != nil {
				add(q.AttributeSpecifierList)
			}
		}
		if fa == (fieldAttrs{}) {
			continue
		}
		for dl := sd.StructDeclaratorList; dl != nil; dl = dl.StructDeclaratorList {
			if sdecl := dl.StructDeclarator; sdecl != nil && sdecl.Declarator != nil {
				if out == nil {
					out = map[string]fieldAttrs{}
				}
				out[sdecl.Declarator.Name()] = fa
			}
		}
	}
	return out
}

// fixLayout lays out again, as the x86-64 System V ABI (and GCC) does, a
// struct cc/v4 v4.31.0 lays out wrongly: one packed by an attribute after
// its closing brace (members one after the other, bitfields bit after bit,
// alignment 1 unless an aligned attribute says more), and one with
// bitfields that cc/v4 places wrongly: cc/v4
// starts a bitfield that follows other members at the next boundary of its
// type's size, where the ABI puts it at the next free bit as long as it
// does not straddle such a boundary ("unsigned short len; enum e kind:8;"
// puts kind in the bytes after len, not 2 bytes further; struct
// net_device was 64 bytes too large). Members that are not bitfields keep
// the alignment cc/v4 gave them (an aligned attribute included, read back
// from where cc/v4 placed them); a struct cc/v4 packed itself is left as
// it laid it out. The offsets and size change only when the layout
// differs.
func fixLayout(st *cc.StructType, s *vtable.Struct, packed bool, alignedAfter int64, known map[string][2]int64, fields map[string]fieldAttrs) bool {
	n := st.NumFields()
	redo := packed
	for i := 0; i < n; i++ {
		f := st.FieldByIndex(i)
		if f == nil {
			continue
		}
		if f.IsBitfield() || fields[f.Name()].packed {
			redo = true
		} else if size, align, ok := knownLayout(f.Type(), known); ok && (size != f.Type().Size() || align != int64(f.Type().Align())) {
			redo = true
		}
	}
	if !redo {
		return false
	}
	type placed struct {
		f        *cc.Field
		byteOff  int64 // of the first bit
		ccOff    int64 // cc/v4's, the same way
		isBitfld bool
	}
	var out []placed
	var pos int64     // bits
	var ccEnd int64   // the end of the previous field in cc/v4's layout, bytes
	align := int64(1) // the struct's alignment from its members
	afterBits, usedKnown := false, false
	usedPackedField := false
	for i := 0; i < n; i++ {
		f := st.FieldByIndex(i)
		if f == nil {
			return false
		}
		t := f.Type()
		// cc/v4's size and alignment of the member's type, and the right
		// ones: a struct type laid out again here before has its own.
		ccSize, ccAlign := t.Size(), int64(t.Align())
		size, talign := ccSize, ccAlign
		if ks, ka, ok := knownLayout(t, known); ok {
			size, talign, usedKnown = ks, ka, true
		}
		if f.IsFlexibleArrayMember() {
			size, ccSize = 0, 0
			if a, ok := t.(*cc.ArrayType); ok {
				talign = int64(a.Elem().Align())
				ccAlign = talign
			}
		}
		if size < 0 || talign < 1 || ccAlign < 1 {
			return false
		}
		if f.IsBitfield() {
			w := f.ValueBits()
			unit := size * 8
			if unit <= 0 {
				return false
			}
			fieldPacked := packed || fields[f.Name()].packed
			switch {
			case w == 0:
				pos = roundUp(pos, unit)
			case fieldPacked: // the next bit, whatever the unit
			case pos/unit != (pos+w-1)/unit:
				pos = roundUp(pos, unit)
			}
			cco := f.Offset() + int64(f.OffsetBits()/8)
			out = append(out, placed{f, pos / 8, cco, true})
			pos += w
			if f.Name() != "" && !fieldPacked {
				align = max(align, talign)
			}
			ccEnd = max(ccEnd, f.Offset()+f.AccessBytes())
			afterBits = true
			continue
		}
		if f.Offset()%ccAlign != 0 {
			return false // packed in a way cc/v4 applied: its layout is kept
		}
		// The member's alignment: its type's (1 in a packed struct), or
		// more when cc/v4 padded before it (an aligned attribute, which
		// packed does not undo).
		a := talign
		// (After a bitfield, where cc/v4's own placement is in doubt, the
		// type's alignment is assumed.)
		explicit := false
		if natural := roundUp(ccEnd, ccAlign); f.Offset() > natural && !afterBits {
			a = ccAlign
			for a < 4096 && roundUp(ccEnd, a) != f.Offset() {
				a *= 2
			}
			if roundUp(ccEnd, a) != f.Offset() {
				return false // not explained by an alignment: leave it
			}
			explicit = true
		}
		if (packed || fields[f.Name()].packed) && !explicit {
			a = 1
			usedPackedField = usedPackedField || !packed
		}
		if fa := fields[f.Name()].aligned; fa > a && fa&(fa-1) == 0 {
			a = fa // its own aligned attribute, which packed does not undo
		}
		afterBits = false
		pos = roundUp(pos, a*8)
		if f.IsFlexibleArrayMember() {
			size = 0
		}
		out = append(out, placed{f, pos / 8, f.Offset(), false})
		pos += size * 8
		align = max(align, a)
		ccEnd = f.Offset() + ccSize
	}
	// The struct's alignment: its members' (and an aligned attribute
	// after the brace); cc/v4's when nothing but bitfields was redone.
	structAlign := max(align, alignedAfter)
	if !packed && !usedKnown && !usedPackedField {
		structAlign = max(s.Align, align)
	}
	size := roundUp((pos+7)/8, structAlign)
	changed := size != s.Size || structAlign != s.Align
	for _, p := range out {
		if p.byteOff != p.ccOff {
			changed = true
		}
	}
	if !changed {
		return false
	}
	s.Size, s.Align = size, structAlign
	byName := map[string]placed{}
	for _, p := range out {
		if p.f.Name() != "" {
			byName[p.f.Name()] = p
		}
	}
	var anon []placed
	for _, p := range out {
		if p.f.Name() == "" && !p.isBitfld {
			anon = append(anon, p)
		}
	}
	k := 0
	for _, m := range s.Members {
		switch {
		case m.Kind == vtable.AnonStruct || m.Kind == vtable.AnonUnion:
			if k < len(anon) {
				m.Offset += anon[k].byteOff - anon[k].ccOff
				shiftMembers(m.Fields, anon[k].byteOff-anon[k].ccOff)
				k++
			}
		default:
			if p, ok := byName[string(m.Name)]; ok {
				m.Offset = p.byteOff
			}
		}
	}
	return true
}

// anonLayout lays out again a struct type without a tag (a member's
// "struct { ... } subs[4];") when one of its fields has a layout fixLayout
// repaired, as GCC would: each field at its type's alignment. It says no
// (cc/v4's layout stands) for one with bitfields, or with a field cc/v4
// placed where only an attribute explains.
func anonLayout(st *cc.StructType, known map[string][2]int64) (size, align int64, ok bool) {
	var pos, ccEnd int64
	align = 1
	used := false
	for i := 0; i < st.NumFields(); i++ {
		f := st.FieldByIndex(i)
		if f == nil || f.IsBitfield() {
			return 0, 0, false
		}
		t := f.Type()
		ccSize, ccAlign := t.Size(), int64(t.Align())
		fs, fa := ccSize, ccAlign
		if ks, ka, found := knownLayout(t, known); found {
			fs, fa, used = ks, ka, true
		}
		if ccSize < 0 || ccAlign < 1 || f.Offset() != roundUp(ccEnd, ccAlign) {
			return 0, 0, false
		}
		pos = roundUp(pos, fa) + fs
		ccEnd = f.Offset() + ccSize
		align = max(align, fa)
	}
	if !used {
		return 0, 0, false
	}
	return roundUp(pos, align), align, true
}

// knownLayout returns the size and alignment of a struct type (or an array
// of one) that fixLayout laid out again, by tag, from known.
func knownLayout(t cc.Type, known map[string][2]int64) (size, align int64, ok bool) {
	if a, isArray := t.(*cc.ArrayType); isArray && a.Elem().Size() == 0 && a.Len() >= 0 {
		// An array of empty structs (the kernel's lock_class_key without
		// lockdep, s_writers_key[3] in file_system_type): nothing, to
		// GCC; cc/v4 v4.31.0 makes it -1 bytes.
		return 0, max(int64(a.Elem().Align()), 1), true
	}
	if len(known) == 0 {
		return 0, 0, false
	}
	// byTag looks a tagged type up; a type without a tag is laid out
	// again from its fields when one of them was (the second result
	// says whether the type has a tag).
	byTag := func(kind string, tok cc.Token) (size, align int64, tagged, ok bool) {
		tag := tok.SrcStr()
		if tag == "" {
			return 0, 0, false, false
		}
		l, found := known[kind+" "+tag]
		return l[0], l[1], true, found
	}
	switch x := t.(type) {
	case *cc.StructType:
		if x.Kind() != cc.Struct {
			return 0, 0, false
		}
		if size, align, tagged, found := byTag("struct", x.Tag()); tagged {
			return size, align, found
		}
		if l, found := known[anonKey(x)]; found {
			return l[0], l[1], true
		}
		return anonLayout(x, known)
	case *cc.EnumType:
		size, align, _, found := byTag("enum", x.Tag())
		return size, align, found
	case *cc.UnionType:
		if size, align, tagged, found := byTag("union", x.Tag()); tagged {
			return size, align, found
		}
		if l, found := known[anonKey(x)]; found {
			return l[0], l[1], true
		}
		// A union without a tag: its largest member, at the largest
		// alignment, when one of its members was laid out again.
		if size, align, used, bits, ok := unionMembers(x, known); ok && used && !bits {
			return roundUp(size, align), align, true
		}
	case *cc.ArrayType:
		if es, ea, found := knownLayout(x.Elem(), known); found && x.Len() >= 0 {
			return es * x.Len(), ea, true
		}
	}
	return 0, 0, false
}

// shiftMembers moves members (and the fields of anonymous ones) by delta
// bytes.
func shiftMembers(ms []*vtable.Member, delta int64) {
	for _, m := range ms {
		m.Offset += delta
		shiftMembers(m.Fields, delta)
	}
}

func roundUp(n, to int64) int64 {
	if to <= 1 {
		return n
	}
	return (n + to - 1) / to * to
}
