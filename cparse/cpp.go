package cparse

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/vtablegen/vtablegen/vtable"
)

// DefaultCppTimeout is how long the build's preprocessor may run when
// Options.CppTimeout does not say: generous (a Kbuild unit takes about
// half a second), it only stops a preprocessor that hangs, e.g. reading a
// FIFO.
const DefaultCppTimeout = 5 * time.Minute

// maxCppOutput bounds what the build's preprocessor may write: a
// preprocessed unit's bound (a variable for the tests).
var maxCppOutput int64 = maxUnitBytes

// preprocess runs the build's preprocessor, p.opts.Cpp followed by the
// flags and the header, in p.opts.Dir, and returns its output. A failure
// is returned as positioned diagnostics read from the compiler's messages.
// watch, when not nil, is called with the output read so far each time
// more of it is read, while the preprocessor runs: the caller may start
// on a prefix (see speculation) before the preprocessor ends.
func (p *Parser) preprocess(name string, watch func(out []byte)) ([]byte, vtable.Diagnostics) {
	argv := append([]string{}, p.opts.Cpp...)
	if !slices.Contains(argv[1:], "-E") {
		argv = append(argv, "-E")
	}
	for _, d := range p.opts.IncludeDirs {
		argv = append(argv, "-I"+d)
	}
	for _, d := range p.opts.Defines {
		argv = append(argv, "-D"+d)
	}
	argv = append(argv, p.opts.Flags...)
	// The output goes to a temporary file, not a pipe: a Kbuild unit is
	// about 4 MB, and the preprocessor writes it about 20% faster to a
	// file than through a 64 KB pipe. It is read as it is written.
	out, err := os.CreateTemp("", "vtablegen-cpp-*.i")
	if err != nil {
		var l vtable.Diagnostics
		l.Add(vtable.FileStart(name), "%v", err)
		return nil, l
	}
	defer os.Remove(out.Name())
	defer out.Close()
	argv = append(argv, "-o", out.Name(), name)
	timeout := p.opts.CppTimeout
	if timeout <= 0 {
		timeout = DefaultCppTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// The program is looked up here so that a missing one is reported as
	// before, not by the guard's shell.
	prog, err := argv[0], error(nil)
	if strings.Contains(prog, "/") {
		at := prog
		if !filepath.IsAbs(at) && p.opts.Dir != "" {
			at = filepath.Join(p.opts.Dir, at)
		}
		_, err = os.Stat(at)
	} else {
		prog, err = exec.LookPath(prog)
	}
	if err != nil {
		var l vtable.Diagnostics
		l.Add(vtable.FileStart(name), "preprocessor %s: %v", argv[0], err)
		return nil, l
	}
	run := guardCpp(append([]string{prog}, argv[1:]...), out.Name())
	cmd := exec.CommandContext(ctx, run[0], run[1:]...)
	cmd.Dir = p.opts.Dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	// The preprocessor and what it starts (cc1) are a process group of
	// their own, killed whole on a timeout or an oversized output, and
	// by the guard when vtablegen dies (guardCpp).
	cmd.SysProcAttr = cppProcAttr()
	cmd.Cancel = func() error { return killGroup(cmd) }
	// Once stopped, do not wait for a straggler that holds stderr open.
	cmd.WaitDelay = 2 * time.Second
	// Started and waited for from one locked thread: the parent-death
	// signal (Pdeathsig) follows the thread that started the process, and
	// a thread ends when a goroutine locked to it does, e.g. a cc/v4 run
	// (speculation parses while the preprocessor runs).
	exited := make(chan struct{})
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		defer close(exited)
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		err = cmd.Wait()
	}()
	if err := <-started; err != nil {
		var l vtable.Diagnostics
		l.Add(vtable.FileStart(name), "preprocessor %s: %v", argv[0], err)
		return nil, l
	}
	// Read the output as it grows; past the size a unit may have, stop
	// the preprocessor now rather than after it has filled the disk.
	text, tooBig, readErr := tail(out, exited, watch)
	if tooBig {
		killGroup(cmd)
	}
	<-exited
	killGroup(cmd) // anything it left running
	if tooBig {
		var l vtable.Diagnostics
		l.Add(vtable.FileStart(name), "the preprocessor's output grew past the %d MiB a preprocessed unit may have: stopped", maxCppOutput>>20)
		return nil, l
	}
	if ctx.Err() == context.DeadlineExceeded {
		var l vtable.Diagnostics
		l.Add(vtable.FileStart(name), "preprocessor %s did not finish in %v: stopped (the time limit is -cpp-timeout)", argv[0], timeout)
		return nil, l
	}
	if err == nil {
		if readErr == nil {
			return text, nil
		}
		var l vtable.Diagnostics
		l.Add(vtable.FileStart(name), "reading the preprocessor's output: %v", readErr)
		return nil, l
	}
	var l vtable.Diagnostics
	for _, line := range strings.Split(stderr.String(), "\n") {
		pos, msg, ok := splitPosition(strings.TrimSpace(line))
		if !ok {
			continue
		}
		for _, prefix := range []string{"fatal error: ", "error: "} {
			if rest, found := strings.CutPrefix(msg, prefix); found {
				if !filepath.IsAbs(pos.Filename) && p.opts.Dir != "" {
					pos.Filename = filepath.Join(p.opts.Dir, pos.Filename)
				}
				l.Add(pos, "%s", rest)
			}
		}
	}
	if len(l) == 0 {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		l.Add(vtable.FileStart(name), "preprocessor %s failed: %v: %s", argv[0], err, msg)
	}
	return nil, l
}

// tailPoll is how long tail waits for more output.
const tailPoll = 2 * time.Millisecond

// tail reads f as the preprocessor writes it, until exited is closed and
// everything is read, calling watch (when not nil) with all read so far
// after each read. It stops early, with tooBig, past maxCppOutput.
func tail(f *os.File, exited <-chan struct{}, watch func([]byte)) (text []byte, tooBig bool, err error) {
	buf := make([]byte, 0, 1<<20)
	done := false
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, cap(buf))
		}
		n, rerr := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > maxCppOutput {
			return nil, true, nil
		}
		if rerr != nil && rerr != io.EOF {
			return nil, false, rerr
		}
		if n > 0 {
			if watch != nil && !done {
				watch(buf)
			}
			continue
		}
		if done {
			return buf, false, nil
		}
		select {
		case <-exited:
			done = true // read what is left, to its end
		case <-time.After(tailPoll):
		}
	}
}

// dropForPreprocessing returns how many arguments, starting at args[i], to
// drop when a compile command becomes a preprocessing one: flags that make
// output files (-o, -MF, -Wp,-MD) or choose the compiler's stage (-c),
// with their arguments; 0 to keep args[i].
func dropForPreprocessing(args []string, i int) int {
	a := args[i]
	switch a {
	case "-c", "-S", "-E", "-MD", "-MMD", "-MP", "-M", "-MM":
		return 1
	case "-o", "-MF", "-MT", "-MQ":
		return 2
	}
	if strings.HasPrefix(a, "-Wp,-MD") || strings.HasPrefix(a, "-Wp,-MMD") ||
		strings.HasPrefix(a, "-o") && len(a) > 2 || strings.HasPrefix(a, "-MF") && len(a) > 3 {
		return 1
	}
	return 0
}

// preprocessCommand turns a compile command, argv, into the preprocessor
// and the flags to run it with: argv[0] stays the compiler, output and
// dependency-file flags and -c go, and the source files (src, and any
// other .c, .S or .i input, however its path is written) are taken out so
// that the caller names the one file to preprocess.
func preprocessCommand(argv []string, src string) (cpp, flags []string) {
	cpp = []string{argv[0], "-E"}
	for i := 1; i < len(argv); {
		if n := dropForPreprocessing(argv, i); n > 0 {
			i += n
			continue
		}
		a := argv[i]
		input := a == src || !strings.HasPrefix(a, "-") && (strings.HasSuffix(a, ".c") || strings.HasSuffix(a, ".S") || strings.HasSuffix(a, ".i"))
		if input && (i == 1 || !takesArgument(argv[i-1])) {
			i++
			continue
		}
		flags = append(flags, a)
		i++
	}
	return cpp, flags
}

// takesArgument reports a compiler flag whose argument is the next word.
func takesArgument(flag string) bool {
	switch flag {
	case "-include", "-imacros", "-isystem", "-iquote", "-idirafter", "-iprefix", "-iwithprefix",
		"-isysroot", "-I", "-D", "-U", "-x", "-MF", "-MT", "-MQ", "-o", "-Xpreprocessor", "-target":
		return true
	}
	return false
}

// SplitCommand splits a command line into words as a POSIX shell does; see
// shellWords.
func SplitCommand(s string) ([]string, error) { return shellWords(s) }

// shellWords splits a command line the way a POSIX shell splits words:
// blanks separate words, single quotes keep everything, double quotes keep
// all but \\, \", \$ and \`, and a backslash quotes the next byte. It stops
// at an unquoted ';', '&&' or '|', which end the first command.
func shellWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == ';' || c == '|' || c == '&':
			if inWord {
				words = append(words, cur.String())
			}
			return words, nil
		case c == '\\':
			if i+1 < len(s) {
				i++
				if s[i] != '\n' {
					cur.WriteByte(s[i])
				}
			}
			inWord = true
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated ' quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\\\"$`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, fmt.Errorf("unterminated \" quote")
			}
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
