package cparse

import (
	"bytes"
	"fmt"
	"go/token"
	"sort"
	"strconv"
)

// Slicing: a Kbuild unit reduced to its type declarations still holds
// thousands of them, and cc/v4 takes about 0.3 s over it. The structs a
// user asks for need only a few: struct file_operations needs a dozen
// typedefs and no other struct definition, since C lets a pointer name a
// struct that is never defined. slice finds the declarations the wanted
// structs need, transitively, and returns just those, each behind a #line
// directive, so that positions stay those of the unit. It works on tokens,
// like the reduction: a declaration defines keys ("struct file",
// "loff_t", an enum constant) and refers to keys, either needing their
// complete definition (a member of type struct X, a typedef used by value,
// an enum constant in an array bound) or only their name (struct X *).
// The analysis may take in more than needed, never knowingly less; should
// cc/v4 still reject the slice, the caller parses the whole reduced unit.

// ref is one reference of a declaration to a key.
type ref struct {
	key      string
	complete bool
}

// declFacts is what one kept declaration defines and refers to.
type declFacts struct {
	defines []string
	refs    []ref
	hasBody bool // defines a struct, union or enum body, whose members must all be complete
	// paren says a '(' stands outside attributes, array bounds, sizeof
	// and enum bodies: the declaration may declare a function (pointer).
	paren bool
	// fnDecl says such a '(', outside any other, is a function's
	// declarator: a "(*" or a parameter list, not the '(' of an
	// expression in a bitfield's width ("value : ( __builtin_constant_p(
	// ...))"), which paren takes too.
	fnDecl    bool
	isTypedef bool
	// typeNames are the identifiers that stand where a type name does,
	// before a declarator's name or '*' ("bufferevent_data_cb readcb;"):
	// one no declaration defines is an unknown type name, which may be
	// a function pointer's typedef.
	typeNames []string
}

// keywords are the C and GNU C words that are not type or object names.
var keywords = map[string]bool{}

func init() {
	for _, w := range []string{
		"auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
		"float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
		"sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
		"_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
		"_Static_assert", "_Thread_local", "__attribute__", "__attribute", "__extension__", "__inline", "__inline__",
		"__restrict", "__restrict__", "__const", "__const__", "__volatile", "__volatile__", "__signed", "__signed__",
		"__typeof__", "__typeof", "typeof", "__alignof__", "__alignof", "__asm__", "__asm", "asm", "__int128",
		"__builtin_va_list", "_Float16", "_Float32", "_Float64", "_Float128", "__seg_gs", "__seg_fs",
		"__auto_type", "__label__", "__real__", "__imag__", "_BitInt", "__bf16", "__int128_t", "__uint128_t",
	} {
		keywords[w] = true
	}
}

// qualifierWords may stand between a type name and what follows it.
var qualifierWords = map[string]bool{
	"const": true, "volatile": true, "restrict": true, "__restrict": true, "__restrict__": true,
	"__const": true, "__const__": true, "__volatile": true, "__volatile__": true, "_Atomic": true,
	"__seg_gs": true, "__seg_fs": true,
}

// attributeWords are followed by a parenthesized group that names no type
// the declaration needs.
var attributeWords = map[string]bool{
	"__attribute__": true, "__attribute": true, "__declspec": true, "__asm__": true, "__asm": true, "asm": true,
}

// interner keeps one copy of each name and key analyze meets: a unit's
// kept declarations hold hundreds of thousands of identifiers but only
// tens of thousands of distinct ones.
type interner map[string]string

// get returns b as an interned string.
func (in interner) get(b []byte) string {
	if s, ok := in[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	in[s] = s
	return s
}

// join returns kw, a blank and name ("struct file") as an interned string.
func (in interner) join(kw string, name []byte) string {
	var buf [128]byte
	return in.get(append(append(append(buf[:0], kw...), ' '), name...))
}

// sizeofWords take a parenthesized type or expression that declares
// nothing.
var sizeofWords = map[string]bool{
	"sizeof": true, "_Alignof": true, "__alignof__": true, "__alignof": true, "_Alignas": true,
}

// analyze reads the facts of one declaration, toks.
func analyze(toks []ctok, src []byte, names interner) declFacts {
	var f declFacts
	text := func(j int) string { return names.get(src[toks[j].start:toks[j].end]) }
	kind := func(j int) byte {
		if j < len(toks) {
			return toks[j].kind
		}
		return 0
	}
	skipGroup := func(j int) int { return matchClose(toks, j, '(', ')') } // toks[j] is '('
	// next returns the index of the first token at or after j that is not
	// a qualifier or an attribute.
	next := func(j int) int {
		for j < len(toks) {
			if toks[j].kind == 'i' {
				w := text(j)
				if qualifierWords[w] {
					j++
					continue
				}
				if attributeWords[w] && kind(j+1) == '(' {
					j = skipGroup(j+1) + 1
					continue
				}
			}
			break
		}
		return j
	}
	// needsComplete says whether a type name followed by toks[j] is used
	// by value: not when a pointer or a function-pointer declarator follows.
	needsComplete := func(j int) bool {
		j = next(j)
		switch kind(j) {
		case '*', '^':
			return false
		case '(':
			k := next(j + 1)
			return kind(k) != '*' && kind(k) != '^'
		}
		return true
	}
	// isDeclared says whether the identifier at j is a declarator's name.
	isDeclared := func(j int) bool {
		switch k := next(j + 1); kind(k) {
		case ';', ',', ')', '[', '=', ':', '}':
			return true
		case '(':
			k2 := next(k + 1)
			return kind(k2) != '*' && kind(k2) != '^'
		}
		return false
	}
	isTypedef := false
	var parens []bool // per open '(': whether it is a parameter list
	braceDepth := 0
	bracketDepth := 0    // inside [...]: an array bound, a constant expression
	var enumBodies []int // brace depths of the enum bodies open
	var enumParens []int // and the parentheses open at each
	inParams := func() bool {
		for _, p := range parens {
			if p {
				return true
			}
		}
		return false
	}
	for j := 0; j < len(toks); j++ {
		t := toks[j]
		switch t.kind {
		case '(':
			params := false
			if j > 0 {
				switch p := toks[j-1]; p.kind {
				case ')':
					params = true
				case 'i':
					// After a type name it groups a declarator:
					// "enum ret (fn_t)(int)", "void (name)(int)".
					w := text(j - 1)
					params = !keywords[w]
					if j > 1 && toks[j-2].kind == 'i' {
						switch text(j - 2) {
						case "struct", "union", "enum":
							params = false
						}
					}
				}
			}
			star := false
			if k := next(j + 1); kind(k) == '*' || kind(k) == '^' {
				params, star = false, true
			}
			if bracketDepth == 0 && (len(enumBodies) == 0 || enumBodies[len(enumBodies)-1] != braceDepth) &&
				(j == 0 || toks[j-1].kind != 'i' || !sizeofWords[text(j-1)]) {
				f.paren = true
				if len(parens) == 0 && (star || params) {
					f.fnDecl = true
				}
			}
			parens = append(parens, params)
			continue
		case ')':
			if len(parens) > 0 {
				parens = parens[:len(parens)-1]
			}
			continue
		case '[':
			bracketDepth++
			continue
		case ']':
			bracketDepth--
			continue
		case '{':
			braceDepth++
			continue
		case '}':
			if n := len(enumBodies); n > 0 && enumBodies[n-1] == braceDepth {
				enumBodies, enumParens = enumBodies[:n-1], enumParens[:n-1]
			}
			braceDepth--
			continue
		case 'i':
		default:
			continue
		}
		w := text(j)
		switch {
		case w == "typedef":
			isTypedef = true
			f.isTypedef = braceDepth == 0
		case attributeWords[w] && kind(j+1) == '(':
			j = skipGroup(j + 1)
		case w == "struct" || w == "union" || w == "enum":
			k := next(j + 1)
			if kind(k) == 'i' {
				key := names.join(w, src[toks[k].start:toks[k].end])
				b := next(k + 1)
				if kind(b) == '{' {
					f.defines = append(f.defines, key)
					f.hasBody = true
				} else {
					// A parameter's type may be incomplete, except an
					// enum's passed by value: its size (the model's, for
					// the callback's adaptation) is its definition's.
					f.refs = append(f.refs, ref{key, !inParams() && (w == "enum" || needsComplete(k+1)) || w == "enum" && needsComplete(k+1)})
				}
				j = k
				if kind(b) == '{' && w == "enum" {
					enumBodies, enumParens = append(enumBodies, braceDepth+1), append(enumParens, len(parens))
				}
			} else if kind(k) == '{' {
				f.hasBody = true
				if w == "enum" {
					enumBodies, enumParens = append(enumBodies, braceDepth+1), append(enumParens, len(parens))
				}
			}
		case keywords[w]:
		case len(enumBodies) > 0 && enumBodies[len(enumBodies)-1] == braceDepth && braceDepth > 0 &&
			len(parens) == enumParens[len(enumParens)-1] && j > 0 && (toks[j-1].kind == '{' || toks[j-1].kind == ','):
			// A name after the body's '{' or a ',' of its own: the value
			// of "B = A," names A.
			f.defines = append(f.defines, w) // an enum constant
		case bracketDepth > 0 || len(enumBodies) > 0:
			// An enum constant or a type in sizeof, in an array bound or
			// in an enum constant's value.
			f.refs = append(f.refs, ref{w, true})
		case inParams():
			// A parameter's type or its name: "(struct file *, size_t)"
			// has an unnamed size_t, so each counts as a reference; a name
			// that is no type's costs nothing.
			f.refs = append(f.refs, ref{w, false})
			if k := kind(next(j + 1)); k == 'i' || k == '*' {
				f.typeNames = append(f.typeNames, w)
			}
		case isDeclared(j):
			if isTypedef && braceDepth == 0 {
				f.defines = append(f.defines, w)
			}
		default:
			f.refs = append(f.refs, ref{w, !inParams() && needsComplete(j+1)})
			if k := kind(next(j + 1)); k == 'i' || k == '*' {
				f.typeNames = append(f.typeNames, w)
			}
		}
	}
	return f
}

// analyzeKept computes, once, the facts of every kept declaration and
// which declarations define each key.
func (r *reduction) analyzeKept(src []byte) {
	if r.facts != nil {
		return
	}
	r.facts = make([]declFacts, len(r.kept))
	r.defs = map[string][]int{}
	for i, k := range r.kept {
		r.facts[i] = analyze(r.toks[k.first:k.last], src, r.names)
		for _, key := range r.facts[i].defines {
			r.defs[key] = append(r.defs[key], i)
		}
	}
}

// slice returns the kept declarations of r that the structs named in
// wanted need, as indexes into kept in order, or false when some wanted
// struct has no definition in the unit.
func (r *reduction) slice(src []byte, wanted []string) ([]int, bool) {
	r.analyzeKept(src)
	var seeds []ref
	for _, name := range wanted {
		if len(r.defs["struct "+name]) == 0 && len(r.defs[name]) == 0 {
			return nil, false
		}
		seeds = append(seeds, ref{"struct " + name, true}, ref{name, true})
	}
	return r.closure(seeds, nil), true
}

// funcSlice returns the kept declarations of r that every struct or
// union that may hold a function pointer needs, as slice does: what a
// whole unit is read for, in a fraction of it (150 KB of the 4 MB
// reference Kbuild unit). A
// body may hold one when a '(' stands in it outside attributes, array
// bounds and sizeof, or when it names a typedef of a function (pointer)
// type, one whose own declaration has such a '(' or names another; more
// bodies than hold one may be taken, never fewer.
//
// A body that uses an unknown type name may hold one too (the name may
// be a callback's typedef that the header needs from another, as
// event2/bufferevent_struct.h needs bufferevent_data_cb from
// event2/bufferevent.h): it is parsed, so that cc/v4's rejection of it
// is reported (see leftOutReport) instead of the struct going unseen.
func (r *reduction) funcSlice(src []byte) []int {
	r.analyzeKept(src)
	var seeds []int
	fns, _ := r.funcDecls(false)
	for i, fn := range fns {
		if fn && r.facts[i].hasBody {
			seeds = append(seeds, i)
		}
	}
	// The typedefs that name those structs apart from their definitions
	// ("typedef struct _GSourceFuncs GSourceFuncs;"): the name users write.
	bodies := map[string]bool{}
	for _, i := range seeds {
		for _, key := range r.facts[i].defines {
			if isTagKey(key) {
				bodies[key] = true
			}
		}
	}
	for i, f := range r.facts {
		if f.isTypedef && !f.hasBody && !f.paren && len(f.refs) == 1 && f.refs[0].complete && bodies[f.refs[0].key] {
			seeds = append(seeds, i)
		}
	}
	sort.Ints(seeds)
	return r.closure(nil, seeds)
}

// funcDecls says, for each kept declaration (analyzed), whether it may
// hold or name a function (pointer) type: it has a '(' outside
// attributes, array bounds and sizeof (a function's declarator, when
// strict), names a typedef that may, or uses an unknown type name; and
// the typedef names that may.
func (r *reduction) funcDecls(strict bool) ([]bool, map[string]bool) {
	funcNames := map[string]bool{}
	out := make([]bool, len(r.facts))
	for i, f := range r.facts {
		fn := f.paren && !strict || f.fnDecl || r.unknownType(f) != ""
		for _, rf := range f.refs {
			if fn {
				break
			}
			fn = funcNames[rf.key]
		}
		if !fn {
			continue
		}
		out[i] = true
		if f.isTypedef {
			for _, key := range f.defines {
				if !isTagKey(key) {
					funcNames[key] = true
				}
			}
		}
	}
	return out, funcNames
}

// unknownType returns the first type name f uses that no kept
// declaration defines, or "".
func (r *reduction) unknownType(f declFacts) string {
	for _, n := range f.typeNames {
		if len(r.defs[n]) == 0 {
			return n
		}
	}
	return ""
}

// bodyFiles returns the headers, as lm maps them, that define the struct,
// union and enum bodies among the kept declarations idx (analyzed); lines
// are the unit's line offsets.
func (r *reduction) bodyFiles(idx []int, lines []int, lm *lineMap) []string {
	seen := map[string]bool{}
	var files []string
	for _, i := range idx {
		if !r.facts[i].hasBody {
			continue
		}
		f := lm.pos(token.Position{Filename: lm.unit, Line: lineOf(lines, r.kept[i].start)}).Filename
		if !seen[f] {
			seen[f] = true
			files = append(files, f)
		}
	}
	return files
}

// closure returns, as indexes into kept in order, the kept declarations
// that define the keys of seeds and the declarations seedDecls, with
// everything they need, transitively.
func (r *reduction) closure(seeds []ref, seedDecls []int) []int {
	facts, defs := r.facts, r.defs
	level := make([]int8, len(r.kept)) // 0 out, 1 name only, 2 complete
	var queue []int
	need := func(key string, complete bool) {
		if isTagKey(key) && !complete {
			return // struct X * needs no declaration
		}
		want := int8(1)
		if complete {
			want = 2
		}
		for _, d := range defs[key] {
			if level[d] < want {
				level[d] = want
				queue = append(queue, d)
			}
		}
	}
	for _, rf := range seeds {
		need(rf.key, rf.complete)
	}
	for _, d := range seedDecls {
		if level[d] < 2 {
			level[d] = 2
			queue = append(queue, d)
		}
	}
	for len(queue) > 0 {
		d := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		l := level[d]
		if facts[d].hasBody {
			l = 2
		}
		for _, rf := range facts[d].refs {
			// An enum taken by value stays complete even through a
			// declaration needed by name only (a typedef of a
			// callback type): the model gives its size.
			need(rf.key, rf.complete && (l == 2 || len(rf.key) > 5 && rf.key[:5] == "enum "))
		}
	}
	var idx []int
	for i, l := range level {
		if l > 0 {
			idx = append(idx, i)
		}
	}
	return idx
}

// render returns the kept declarations idx (in order) as compact text,
// each behind a #line directive naming unit, so that cc/v4's positions
// are those of the unit; GCC's bit-counting builtins of literals are
// folded (foldBuiltins).
func (r *reduction) render(unit string, idx []int) []byte {
	src := r.src
	b := bytes.NewBuffer(make([]byte, 0, 64)) // never nil: nil text means "read the file"
	quoted := strconv.Quote(unit)
	line, at := 1, 0 // line is the 1-based line of offset at
	for _, i := range idx {
		k := r.kept[i]
		line += bytes.Count(src[at:k.start], []byte("\n"))
		at = k.start
		col := k.start - (bytes.LastIndexByte(src[:k.start], '\n') + 1)
		fmt.Fprintf(b, "#line %d %s\n", line, quoted)
		b.Write(bytes.Repeat([]byte{' '}, col))
		b.Write(r.spanText(k))
		b.WriteByte('\n')
	}
	text := b.Bytes()
	foldBuiltins(text)
	return fillElvis(text)
}

// dropDependents blanks and removes from r.kept every declaration that
// needs complete (a member by value, a typedef used by value) a key that
// gone, a declaration just removed, defined and no kept declaration
// defines, transitively, and returns them in order.
func (r *reduction) dropDependents(gone span) []span {
	r.facts, r.defs = nil, nil // kept changes: slice's cache is stale
	missing := map[string]bool{}
	for _, key := range analyze(r.toks[gone.first:gone.last], r.src, r.names).defines {
		missing[key] = true
	}
	facts := make([]declFacts, len(r.kept))
	for i, k := range r.kept {
		facts[i] = analyze(r.toks[k.first:k.last], r.src, r.names)
	}
	// A key another kept declaration defines (with a body, for a tag) is
	// not missing.
	for i := range r.kept {
		for _, key := range facts[i].defines {
			if missing[key] && (facts[i].hasBody || !isTagKey(key)) {
				delete(missing, key)
			}
		}
	}
	var dropped []span
	for changed := true; changed && len(missing) > 0; {
		changed = false
		for i := 0; i < len(r.kept); i++ {
			needs := false
			for _, rf := range facts[i].refs {
				if rf.complete && missing[rf.key] {
					needs = true
				}
			}
			if !needs {
				continue
			}
			for _, key := range facts[i].defines {
				missing[key] = true
			}
			dropped = append(dropped, r.kept[i])
			r.blank(r.kept[i])
			r.kept = append(r.kept[:i], r.kept[i+1:]...)
			facts = append(facts[:i], facts[i+1:]...)
			i--
			changed = true
		}
	}
	sort.Slice(dropped, func(i, j int) bool { return dropped[i].start < dropped[j].start })
	return dropped
}

// isTagKey reports a key naming a struct, union or enum tag.
func isTagKey(key string) bool {
	return len(key) > 6 && (key[:7] == "struct " || key[:6] == "union " || key[:5] == "enum ")
}
