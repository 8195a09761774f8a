package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDriftCommand: the text report (a line per change at the member, its
// effects indented), the JSON form, and the exit status (0 unchanged, 1
// changed, 2 usage).
func TestDriftCommand(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "old.h"), []byte("struct ops {\n\tint (*open)(void);\n\tint (*drop)(int);\n};\n"), 0o666)
	os.WriteFile(filepath.Join(dir, "new.h"), []byte("struct ops {\n\tint (*open)(void);\n};\n"), 0o666)
	os.WriteFile(filepath.Join(dir, "ops.rs"), []byte("#[vtable]\npub trait Ops {\n    fn open() -> i32;\n    fn drop(_x: i32) -> i32 { 0 }\n}\n"), 0o666)
	code, out, errs := runCmd("drift", "-C", dir, "-old", "old.h", "-new", "new.h", "-struct", "ops", "ops.rs")
	want := "struct ops: 1 change from " + dir + "/old.h:1 to " + dir + "/new.h:1\n" +
		dir + "/old.h:3:8: removed drop: int (*)(int)\n" +
		"\t" + dir + "/ops.rs:4:8: breaks: method drop of trait Ops fills drop, which the new struct ops does not have: 'vtablegen gen' reports the method as filling no member\n"
	if code != 1 || out != want {
		t.Errorf("exit %d\n%s\nwant\n%s%s", code, out, want, errs)
	}
	code, out, _ = runCmd("drift", "-C", dir, "-old", "old.h", "-new", "new.h", "-struct", "ops", "-json", "ops.rs")
	var j struct {
		Struct  string
		Changes []struct {
			Kind, Member string
			Effects      []struct{ Kind string }
		}
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || code != 1 || j.Struct != "ops" || len(j.Changes) != 1 ||
		j.Changes[0].Kind != "removed" || len(j.Changes[0].Effects) != 1 || j.Changes[0].Effects[0].Kind != "breaks" {
		t.Errorf("exit %d, %v: %s", code, err, out)
	}
	if code, out, _ = runCmd("drift", "-C", dir, "-old", "old.h", "-new", "old.h", "-struct", "ops"); code != 0 || !strings.Contains(out, "0 changes") {
		t.Errorf("unchanged: exit %d: %s", code, out)
	}
	if code, _, errs = runCmd("drift", "-C", dir, "-old", "old.h", "-struct", "ops"); code != 2 || !strings.Contains(errs, "need -old, -new and -struct") {
		t.Errorf("usage: exit %d: %s", code, errs)
	}
	if code, _, errs = runCmd("drift", "-C", dir, "-old", "old.h", "-new", "new.h", "-struct", "nope"); code != 1 || !strings.Contains(errs, "old.h:1:1: error: no struct \"nope\"") {
		t.Errorf("unknown struct: exit %d: %s", code, errs)
	}
}
