package cparse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

func TestSplitPosition(t *testing.T) {
	for _, tc := range []struct {
		in        string
		file      string
		line, col int
		msg       string
		ok        bool
	}{
		{"ops.h:12:5: unexpected '}'", "ops.h", 12, 5, "unexpected '}'", true},
		{"C:/x/ops.h:3:1: bad", "C:/x/ops.h", 3, 1, "bad", true},
		{"ops.h:2:9: note: a: b", "ops.h", 2, 9, "note: a: b", true},
		{"no position here", "", 0, 0, "no position here", false},
		{"ops.h:x:1: bad", "", 0, 0, "ops.h:x:1: bad", false},
	} {
		pos, msg, ok := splitPosition(tc.in)
		if ok != tc.ok || msg != tc.msg || pos.Filename != tc.file || pos.Line != tc.line || pos.Column != tc.col {
			t.Errorf("splitPosition(%q) = %v, %q, %v; want %s:%d:%d, %q, %v", tc.in, pos, msg, ok, tc.file, tc.line, tc.col, tc.msg, tc.ok)
		}
	}
}

func TestTranslateReportsPositionedSyntaxError(t *testing.T) {
	testtool.Need(t, "gcc") // cc/v4's NewConfig asks the host compiler.
	p, err := NewParser(Options{Defines: []string{"WITH_FLAGS"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.h")
	bad := filepath.Join(dir, "bad.h")
	writeFile(t, good, "#include <stddef.h>\nstruct ops {\n\tint (*open)(void *);\n#ifdef WITH_FLAGS\n\tsize_t flags;\n#endif\n};\n")
	writeFile(t, bad, "struct ops {\n\tint (*open)(void *)\n\tint x;\n};\n")

	if _, diags := p.translate(good, nil); diags != nil {
		t.Fatalf("good header: %v", diags)
	}
	_, diags := p.translate(bad, nil)
	if len(diags) == 0 {
		t.Fatal("bad header: no diagnostics")
	}
	d := diags[0]
	if d.Pos.Filename != bad || d.Pos.Line != 3 || d.Pos.Column < 1 || !strings.Contains(d.Msg, "int") {
		t.Errorf("bad header: got %v, want a diagnostic at %s:3 naming the unexpected token", d, bad)
	}
}

func writeFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(text), 0o666); err != nil {
		t.Fatal(err)
	}
}
