package libsweep

import (
	"debug/elf"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
)

var (
	implRx = regexp.MustCompile(`^/\* impl .* for (\w+) \*/$`)
	initRx = regexp.MustCompile(`^(?:static )?const [^=(]*?\b(\w+) = \{$`)
)

// initializers reads the generated C file: the initializer each impl's
// block (/* impl T for I */) defines, by impl.
func initializers(cFile string) (map[string]string, error) {
	b, err := os.ReadFile(cFile)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	impl := ""
	for _, l := range strings.Split(string(b), "\n") {
		if m := implRx.FindStringSubmatch(l); m != nil {
			impl = m[1]
			continue
		}
		if m := initRx.FindStringSubmatch(l); m != nil && impl != "" {
			out[impl] = m[1]
			impl = ""
		}
	}
	return out, nil
}

// slot is what one pointer-sized word of an initializer must hold: the
// callback sym of member, or NULL when sym is "".
type slot struct {
	member, sym string
}

// checkInitializer reads the object file obj as the kernel tests read a
// module's (initializerMembers in the module root's miscdev_test.go): the
// initializer symbol sym, and the relocations into its section. At each
// offset of want, the word must point to want's symbol, or be zero and
// point nowhere for NULL; every other byte must be zero and no other
// relocation may fall inside the symbol. size is the struct's size from
// `structs -json`. It returns one line per problem.
func checkInitializer(obj, sym string, size int, want map[int]slot) []string {
	f, err := elf.Open(obj)
	if err != nil {
		return []string{err.Error()}
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return []string{err.Error()}
	}
	i := slices.IndexFunc(syms, func(s elf.Symbol) bool { return s.Name == sym })
	if i < 0 {
		return []string{fmt.Sprintf("the object does not define %s", sym)}
	}
	init := syms[i]
	var problems []string
	if size > 0 && init.Size != uint64(size) {
		problems = append(problems, fmt.Sprintf("%s is %d bytes, the struct %d (structs -json)", sym, init.Size, size))
	}
	if int(init.Section) >= len(f.Sections) {
		return append(problems, fmt.Sprintf("%s is in no section of the object", sym))
	}
	sec := f.Sections[init.Section]
	data := make([]byte, sec.Size)
	if sec.Type != elf.SHT_NOBITS {
		if data, err = sec.Data(); err != nil {
			return append(problems, err.Error())
		}
	}
	// The relocations into the initializer, by offset in it.
	targets := map[uint64]string{}
	for _, rs := range f.Sections {
		if rs.Type != elf.SHT_RELA || rs.Info != uint32(init.Section) {
			continue
		}
		b, err := rs.Data()
		if err != nil {
			return append(problems, err.Error())
		}
		for off := 0; off+24 <= len(b); off += 24 {
			r := elf.Rela64{Off: f.ByteOrder.Uint64(b[off:]), Info: f.ByteOrder.Uint64(b[off+8:]), Addend: int64(f.ByteOrder.Uint64(b[off+16:]))}
			if r.Off < init.Value || r.Off >= init.Value+init.Size {
				continue
			}
			name := "?"
			if s := elf.R_SYM64(r.Info); s > 0 && int(s) <= len(syms) {
				name = syms[s-1].Name
			}
			if r.Addend != 0 {
				name += fmt.Sprintf("%+d", r.Addend)
			}
			targets[r.Off-init.Value] = name // symbol values are offsets in their section
		}
	}
	end := min(init.Value+init.Size, uint64(len(data)))
	body := data[min(init.Value, end):end]
	offsets := make([]int, 0, len(want))
	for off := range want {
		offsets = append(offsets, off)
	}
	slices.Sort(offsets)
	for _, off := range offsets {
		w := want[off]
		got, ok := targets[uint64(off)]
		delete(targets, uint64(off))
		switch {
		case w.sym != "" && got != w.sym:
			if !ok {
				got = "NULL"
			}
			problems = append(problems, fmt.Sprintf("%s.%s (offset %d) is %s, want %s", sym, w.member, off, got, w.sym))
		case w.sym == "" && ok:
			problems = append(problems, fmt.Sprintf("%s.%s (offset %d) is %s, want NULL", sym, w.member, off, got))
		}
	}
	rest := make([]uint64, 0, len(targets))
	for off := range targets {
		rest = append(rest, off)
	}
	slices.Sort(rest)
	for _, off := range rest {
		problems = append(problems, fmt.Sprintf("%s has a relocation to %s at offset %d, where no function member is", sym, targets[off], off))
	}
	for k, c := range body {
		if c != 0 {
			problems = append(problems, fmt.Sprintf("%s has byte %d = %#x, want every byte zero (NULLs, zero data members)", sym, k, c))
			break
		}
	}
	return problems
}
