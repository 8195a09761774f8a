package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

var update = flag.Bool("update", false, "rewrite the want.json of every testdata/structs case")

// archive is a txtar archive: a comment, then files introduced by
// "-- name --" lines.
type archive struct {
	comment string
	files   []archiveFile
}

type archiveFile struct {
	name string
	data []byte
}

func parseArchive(data []byte) archive {
	var a archive
	var cur *archiveFile
	var comment bytes.Buffer
	for _, line := range strings.SplitAfter(string(data), "\n") {
		trimmed := strings.TrimRight(line, "\n")
		if strings.HasPrefix(trimmed, "-- ") && strings.HasSuffix(trimmed, " --") && len(trimmed) > 6 {
			a.files = append(a.files, archiveFile{name: strings.TrimSpace(trimmed[3 : len(trimmed)-3])})
			cur = &a.files[len(a.files)-1]
			continue
		}
		if cur == nil {
			comment.WriteString(line)
		} else {
			cur.data = append(cur.data, line...)
		}
	}
	a.comment = comment.String()
	return a
}

// loadCases calls run in a subtest for each testdata/<kind>/*.txtar
// archive, parsed.
func loadCases(t *testing.T, kind string, run func(t *testing.T, path string, a archive)) {
	t.Helper()
	cases, err := filepath.Glob(filepath.Join("testdata", kind, "*.txtar"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases in testdata/%s: %v", kind, err)
	}
	for _, path := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			run(t, path, parseArchive(data))
		})
	}
}

// writeArchiveFile writes an archive file below dir, making directories.
func writeArchiveFile(t *testing.T, dir string, f archiveFile) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(f.name))
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, f.data, 0o666); err != nil {
		t.Fatal(err)
	}
	return p
}

func formatArchive(a archive) []byte {
	var b bytes.Buffer
	b.WriteString(a.comment)
	for _, f := range a.files {
		b.WriteString("-- " + f.name + " --\n")
		b.Write(f.data)
	}
	return b.Bytes()
}

// TestStructsCases runs "structs -json" on each testdata/structs/*.txtar
// case: the archive's files are unpacked into a directory, "flags" holds
// the compiler flags one per line ($DIR names that directory), ops.h is
// the header, and want.json is the expected output with file names
// relative to the directory. -update rewrites want.json.
func TestStructsCases(t *testing.T) {
	testtool.Need(t, "gcc")
	loadCases(t, "structs", func(t *testing.T, path string, a archive) {
		dir := t.TempDir()
		var flags []string
		var want []byte
		wantAt := -1
		for i, f := range a.files {
			switch f.name {
			case "flags":
				for _, l := range strings.Split(string(f.data), "\n") {
					flags = append(flags, strings.Fields(strings.ReplaceAll(l, "$DIR", dir))...)
				}
			case "want.json":
				want, wantAt = f.data, i
			default:
				writeArchiveFile(t, dir, f)
			}
		}
		args := append(append([]string{"structs", "-json"}, flags...), filepath.Join(dir, "ops.h"))
		code, stdout, stderr := runCmd(args...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		got := []byte(strings.ReplaceAll(stdout, dir+string(filepath.Separator), ""))
		if *update {
			if wantAt < 0 {
				a.files = append(a.files, archiveFile{name: "want.json"})
				wantAt = len(a.files) - 1
			}
			a.files[wantAt].data = got
			if err := os.WriteFile(path, formatArchive(a), 0o666); err != nil {
				t.Fatal(err)
			}
			return
		}
		if !bytes.Equal(got, want) {
			t.Errorf("structs -json:\n%s\nwant.json:\n%s", got, want)
		}
	})
}
