package libsweep

import (
	"os"
	"regexp"
	"slices"
)

// Unclassified is the class of a failure no rule matches: a list run fails
// on it, so that every failure the sweep finds gets a class.
const Unclassified = "unclassified"

// A rule puts a failure of one of steps (any when empty) in a class when
// its first error line or its log matches rx (and test, when set).
type rule struct {
	class string
	steps []Step
	rx    *regexp.Regexp // on the first error line and the log
	test  func(r *StructResult) bool
}

// rules are tried in order; the first that matches classifies.
var rules = []rule{
	{class: "header does not compile alone", steps: []Step{StepStructs, StepTrait, StepGen, StepGCC},
		test: func(r *StructResult) bool { return r.alone != "" && !r.warns }},
	{class: "header warns under -Wall -Wextra -Werror", steps: []Step{StepGCC},
		test: func(r *StructResult) bool { return r.alone != "" && r.warns }},
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
		rx: regexp.MustCompile(`(no struct|not a struct|matches no struct|unknown struct)[^\n]*`)},
	{class: "bitfield member", steps: []Step{StepGen, StepRustc},
		rx: regexp.MustCompile(`(?i)bit-?field`)},
	{class: "Rust types mismatch", steps: []Step{StepRustc},
		rx: regexp.MustCompile(`mismatched types|E0308|E0053|incompatible type for trait|expected fn pointer`)},
	{class: "timeout", rx: regexp.MustCompile(`timeout: `)},
}

// guardRx finds an include guard copied into the generated C file as a
// condition: #ifndef X_H (or _X_H_, X_INCLUDED, ...).
var guardRx = regexp.MustCompile(`(?m)^#\s*(ifndef\s+\w*(_H|_H_|_H__|INCLUDED|_INCLUDED_)\b|if\s+!defined\(?\s*\w*(_H|_H_|INCLUDED)\b)`)

// Classify returns the class of r's failure, or Unclassified.
func Classify(r *StructResult) string {
	for _, ru := range rules {
		if len(ru.steps) > 0 && !slices.Contains(ru.steps, r.Step) {
			continue
		}
		if ru.rx != nil && !ru.rx.MatchString(r.Error) && !ru.rx.MatchString(r.Log) {
			continue
		}
		if ru.test != nil && !ru.test(r) {
			continue
		}
		return ru.class
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
