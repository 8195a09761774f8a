package vtable

import (
	"cmp"
	"fmt"
	"go/token"
	"slices"
	"strings"
)

// Severity says whether a diagnostic stops generation.
type Severity int

const (
	// Error is a finding that makes the input unusable; the command exits 1.
	Error Severity = iota
	// Warning is a finding the user should see that does not stop
	// generation, e.g. a vtable attribute inside a macro invocation that cannot be
	// expanded.
	Warning
	// Verbose is a remark on how the input was read, e.g. what a reduced
	// translation unit left out; the command shows it only with -v.
	Verbose
)

// Related is a second position a diagnostic points at, e.g. where the
// member it names was declared.
type Related struct {
	Pos token.Position
	// Msg says what is there, e.g. "member declared here".
	Msg string
}

// Diagnostic is a finding about the user's input, with its position.
// Messages are lower case, without a final period, and name the valid
// choices, e.g. `method "opne" has no member in struct file_operations; did you mean "open"?`.
type Diagnostic struct {
	Pos      token.Position
	Severity Severity
	Msg      string
	Related  []Related
}

// Error formats the diagnostic the way gcc does, so that editors and CI
// annotate it: "file:line:col: error: message" ("warning:", "note:" for
// the other severities), then one "file:line:col: note: <related message>"
// line for each place it points at.
func (d *Diagnostic) Error() string {
	var b strings.Builder
	b.WriteString(posString(d.Pos))
	b.WriteString(": ")
	b.WriteString(d.Severity.String())
	b.WriteString(": ")
	b.WriteString(d.Msg)
	for _, r := range d.Related {
		b.WriteString("\n")
		b.WriteString(posString(r.Pos))
		b.WriteString(": note: ")
		b.WriteString(r.Msg)
	}
	return b.String()
}

// String returns the severity as gcc spells it in a diagnostic: "error",
// "warning" or "note".
func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Verbose:
		return "note"
	}
	return "error"
}

func posString(p token.Position) string {
	if !p.IsValid() {
		if p.Filename == "" {
			return "-"
		}
		return p.Filename
	}
	return p.String()
}

// FileStart is the position reported for a problem with a whole file, such
// as one that cannot be read or is too large: its first line and column, so
// that every diagnostic keeps the file:line:col form.
func FileStart(file string) token.Position {
	return token.Position{Filename: file, Line: 1, Column: 1}
}

// Diagnostics is a list of findings, collected so that one run reports
// every problem, as go/scanner.ErrorList does.
type Diagnostics []*Diagnostic

// Add appends an error diagnostic at pos.
func (l *Diagnostics) Add(pos token.Position, format string, args ...any) *Diagnostic {
	d := &Diagnostic{Pos: pos, Msg: fmt.Sprintf(format, args...)}
	*l = append(*l, d)
	return d
}

// Warn appends a warning diagnostic at pos.
func (l *Diagnostics) Warn(pos token.Position, format string, args ...any) *Diagnostic {
	d := l.Add(pos, format, args...)
	d.Severity = Warning
	return d
}

// Note appends a Verbose diagnostic at pos.
func (l *Diagnostics) Note(pos token.Position, format string, args ...any) *Diagnostic {
	d := l.Add(pos, format, args...)
	d.Severity = Verbose
	return d
}

// Sort orders the list by file, line and column, keeping the order of
// findings at the same position.
func (l Diagnostics) Sort() {
	slices.SortStableFunc(l, func(a, b *Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.Filename, b.Pos.Filename),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Column, b.Pos.Column),
		)
	})
}

// HasErrors reports whether any diagnostic in the list is an error rather
// than a warning.
func (l Diagnostics) HasErrors() bool {
	return slices.ContainsFunc(l, func(d *Diagnostic) bool { return d.Severity == Error })
}

// Error joins the diagnostics one per line.
func (l Diagnostics) Error() string {
	lines := make([]string, len(l))
	for i, d := range l {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}

// Err returns the list as an error when it holds an error diagnostic, and
// nil otherwise.
func (l Diagnostics) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return l
}
