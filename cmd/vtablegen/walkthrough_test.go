package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// readmeBlock is a fenced code block of the README: its info string's
// language, the file= it names (if any) and its text.
type readmeBlock struct {
	lang, file, text string
}

// readmeSection returns the fenced code blocks of the README between the
// heading that starts with from and the next heading of the same level.
func readmeSection(t *testing.T, from string) []readmeBlock {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	i := strings.Index(text, "\n"+from)
	if i < 0 {
		t.Fatalf("README has no heading %q", from)
	}
	level := strings.Fields(from)[0] + " "
	text = text[i+1+len(from):]
	if j := strings.Index(text, "\n"+level); j >= 0 {
		text = text[:j]
	}
	var blocks []readmeBlock
	lines := strings.Split(text, "\n")
	for k := 0; k < len(lines); k++ {
		info, ok := strings.CutPrefix(lines[k], "```")
		if !ok {
			continue
		}
		var bl readmeBlock
		for n, f := range strings.Fields(info) {
			if name, ok := strings.CutPrefix(f, "file="); ok {
				bl.file = name
			} else if n == 0 {
				bl.lang = f
			}
		}
		var body []string
		for k++; k < len(lines) && lines[k] != "```"; k++ {
			body = append(body, lines[k])
		}
		bl.text = strings.Join(body, "\n") + "\n"
		blocks = append(blocks, bl)
	}
	return blocks
}

// TestKernelWalkthrough runs the README's kernel walkthrough as written:
// its shell blocks with bash, its file= blocks written where the shell
// left off, with KDIR the Debian 6.12 headers the fixtures installed and
// VTABLEGEN_SRC this repository; the module must build with -Werror and
// hold the generated initializer.
func TestKernelWalkthrough(t *testing.T) {
	bash := testtool.Need(t, "bash")
	testtool.Need(t, "make")
	testtool.Need(t, "gcc")
	vg := tool(t)
	version, err := os.ReadFile(testtool.NeedFile(t, filepath.Join("..", "..", ".cache", "kernel", "version"), "make test runs scripts/kernel-fixtures.sh"))
	if err != nil {
		t.Fatal(err)
	}
	kdir := testtool.NeedFile(t, "/usr/src/linux-headers-"+strings.TrimSpace(string(version)), "make test runs scripts/kernel-fixtures.sh")
	src, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeSection(t, "## Kernel walkthrough")
	root := t.TempDir()
	cwd := root
	env := append(os.Environ(), "VTABLEGEN_SRC="+src, "KDIR="+kdir, "PATH="+filepath.Dir(vg)+string(os.PathListSeparator)+os.Getenv("PATH"))
	shells, files := 0, 0
	for _, bl := range blocks {
		switch {
		case bl.file != "":
			files++
			if err := os.WriteFile(filepath.Join(cwd, bl.file), []byte(bl.text), 0o666); err != nil {
				t.Fatal(err)
			}
		case bl.lang == "sh":
			shells++
			// Run the block, then learn where it left the shell.
			cmd := exec.Command(bash, "-euc", bl.text+"\npwd >&3", "walkthrough")
			cmd.Dir = cwd
			cmd.Env = env
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.ExtraFiles = []*os.File{w}
			out, err := cmd.CombinedOutput()
			w.Close()
			where := make([]byte, 4096)
			n, _ := r.Read(where)
			r.Close()
			if err != nil {
				t.Fatalf("README block failed: %v\n%s\n%s", err, bl.text, out)
			}
			cwd = strings.TrimSpace(string(where[:n]))
			t.Logf("ran:\n%s%s", bl.text, out)
		}
	}
	if shells < 2 || files < 3 {
		t.Fatalf("the walkthrough has %d shell blocks and %d files, want the set-up, the build and kernel.h, vtable.toml, Kbuild", shells, files)
	}
	if _, err := os.Stat(filepath.Join(cwd, "miscdev.ko")); err != nil {
		t.Fatalf("the walkthrough built no module: %v", err)
	}
	c, err := os.ReadFile(filepath.Join(cwd, "file_operations_vtable.c"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".owner = THIS_MODULE,", ".compat_ioctl = compat_ptr_ioctl,", ".unlocked_ioctl = rust_misc_unlocked_ioctl,"} {
		if !strings.Contains(string(c), want) {
			t.Errorf("file_operations_vtable.c has no %q:\n%s", want, c)
		}
	}
	rs, err := os.ReadFile(filepath.Join(cwd, "file_operations_vtable.rs"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rs), "pub(crate) const VTABLE: bindings::file_operations = bindings::file_operations {") {
		t.Errorf("file_operations_vtable.rs:\n%s", rs)
	}
}
