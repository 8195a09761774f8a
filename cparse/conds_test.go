package cparse

import (
	"strings"
	"testing"
)

// TestScanConds checks the chain read at each marked line: a line ending
// in "// at: X | Y" must have the directives X, Y (their If forms) around
// it, "// at:" none.
func TestScanConds(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"guard ifndef", `#ifndef G_H
#define G_H
int a; // at:
#ifdef A
int b; // at: #ifdef A
#endif
#endif
`},
		{"guard if !defined", `/* leading comment */
#if !defined(G_H)
#define G_H 1
int a; // at:
#endif /* G_H */
`},
		// sqlite3.h: its guard closes before its later sections. A file
		// that includes the header and copied "#ifndef G_H" would read
		// it as false.
		{"a guard with content after its endif", `#ifndef G_H
#define G_H
int a; // at:
#endif
int b; // at:
`},
		{"a guard of a section", `#ifdef A
int a; // at: #ifdef A
#if !defined(SECTION_H)
#define SECTION_H 1
int b; // at: #ifdef A
#endif
#endif
`},
		{"not a guard: no define right after", `#ifndef G_H
int a; // at: #ifndef G_H
#define G_H
#endif
`},
		{"elif and else", `#if V >= 3
int a; // at: #if V >= 3
#elif defined(B)
int b; // at: #if !(V >= 3) && (defined(B))
#elifdef C
int c; // at: #if !(V >= 3) && !(defined(B)) && (defined(C))
#else
int d; // at: #if !(V >= 3) && !(defined(B)) && !(defined(C))
#endif
int e; // at:
`},
		{"nested, comments and continuations", `#ifdef A /* #if X
 still a comment #endif */
#  if B && \
      C
int a; // at: #ifdef A | #if B && C
const char *s = "/* not a comment"; // at: #ifdef A | #if B && C
#  endif
int b; // at: #ifdef A
#endif
`},
		{"ifndef", `#ifndef NO_X
int a; // at: #ifndef NO_X
#endif
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := scanConds("h.h", []byte(tc.src))
			for i, line := range strings.Split(tc.src, "\n") {
				_, want, ok := strings.Cut(line, "// at:")
				if !ok {
					continue
				}
				var got []string
				for _, c := range ix.at(i + 1) {
					got = append(got, c.If)
				}
				if g, w := strings.Join(got, " | "), strings.TrimSpace(want); g != w {
					t.Errorf("line %d %q: chain %q, want %q", i+1, line, g, w)
				}
			}
		})
	}
}
