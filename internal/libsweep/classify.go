package libsweep

import (
	"os"
	"regexp"
	"slices"
	"strings"
)

// Unclassified is the class of a failure no rule matches: a list run fails
// on it, so that every failure the sweep finds gets a class.
const Unclassified = "unclassified"

// A rule puts a failure of one of steps (any when empty) in a class when
// rx (if set) matches and test (if set) says so.
type rule struct {
	class string
	steps []Step
	rx    *regexp.Regexp // on the first error line and the log
	test  func(r *StructResult) bool
}

// rules are tried in order; the first that matches classifies.
var rules = []rule{
	{class: "header does not compile alone", steps: []Step{StepStructs, StepGCC},
		test: func(r *StructResult) bool { return r.alone != "" && !r.warns }},
	{class: "header warns under -Wall -Wextra -Werror", steps: []Step{StepGCC},
		test: func(r *StructResult) bool { return r.alone != "" && r.warns }},
	{class: "-include not looked up in the include path", steps: []Step{StepStructs},
		test: func(r *StructResult) bool { return r.includeFound }},
	{class: "absolute header path", steps: []Step{StepGCC},
		rx: regexp.MustCompile(`fatal error: (\.\./)+[^:]*: No such file`)},
	{class: "include guard becomes a condition", steps: []Step{StepCheck},
		rx:   regexp.MustCompile(`does not define|defines no initializer`),
		test: func(r *StructResult) bool { return guardRx.Match(readFile(r.cFile)) }},
	{class: "C parameter named with a Rust keyword", steps: []Step{StepGen, StepRustc},
		rx: regexp.MustCompile("expected (identifier|parameter name|pattern), found (keyword|reserved identifier)|found keyword `")},
	{class: "default #[vtable] form", steps: []Step{StepGen, StepRustc},
		rx: regexp.MustCompile(`OwnerModule|ModuleMetadata|LocalModule`)},
	{class: "typedef name refused", steps: []Step{StepTrait, StepGen},
		rx: regexp.MustCompile(`(no struct|not a struct|matches no struct|unknown struct)`)},
	// gen warns and writes no Rust struct or VTABLE.
	{class: "bitfield member", steps: []Step{StepGen},
		rx: regexp.MustCompile(`a bitfield has no Rust field`)},
	{class: "member of an unnamed struct or union type", steps: []Step{StepGen},
		rx: regexp.MustCompile(`an anonymous (struct|union) has no name Rust can use`)},
	{class: "struct named only by a pointer typedef", steps: []Step{StepGen},
		rx: regexp.MustCompile(`named only by a pointer typedef`)},
	{class: "pointer to a function typedef refused", steps: []Step{StepGen},
		rx: regexp.MustCompile(`the method takes (\*(mut|const) \w+), and C passes (\*(mut|const) \w+)$`),
		test: func(r *StructResult) bool {
			m := takesRx.FindStringSubmatch(r.Error)
			return m != nil && m[1] == m[2]
		}},
	// rustc on the generated files.
	{class: "struct that points to itself declared twice in Rust", steps: []Step{StepRustc},
		rx: regexp.MustCompile("^error\\[E0428\\]: the name `\\w+` is defined multiple times")},
	{class: "trait named like a C type", steps: []Step{StepRustc},
		rx: regexp.MustCompile(`^error\[E0(404|255)\]`)},
	{class: "C type not declared in Rust", steps: []Step{StepRustc},
		rx: regexp.MustCompile(`^error\[E04(12|25)\]: cannot find type`)},
	{class: "struct-typed member declared opaque in Rust", steps: []Step{StepRustc},
		rx: regexp.MustCompile(`^error\[E0204\]: the trait .Copy. cannot be implemented`)},
	{class: "Rust types mismatch", steps: []Step{StepRustc},
		rx: regexp.MustCompile(`mismatched types|E0308|E0053|incompatible type for trait|expected fn pointer`)},
	// gcc on the generated C.
	{class: "C prototype drops the const of a pointer result", steps: []Step{StepGCC},
		rx:   regexp.MustCompile(`static assertion failed: ".* does not have the type of`),
		test: func(r *StructResult) bool { return constResult(r) }},
	{class: "timeout", rx: regexp.MustCompile(`(?m)^timeout: \S+ did not finish`)},
}

var takesRx = regexp.MustCompile(`the method takes (.*), and C passes (.*)$`)

// guardRx finds an include guard copied into the generated C file as a
// condition: #ifndef X_H (or _X_H_, X_INCLUDED, ...).
var guardRx = regexp.MustCompile(`(?m)^#\s*(ifndef\s+\w*(_H|_H_|_H__|INCLUDED|_INCLUDED_)\b|if\s+!defined\(?\s*\w*(_H|_H_|INCLUDED)\b)`)

// Classify returns the class of r's failure, or Unclassified: the first
// rule whose pattern matches the first error line, else the first whose
// pattern matches anywhere in the log.
func Classify(r *StructResult) string {
	for _, onLog := range []bool{false, true} {
		for _, ru := range rules {
			if len(ru.steps) > 0 && !slices.Contains(ru.steps, r.Step) {
				continue
			}
			text := r.Error
			if onLog {
				text = r.Log
			}
			if ru.rx != nil && !ru.rx.MatchString(text) {
				continue
			}
			if ru.test != nil && !ru.test(r) {
				continue
			}
			return ru.class
		}
	}
	return Unclassified
}

func readFile(name string) []byte {
	if name == "" {
		return nil
	}
	b, _ := os.ReadFile(name)
	return b
}

// constResult reports whether the callback whose type guard failed is
// declared with a result that lacks the const its member's type has
// (e.g. const char *(*)(void *)).
func constResult(r *StructResult) bool {
	m := guardFailRx.FindStringSubmatch(r.Error)
	if m == nil {
		return false
	}
	member, callback := m[1], m[2]
	proto := regexp.MustCompile(`(?m)^(.*)\b` + regexp.QuoteMeta(callback) + `\(`).FindStringSubmatch(string(readFile(r.cFile)))
	result, _, ok := strings.Cut(r.types[member], "(*")
	return ok && proto != nil && strings.Contains(result, "const") && !strings.Contains(proto[1], "const")
}

// guardFailRx reads a type guard's message: "S.member does not have the
// type of callback (Impl::method)".
var guardFailRx = regexp.MustCompile(`\.(\w+) does not have the type of (\w+) `)

// alsoRx finds the lines of a log that are errors of their own: rustc's
// and gcc's, and gen's warnings about what it did not generate.
var alsoRx = regexp.MustCompile(`^error(\[E\d+\])?: |: (fatal )?error: |not generated`)

// Also returns the classes of the other errors in r's log (rustc goes on
// after the first): what else stands between the struct and green at
// that step, e.g. a self-referencing struct behind a trait name clash.
func Also(r *StructResult) []string {
	var out []string
	for _, l := range strings.Split(r.Log, "\n") {
		if !alsoRx.MatchString(l) {
			continue
		}
		c := *r
		c.Error, c.Log = strings.TrimSpace(l), ""
		if k := Classify(&c); k != Unclassified && k != r.Class && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}
