package cparse

import (
	"bytes"
	"fmt"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/vtablegen/vtablegen/vtable"
)

// expansionLimit bounds macro expansion work (cc/v4's
// Config.ExpansionLimit: tokens processed, rescans included); a variable
// for the tests.
var expansionLimit = 5_000_000

// Limits on what the C front end reads, so that broken or hostile input
// gets a clear positioned error instead of a crash, a hang or all memory.
const (
	// maxHeaderBytes bounds one file that cc/v4's preprocessor reads.
	maxHeaderBytes = 8 << 20
	// maxUnitBytes bounds a preprocessed unit; Kbuild's are about 4 MB.
	maxUnitBytes = 512 << 20
	// maxNesting bounds the nesting of parentheses, brackets and braces;
	// cc/v4's recursive-descent parser runs out of stack on 100,000.
	maxNesting = 256
)

// checkSource returns a diagnostic when src, the contents of file, is not
// C source vtablegen reads: larger than limit, holding a NUL byte (a binary
// file), not UTF-8 (when header is true: preprocessed output may carry
// other bytes in string literals), or nested deeper than maxNesting.
// toks are src's tokens, or nil to tokenize here.
func checkSource(file string, src []byte, limit int, header bool, toks []ctok) *vtable.Diagnostic {
	return checkSourceText(file, src, limit, header, toks, src)
}

// checkSourceText is checkSource with the tokens, when toks is nil, read
// from text, src without its comments (dropComments: the same lines and
// columns), and positioned in it.
func checkSourceText(file string, src []byte, limit int, header bool, toks []ctok, text []byte) *vtable.Diagnostic {
	at := func(off int, format string, args ...any) *vtable.Diagnostic {
		return &vtable.Diagnostic{Pos: offsetPos(file, src, off), Msg: fmt.Sprintf(format, args...)}
	}
	if len(src) > limit {
		return tooLarge(file, int64(len(src)), limit, header)
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return at(i, "a NUL byte: this is a binary file, not C source")
	}
	if header && !utf8.Valid(src) {
		for i := 0; i < len(src); {
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size == 1 {
				return at(i, "byte 0x%02x is not UTF-8: vtablegen reads C sources as UTF-8", src[i])
			}
			i += size
		}
	}
	if off, ok := literalRunsOffEnd(src); ok {
		// cc/v4 v4.31.0 never returns on this (found by FuzzParse).
		return at(off, "%s literal not terminated: a backslash carries it past the end of the file", map[byte]string{'"': "string", '\'': "character"}[src[off]])
	}
	if off, ok := trailingBackslash(src); ok {
		// C11 5.1.1.2 forbids it; cc/v4 never returns on '""\' (found by
		// FuzzParse).
		return at(off, "the file ends with a backslash, which C does not allow (a line splice into nothing)")
	}
	if toks == nil {
		toks = tokenize(text)
	} else {
		text = src
	}
	depth := 0
	for _, t := range toks {
		switch t.kind {
		case '(', '[', '{':
			if depth++; depth > maxNesting {
				return &vtable.Diagnostic{Pos: offsetPos(file, text, int(t.start)), Msg: fmt.Sprintf("nested more than %d levels deep", maxNesting)}
			}
		case ')', ']', '}':
			depth--
		}
	}
	return nil
}

// tooLarge reports a file of size bytes over limit.
func tooLarge(file string, size int64, limit int, header bool) *vtable.Diagnostic {
	what := "preprocessed unit"
	if header {
		what = "header"
	}
	return &vtable.Diagnostic{Pos: vtable.FileStart(file), Msg: fmt.Sprintf("%d bytes is more than the %d MiB a %s may have", size, limit>>20, what)}
}

// readRegular reads file after checking, without reading it, that it is a
// regular file (a symlink to one counts) of at most limit bytes: a device
// such as /dev/zero, a FIFO or a directory is "not a regular file" at the
// file's start, never read. what names the kind of file for the size
// message, e.g. "preprocessed unit".
func readRegular(file string, limit int64, what string) ([]byte, *vtable.Diagnostic) {
	st, err := os.Stat(file)
	if err != nil {
		return nil, fileDiag(file, err)
	}
	if d := regular(file, st); d != nil {
		return nil, d
	}
	if st.Size() > limit {
		return nil, &vtable.Diagnostic{Pos: vtable.FileStart(file), Msg: fmt.Sprintf("%d bytes is more than the %d MiB a %s may have", st.Size(), limit>>20, what)}
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fileDiag(file, err)
	}
	defer f.Close()
	// Sized from the stat, as os.ReadFile does: io.ReadAll's doubling
	// would hold up to twice a 4 MB unit.
	buf := bytes.NewBuffer(make([]byte, 0, st.Size()+512))
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, fileDiag(file, err)
	}
	src := buf.Bytes()
	if int64(len(src)) > limit { // it grew since the stat
		return nil, &vtable.Diagnostic{Pos: vtable.FileStart(file), Msg: fmt.Sprintf("more than the %d MiB a %s may have", limit>>20, what)}
	}
	return src, nil
}

// regular reports a file that is not a regular file.
func regular(file string, st os.FileInfo) *vtable.Diagnostic {
	if st.Mode().IsRegular() {
		return nil
	}
	kind := "a directory"
	switch {
	case st.Mode()&os.ModeNamedPipe != 0:
		kind = "a FIFO"
	case st.Mode()&os.ModeDevice != 0:
		kind = "a device"
	case st.Mode()&os.ModeSocket != 0:
		kind = "a socket"
	case !st.IsDir():
		kind = "not a file"
	}
	return &vtable.Diagnostic{Pos: vtable.FileStart(file), Msg: "not a regular file (" + kind + "): vtablegen reads only regular files"}
}

// fileRecorder is the file system cc/v4 reads through: the host's, with
// every file checked (checkSource) before cc/v4 sees it and a record of
// every file opened, for CUnit.Files.
type fileRecorder struct {
	seen     map[string]bool
	order    []string
	problems vtable.Diagnostics
	// special are files found that are not regular files, with why.
	special map[string]string
	// texts are the files handed to cc/v4 (without the comments that
	// end a line), by name, for condFiles: the same lines.
	texts map[string][]byte
	// raw are the same files as read, for byte offsets (setPosOffsets).
	raw map[string][]byte
}

// Open opens name after checking it; a file that fails the check is an
// error to cc/v4 and a problem in the record.
func (r *fileRecorder) Open(name string) (fs.File, error) {
	if f, ok, err := openFreestanding(name); ok {
		if err == nil {
			r.add(name)
		}
		return f, err
	}
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if d := regular(name, st); d != nil && !st.IsDir() {
		r.atInclude(d, name)
		r.problems = append(r.problems, d)
		return nil, fmt.Errorf("%s: %s", d.Pos, d.Msg)
	}
	if st.Size() > maxHeaderBytes { // reported without reading it
		d := tooLarge(name, st.Size(), maxHeaderBytes, true)
		r.atInclude(d, name)
		r.problems = append(r.problems, d)
		return nil, fmt.Errorf("%s: %s", d.Pos, d.Msg)
	}
	src, err := os.ReadFile(name)
	if err != nil {
		// As gcc: a file found but unreadable (permission denied) is an
		// error at the #include line, not "not found" and the next
		// directory, which is all cc/v4 would make of it.
		d := fileDiag(name, err)
		r.atInclude(d, name)
		r.problems = append(r.problems, d)
		return nil, fmt.Errorf("%s: %s", d.Pos, d.Msg)
	}
	// Nesting is checked on the tokens of the text without comments (the
	// same tokens, at the same lines and columns, a fraction of the bytes
	// to scan).
	text := dropComments(src)
	if d := checkSourceText(name, src, maxHeaderBytes, true, nil, text); d != nil {
		r.problems = append(r.problems, d)
		return nil, fmt.Errorf("%s: %s", d.Pos, d.Msg)
	}
	r.add(name)
	if r.texts == nil {
		r.texts = map[string][]byte{}
	}
	r.texts[name] = text
	if r.raw == nil {
		r.raw = map[string][]byte{}
	}
	r.raw[name] = src
	return memFile{bytes.NewReader(text), sizedInfo{st, int64(len(text))}}, nil
}

// atInclude moves a problem with the included file name to the #include
// line that reaches it, in the newest file read so far that has one
// naming it, and names the file in the message: "x.h:3:1: zero.h: not a
// regular file". The header itself (nothing read yet) keeps its own
// position.
func (r *fileRecorder) atInclude(d *vtable.Diagnostic, name string) {
	base := filepath.Base(name)
	for i := len(r.order) - 1; i >= 0; i-- {
		src, err := os.ReadFile(r.order[i])
		if err != nil {
			continue
		}
		for _, inc := range includeDirectives(string(src)) {
			if filepath.Base(inc.name) == base {
				d.Pos = token.Position{Filename: r.order[i], Line: inc.line, Column: inc.column}
				d.Msg = name + ": " + d.Msg
				return
			}
		}
	}
}

// memFile is a file already read and checked, handed to cc/v4 so that it
// is not read twice.
type memFile struct {
	*bytes.Reader
	info fs.FileInfo
}

func (f memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f memFile) Close() error               { return nil }

// Stat lets cc/v4 probe include directories without opening every file.
func (r *fileRecorder) Stat(name string) (fs.FileInfo, error) {
	if f, ok, err := openFreestanding(name); ok {
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return f.Stat()
	}
	st, err := os.Stat(name)
	if err == nil && !st.IsDir() && !st.Mode().IsRegular() {
		// cc/v4 skips what is not a regular file as "not found"; the
		// message then says why.
		r.explainLater(name, regular(name, st).Msg)
	}
	return st, err
}

// explainLater records why name, found but not usable, is no include file.
func (r *fileRecorder) explainLater(name, why string) {
	if r.special == nil {
		r.special = map[string]string{}
	}
	r.special[name] = why
}

// explain rewrites cc/v4's "include file not found" for a file that is
// there but not a regular file into that reason, at the #include line.
func (r *fileRecorder) explain(diags vtable.Diagnostics) {
	for _, d := range diags {
		file, ok := strings.CutPrefix(d.Msg, "include file not found: ")
		if !ok {
			continue
		}
		file = strings.Trim(file, `"<>`)
		for name, why := range r.special {
			if name == file || strings.HasSuffix(name, "/"+file) {
				d.Msg = fmt.Sprintf("%s: %s", file, why)
			}
		}
	}
}

func (r *fileRecorder) add(name string) {
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	if !r.seen[name] {
		r.seen[name] = true
		r.order = append(r.order, name)
	}
}

func (r *fileRecorder) reset() {
	r.seen, r.order, r.problems, r.special, r.texts, r.raw = nil, nil, nil, nil, nil, nil
}

// literalRunsOffEnd finds a string or character literal that a backslash
// (an escape, or a line splice) carries to the end of src, and returns the
// offset of its opening quote. Comments are skipped; directive lines are
// not, since cc/v4 scans them too.
func literalRunsOffEnd(src []byte) (int, bool) {
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return 0, false // an unterminated comment: cc/v4 reports it
			}
			i += end + 3
		case c == '"' || c == '\'':
			backslash := false
			j := i + 1
			for ; j < len(src) && src[j] != c && src[j] != '\n'; j++ {
				if src[j] == '\\' {
					backslash = true
					j++
				}
			}
			if j >= len(src) && backslash {
				return i, true
			}
			i = j
		}
	}
	return 0, false
}

// trailingBackslash finds a backslash that ends src (before trailing
// newlines) outside a comment.
func trailingBackslash(src []byte) (int, bool) {
	b := len(bytes.TrimRight(src, "\r\n")) - 1
	if b < 0 || src[b] != '\\' {
		return 0, false
	}
	for i := 0; i < b; i++ {
		switch {
		case src[i] == '/' && i+1 < len(src) && src[i+1] == '/':
			j := bytes.IndexByte(src[i:], '\n')
			if j < 0 || i+j > b {
				return 0, false // the backslash ends a line comment
			}
			i += j
		case src[i] == '/' && i+1 < len(src) && src[i+1] == '*':
			j := bytes.Index(src[i+2:], []byte("*/"))
			if j < 0 || i+2+j > b {
				return 0, false // inside a comment
			}
			i += j + 3
		}
	}
	return b, true
}
