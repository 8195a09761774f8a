package libsweep

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"text/tabwriter"
)

// Failures are the failed structs of results (and the headers
// `structs -json` could not read), in order.
func Failures(results []LibraryResult) []*StructResult {
	var out []*StructResult
	for _, lr := range results {
		for _, h := range lr.Headers {
			if h.Failure != nil {
				out = append(out, h.Failure)
			}
		}
		for _, r := range lr.Structs {
			if !r.Green() {
				out = append(out, r)
			}
		}
	}
	return out
}

// WriteTable writes one row per library (headers, structs, their function
// members, green structs, failures by class, notes), a total, then each class with its count and
// one example: library, struct, step and first error line.
func WriteTable(w io.Writer, results []LibraryResult) {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "library\theaders\tstructs\tfuncs\tgreen\tfailures by class\tnotes")
	var headers, structs, funcs, green, notes int
	for _, lr := range results {
		if lr.Missing != "" {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\tnot swept: %s\t\n", lr.Library.Name, lr.Missing)
			continue
		}
		byClass := map[string]int{}
		g, n, f := 0, 0, 0
		for _, h := range lr.Headers {
			if h.Failure != nil {
				byClass[h.Failure.Class+" (header)"]++
			}
		}
		for _, r := range lr.Structs {
			if r.Green() {
				g++
			} else {
				byClass[r.Class]++
			}
			n += len(r.Notes)
			f += r.Funcs
		}
		headers += len(lr.Headers)
		structs += len(lr.Structs)
		funcs += f
		green += g
		notes += n
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%s\n", lr.Library.Name, len(lr.Headers), len(lr.Structs), f, g, counts(byClass), plural(n, "note"))
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%d\t\t%s\n", headers, structs, funcs, green, plural(notes, "note"))
	tw.Flush()

	fails := Failures(results)
	if len(fails) == 0 {
		return
	}
	type ex struct {
		n   int
		lib string
		r   *StructResult
	}
	classes := map[string]*ex{}
	var order []string
	for _, lr := range results {
		for _, r := range Failures([]LibraryResult{lr}) {
			e := classes[r.Class]
			if e == nil {
				e = &ex{lib: lr.Library.Name, r: r}
				classes[r.Class] = e
				order = append(order, r.Class)
			}
			e.n++
		}
	}
	slices.SortStableFunc(order, func(a, b string) int { return classes[b].n - classes[a].n })
	fmt.Fprintf(w, "\nfailures by class (%d):\n", len(fails))
	for _, c := range order {
		e := classes[c]
		fmt.Fprintf(w, "  %s: %d, e.g. %s %s (%s), step %s:\n      %s\n", c, e.n, e.lib, e.r.Struct, e.r.Decl, e.r.Step, e.r.Error)
	}
	if notes == 0 {
		return
	}
	type note struct {
		n       int
		example string
	}
	kinds := map[string]*note{}
	var korder []string
	for _, lr := range results {
		for _, r := range lr.Structs {
			for _, n := range r.Notes {
				k := noteKind(n)
				if kinds[k] == nil {
					kinds[k] = &note{example: lr.Library.Name + " " + r.Struct + ": " + n}
					korder = append(korder, k)
				}
				kinds[k].n++
			}
		}
	}
	fmt.Fprintf(w, "\nnotes (not failures) by kind (%d):\n", notes)
	for _, k := range korder {
		fmt.Fprintf(w, "  %s: %d, e.g. %s\n", k, kinds[k].n, kinds[k].example)
	}
}

// noteKinds name the notes the sweep sees; any other note is its own kind.
var noteKinds = []struct {
	rx   *regexp.Regexp
	kind string
}{
	{regexp.MustCompile(`^variadic member`), "variadic member: no method, NULL in every impl"},
	{regexp.MustCompile(`have no method in trait|has no method in trait`), "gen: function members without a method (variadic)"},
	{regexp.MustCompile(`a bitfield has no Rust field`), "gen: a bitfield has no Rust field"},
	{regexp.MustCompile(`an anonymous (struct|union) has no name Rust can use`), "gen: an anonymous struct or union type has no Rust name"},
	{regexp.MustCompile(`named only by a pointer typedef`), "gen: a struct named only by a pointer typedef has no Rust name"},
}

var diagPrefixRx = regexp.MustCompile(`^[^ ]*:\d+:\d+: (warning|note): `)

func noteKind(n string) string {
	for _, k := range noteKinds {
		if k.rx.MatchString(n) {
			return k.kind
		}
	}
	return diagPrefixRx.ReplaceAllString(n, "")
}

// counts is "class n, class n" in descending count, then by name.
func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	switch n {
	case 0:
		return ""
	case 1:
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
