package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditCases runs "audit -header ops.h [args] ." on each
// testdata/audit/*.txtar stand-in tree (its files unpacked into a
// directory; "args" holds further flags) and compares the output with
// "want", file names relative to the directory. The exit status is 1 when
// there is a finding and 0 otherwise. -update rewrites want.
func TestAuditCases(t *testing.T) {
	loadCases(t, "audit", func(t *testing.T, path string, a archive) {
		dir := t.TempDir()
		args := []string{"audit", "-C", dir, "-header", "ops.h"}
		var want []byte
		wantAt := -1
		for i, f := range a.files {
			switch f.name {
			case "args":
				args = append(args, strings.Fields(string(f.data))...)
			case "want":
				want, wantAt = f.data, i
			default:
				writeArchiveFile(t, dir, f)
			}
		}
		code, stdout, stderr := runCmd(append(args, ".")...)
		got := strings.ReplaceAll(stdout, dir+string(filepath.Separator), "")
		if *update {
			a.files[wantAt].data = []byte(got)
			if err := os.WriteFile(path, formatArchive(a), 0o666); err != nil {
				t.Fatal(err)
			}
			return
		}
		if got != string(want) {
			t.Errorf("audit:\n%s\nwant:\n%s%s", got, want, stderr)
		}
		if wantCode := map[bool]int{true: 0, false: 1}[strings.Contains(got, " 0 findings")]; code != wantCode {
			t.Errorf("exit %d, want %d: %s", code, wantCode, stderr)
		}
	})
}
