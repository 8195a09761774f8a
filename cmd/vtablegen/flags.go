package main

import (
	"flag"
	"io"
	"strings"
)

// listFlag is a flag that may be given many times, e.g. -I dir -I dir2.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// newFlagSet returns a flag set that reports errors instead of exiting,
// with usage text for the command name.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		io.WriteString(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args with fs, allowing flags and positional arguments to
// be mixed ("gen device.rs -o gen"), and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// cFlagsWithArg are the compiler flags that take their argument as the next
// word; the others are one word ("-mno-sse", "-std=gnu11", "-Iinclude").
var cFlagsWithArg = map[string]bool{
	"-include": true, "-imacros": true, "-isystem": true, "-iquote": true, "-idirafter": true,
	"-iprefix": true, "-iwithprefix": true, "-isysroot": true, "-U": true, "-x": true,
	"-MF": true, "-MT": true, "-MQ": true, "-o": true, "-Xpreprocessor": true, "-target": true,
}

// splitCFlags separates the command's own flags from compiler flags, so
// that "structs -nostdinc -Iinclude -D__KERNEL__ -cpp 'gcc -E' x.c" works:
// ours names each flag of the command and whether it takes an argument.
// -I and -D are the command's own in both spellings (-Idir, -I dir), and
// are returned normalized to two words. Everything else that starts with
// '-' is a compiler flag, kept in order with its argument.
func splitCFlags(args []string, ours map[string]bool) (own, cflags []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(own, args[i:]...), cflags
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			own = append(own, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if takesArg, ok := ours[name]; ok {
			own = append(own, a)
			if takesArg && !hasValue && i+1 < len(args) {
				own = append(own, args[i+1])
				i++
			}
			continue
		}
		if (strings.HasPrefix(a, "-I") || strings.HasPrefix(a, "-D")) && len(a) > 2 {
			own = append(own, a[:2], a[2:])
			continue
		}
		cflags = append(cflags, a)
		if cFlagsWithArg[a] && i+1 < len(args) {
			cflags = append(cflags, args[i+1])
			i++
		}
	}
	return own, cflags
}
