package cparse

import (
	"fmt"
	"go/token"
	"slices"
	"sort"
	"strings"

	"github.com/vtablegen/vtablegen/vtable"
)

// A header that does not compile alone (event2/bufferevent_struct.h uses
// bufferevent_data_cb, which event2/bufferevent.h defines) makes cc/v4
// reject the struct that uses the unknown name, with "unexpected
// identifier, expected ';'" at the member's name. The preprocessed path
// leaves a declaration cc/v4 rejects out, and a struct lost that way
// went unsaid (the slice did not even take struct bufferevent in, having
// seen no '(' in it). Here a struct left out is said, by name, with what
// was unknown, at its position, as gcc does ("unknown type name").

// unknownTypeMessage is the message of a parse error that an unknown type
// name explains.
func unknownTypeMessage(name string) string {
	return fmt.Sprintf("unknown type name %q", name)
}

// specifierStart are the words after which a declaration's type may
// begin: an identifier after one is a type name or nothing.
var specifierStart = map[string]bool{
	"typedef": true, "static": true, "extern": true, "register": true, "auto": true, "inline": true,
	"__inline": true, "__inline__": true, "__extension__": true, "_Thread_local": true, "__thread": true,
	"_Noreturn": true,
}

// unknownTypeAt reads the tokens around a parse error cc/v4 reported at
// offset off of src ("unexpected identifier" or "unexpected '*'", the
// only ones an unknown type name gives): when the token there follows an
// identifier that begins a declaration's type (after ';', '{', '}', '(',
// ',', a qualifier or a storage class), that identifier was taken for no
// type, and it is returned with its offset. toks are src's tokens.
func unknownTypeAt(src []byte, toks []ctok, off int, msg string) (string, int, bool) {
	if !strings.HasPrefix(msg, "unexpected identifier") && !strings.HasPrefix(msg, "unexpected '*'") {
		return "", 0, false
	}
	i := sort.Search(len(toks), func(i int) bool { return int(toks[i].start) >= off })
	if i >= len(toks) || int(toks[i].start) != off || i < 1 || toks[i-1].kind != 'i' {
		return "", 0, false
	}
	text := func(t ctok) string { return string(src[t.start:t.end]) }
	n := text(toks[i-1])
	if keywords[n] || qualifierWords[n] || attributeWords[n] || specifierStart[n] {
		return "", 0, false
	}
	if i >= 2 {
		switch b := toks[i-2]; b.kind {
		case ';', '{', '}', '(', ',':
		case 'i':
			if w := text(b); !qualifierWords[w] && !specifierStart[w] {
				return "", 0, false
			}
		default:
			return "", 0, false
		}
	}
	return n, int(toks[i-1].start), true
}

// nameUnknownTypes rewrites the errors of diags that an unknown type
// name explains (see unknownTypeAt) into gcc's "unknown type name", at
// the name: texts are the files cc/v4 read, by name, as it read them
// (the lines and columns of its positions). The rule reads only the
// syntax; cc/v4's text says which errors it is asked about.
func nameUnknownTypes(diags vtable.Diagnostics, texts map[string][]byte) {
	type file struct {
		toks  []ctok
		lines []int
	}
	files := map[string]file{}
	for _, d := range diags {
		src, ok := texts[d.Pos.Filename]
		if d.Severity != vtable.Error || !ok || d.Pos.Line < 1 {
			continue
		}
		f, ok := files[d.Pos.Filename]
		if !ok {
			f = file{tokenize(src), lineOffsets(src)}
			files[d.Pos.Filename] = f
		}
		if d.Pos.Line > len(f.lines) {
			continue
		}
		if n, at, ok := unknownTypeAt(src, f.toks, f.lines[d.Pos.Line-1]+d.Pos.Column-1, d.Msg); ok {
			line := lineOf(f.lines, at)
			d.Msg = unknownTypeMessage(n)
			d.Pos = token.Position{Filename: d.Pos.Filename, Offset: at, Line: line, Column: at - f.lines[line-1] + 1}
		}
	}
}

// leftOutReport says what leaving declarations out of a preprocessed unit
// costs: a note for each, naming why; a warning for one that defines a
// struct that may hold a function pointer, naming the struct, which
// would otherwise be missing without a word; an error for a struct the
// options name (Options.Structs).
type leftOutReport struct {
	r      *reduction
	src    []byte
	lines  []int
	name   string // the unit
	wanted []string
	// mapPos maps a unit position to the header's.
	mapPos func(token.Position) token.Position
	// gone are the keys (types, tags) the declarations left out defined,
	// with where, for the unknown type names they leave behind.
	gone map[string]token.Position
}

// rejected reports the kept declaration k, which cc/v4 rejects with d
// (in unit positions), and leaves it out.
func (lr *leftOutReport) rejected(diags *vtable.Diagnostics, k int, d *vtable.Diagnostic) {
	r := lr.r
	why := "cc/v4 rejects its declaration: " + d.Msg
	if n, at, ok := unknownTypeAt(lr.src, r.toks, lr.offset(d.Pos), d.Msg); ok && len(lr.defs()[n]) == 0 {
		// What nameUnknownTypes does for cc/v4's reading of a header,
		// here with the unit's definitions to confirm it.
		d.Msg, why = unknownTypeMessage(n), unknownTypeMessage(n)
		d.Pos = lr.pos(at)
		if at, ok := lr.gone[n]; ok {
			why += fmt.Sprintf(": its declaration at %s is left out", lr.mapPos(at))
		}
	}
	lr.report(diags, r.toks[r.kept[k].first:r.kept[k].last], d.Pos, "left out a declaration cc/v4 rejects: "+d.Msg, why)
	r.drop(k)
}

// report reports a declaration left out (its tokens) for why, at pos;
// note, unless empty, is what is said of a declaration that is not such
// a struct.
func (lr *leftOutReport) report(diags *vtable.Diagnostics, toks []ctok, pos token.Position, note, why string) {
	r := lr.r
	f := analyze(toks, lr.src, r.names)
	at := lr.pos(int(toks[0].start))
	for _, key := range f.defines {
		if lr.gone == nil {
			lr.gone = map[string]token.Position{}
		}
		if _, ok := lr.gone[key]; !ok {
			lr.gone[key] = at
		}
	}
	st := definedStruct(toks, lr.src, f)
	if st == "" || !lr.mayHoldFunc(f) {
		if note != "" {
			diags.Note(pos, "%s", note)
		}
		return
	}
	shown := st
	if !isTagKey(st) {
		shown = "struct " + st // a typedef of a struct without a tag
	}
	names := []string{strings.TrimPrefix(st, "struct ")}
	for _, key := range f.defines {
		if !isTagKey(key) && f.isTypedef {
			names = append(names, key)
		}
	}
	for _, w := range lr.wanted {
		if slices.Contains(names, w) {
			diags.Add(pos, "%s is left out: %s", shown, why)
			return
		}
	}
	diags.Warn(pos, "%s is left out: %s", shown, why)
}

// mayHoldFunc says whether a declaration with facts f may hold a
// function pointer: as funcSlice judges a body, but only by the '(' of a
// declarator (a struct of bitfields whose widths cc/v4 cannot evaluate,
// struct uclamp_se in the kernel's <linux/sched.h>, holds none and is
// worth only a note).
func (lr *leftOutReport) mayHoldFunc(f declFacts) bool {
	if f.fnDecl {
		return true
	}
	r := lr.r
	r.analyzeKept(lr.src)
	if r.unknownType(f) != "" {
		return true
	}
	_, funcNames := r.funcDecls(true)
	for _, rf := range f.refs {
		if funcNames[rf.key] {
			return true
		}
	}
	return false
}

func (lr *leftOutReport) defs() map[string][]int {
	lr.r.analyzeKept(lr.src)
	return lr.r.defs
}

// offset is the unit offset of pos, a unit position.
func (lr *leftOutReport) offset(pos token.Position) int {
	if pos.Filename != lr.name || pos.Line < 1 || pos.Line > len(lr.lines) {
		return -1
	}
	return lr.lines[pos.Line-1] + max(pos.Column-1, 0)
}

// pos is the unit position of offset off.
func (lr *leftOutReport) pos(off int) token.Position {
	line := lineOf(lr.lines, off)
	return token.Position{Filename: lr.name, Line: line, Column: off - lr.lines[line-1] + 1}
}

// definedStruct returns the struct a declaration defines: its tag key
// ("struct bufferevent"), or the typedef name of a struct without a tag
// ("typedef struct { ... } T;"), or "".
func definedStruct(toks []ctok, src []byte, f declFacts) string {
	if !f.hasBody {
		return ""
	}
	for _, key := range f.defines {
		if strings.HasPrefix(key, "struct ") {
			return key
		}
		if isTagKey(key) {
			return "" // a union or enum first
		}
	}
	if !f.isTypedef {
		return ""
	}
	for j := 0; j+1 < len(toks); j++ {
		if toks[j].kind == 'i' && string(src[toks[j].start:toks[j].end]) == "struct" && toks[j+1].kind == '{' {
			for _, key := range f.defines {
				if !isTagKey(key) {
					return key
				}
			}
		}
	}
	return ""
}
