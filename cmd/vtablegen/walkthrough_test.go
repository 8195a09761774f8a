package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// readmeBlock is a fenced code block of the README: its info string's
// language, the file= it names (if any), the user it runs as (as=root: in
// the booted kernel), whether it is the expected output of the block
// before it (output), and its text.
type readmeBlock struct {
	lang, file, as string
	output         bool
	text           string
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
			} else if user, ok := strings.CutPrefix(f, "as="); ok {
				bl.as = user
			} else if f == "output" {
				bl.output = true
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

// kernelRelease is the kernel of scripts/kernel-rust-7.3.sh's chroot and
// QEMU boots: Debian's 7.3.4, built with Rust.
const kernelRelease = "7.3.4+deb13-amd64"

// TestKernelWalkthrough runs the README's kernel walkthrough as written,
// against Debian's Linux 7.3.4 (built with Rust). Its sh blocks run with
// bash in the trixie chroot of scripts/kernel-rust-7.3.sh (qemu-boot.sh
// run), with KDIR that kernel's headers, VTABLEGEN_SRC a copy of this
// repository's examples, and this vtablegen (built on the host: the
// chroot's glibc is newer) first on PATH; its file= blocks are written
// where the shell left off, and each must be the example's file of that
// name; its as=root block is the script of a QEMU boot of that kernel
// (qemu-boot.sh boot), given the modules and programs the build left, and
// the PASS and FAIL lines it prints must be the output block's.
func TestKernelWalkthrough(t *testing.T) {
	bash := testtool.Need(t, "bash")
	vg := tool(t)
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(repo, ".cache")
	testtool.NeedFile(t, filepath.Join(cache, "kernel-rust", "done"), "make test runs scripts/kernel-rust-7.3.sh")
	qemuBoot := filepath.Join(repo, "scripts", "qemu-boot.sh")
	example := filepath.Join(repo, "examples", "rustmisc")

	// Everything the chroot sees is under root: bin (vtablegen), src (the
	// checkout's examples), home (where the walkthrough starts).
	root := t.TempDir()
	bin, src, home := filepath.Join(root, "bin"), filepath.Join(root, "src"), filepath.Join(root, "home")
	copyTree(t, vg, filepath.Join(bin, "vtablegen"))
	copyTree(t, filepath.Join(repo, "examples"), filepath.Join(src, "examples"))
	if err := os.MkdirAll(home, 0o777); err != nil {
		t.Fatal(err)
	}
	env := []string{"KDIR=/usr/src/linux-headers-" + kernelRelease, "VTABLEGEN_SRC=" + src,
		"PATH=" + bin + ":/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + home}
	cwdFile := filepath.Join(root, ".cwd")

	cwd := home
	var guest, wantOut []string
	var rustBlock string
	shells, files := 0, 0
	for _, bl := range readmeSection(t, "## Kernel walkthrough") {
		switch {
		case bl.file != "":
			files++
			want, err := os.ReadFile(filepath.Join(example, bl.file))
			if err != nil {
				t.Errorf("the README writes %s, which examples/rustmisc does not have: %v", bl.file, err)
			} else if string(want) != bl.text {
				t.Errorf("the README's %s is not examples/rustmisc/%s:\n%s", bl.file, bl.file, firstDiffLine(string(want), bl.text))
			}
			if err := os.WriteFile(filepath.Join(cwd, bl.file), []byte(bl.text), 0o666); err != nil {
				t.Fatal(err)
			}
		case bl.lang == "sh" && bl.as == "root":
			guest = append(guest, bl.text)
		case bl.lang == "sh":
			shells++
			// Run the block in the chroot, then learn where it left the shell.
			args := append([]string{qemuBoot, "run", cache, root, "env"}, env...)
			args = append(args, "bash", "-euc", "cd \"$1\"\n"+bl.text+"\npwd >"+cwdFile, "walkthrough", cwd)
			out, err := exec.Command(bash, args...).CombinedOutput()
			if err != nil {
				t.Fatalf("README block failed: %v\n%s\n%s", err, bl.text, out)
			}
			where, err := os.ReadFile(cwdFile)
			if err != nil {
				t.Fatal(err)
			}
			cwd = strings.TrimSpace(string(where))
			t.Logf("ran:\n%s%s", bl.text, out)
		case bl.output:
			wantOut = strings.Split(strings.TrimSuffix(bl.text, "\n"), "\n")
		case bl.lang == "rust" && strings.Contains(bl.text, "VTABLE"):
			rustBlock = bl.text
		}
	}
	if shells < 2 || files < 3 || len(guest) != 1 || wantOut == nil || rustBlock == "" {
		t.Fatalf("the walkthrough has %d shell blocks, %d files, %d as=root blocks, output %v, VTABLE block %v; want the set-up and the build, fops.c, Kbuild and vtable.toml, one as=root block, its output and the generated VTABLE",
			shells, files, len(guest), wantOut != nil, rustBlock != "")
	}

	// The README shows the VTABLE the walkthrough generated.
	rs, err := os.ReadFile(filepath.Join(cwd, "file_operations_vtable.rs"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(rustBlock, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.Contains(string(rs), line) {
			t.Errorf("the README's VTABLE has %q, file_operations_vtable.rs does not:\n%s", line, rs)
		}
	}

	// The as=root block runs in the booted kernel, in a directory holding
	// the modules and programs the walkthrough built.
	ents, err := os.ReadDir(cwd)
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, "walkthrough-root.sh")
	if err := os.WriteFile(script, []byte("set -e\n"+guest[0]), 0o666); err != nil {
		t.Fatal(err)
	}
	args := []string{qemuBoot, "boot", cache, script}
	for _, e := range ents {
		info, err := e.Info()
		if err == nil && info.Mode().IsRegular() && (strings.HasSuffix(e.Name(), ".ko") || info.Mode()&0o111 != 0) {
			args = append(args, filepath.Join(cwd, e.Name()))
		}
	}
	log, err := exec.Command(bash, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("the as=root block failed in the booted kernel: %v\n%s", err, log)
	}
	var got []string
	for line := range strings.SplitSeq(string(log), "\n") {
		if strings.HasPrefix(line, "PASS ") || strings.HasPrefix(line, "FAIL ") || strings.HasPrefix(line, "usertest: ") {
			got = append(got, line)
		}
	}
	if strings.Join(got, "\n") != strings.Join(wantOut, "\n") {
		t.Errorf("the booted kernel printed\n%s\nthe README's output block says\n%s", strings.Join(got, "\n"), strings.Join(wantOut, "\n"))
	}
}

// copyTree copies file or directory from to to, keeping the files' modes.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o777)
		}
		info, err := d.Info()
		if err != nil || !info.Mode().IsRegular() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
			return err
		}
		return os.WriteFile(dst, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// firstDiffLine says where want and got first differ, by line.
func firstDiffLine(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d: want %q, got %q", i+1, wl, gl)
		}
	}
	return "(equal)"
}
