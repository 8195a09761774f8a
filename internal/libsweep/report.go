package libsweep

import (
	"fmt"
	"io"
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

// WriteTable writes one row per library (headers, structs, green,
// failures by class, notes), a total, then each class with its count and
// one example: library, struct, step and first error line.
func WriteTable(w io.Writer, results []LibraryResult) {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "library\theaders\tstructs\tgreen\tfailures by class\tnotes")
	var headers, structs, green, notes int
	for _, lr := range results {
		if lr.Missing != "" {
			fmt.Fprintf(tw, "%s\t-\t-\t-\tnot swept: %s\t\n", lr.Library.Name, lr.Missing)
			continue
		}
		byClass := map[string]int{}
		g, n := 0, 0
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
		}
		headers += len(lr.Headers)
		structs += len(lr.Structs)
		green += g
		notes += n
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\n", lr.Library.Name, len(lr.Headers), len(lr.Structs), g, counts(byClass), plural(n, "note"))
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t\t%s\n", headers, structs, green, plural(notes, "note"))
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
	if notes > 0 {
		fmt.Fprintf(w, "\nnotes:\n")
		for _, lr := range results {
			for _, r := range lr.Structs {
				for _, n := range r.Notes {
					fmt.Fprintf(w, "  %s %s: %s\n", lr.Library.Name, r.Struct, n)
				}
			}
		}
	}
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
