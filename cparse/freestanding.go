package cparse

import (
	"embed"
	"fmt"
	"io/fs"
	"runtime"
	"strings"

	"modernc.org/cc/v4"
)

// With no C compiler installed, cc/v4's NewConfig cannot learn the host's
// predefined macros and include paths. Headers that need only the
// freestanding standard headers must still parse, so vtablegen ships its
// own: the predefined macros of GNU C on an LP64 Linux target and the
// headers <stddef.h>, <stdint.h>, <stdbool.h>, <stdarg.h> and <limits.h>
// (freestanding/, written for vtablegen).

//go:embed freestanding/*.h
var freestandingFiles embed.FS

// freestandingDir is the include directory the shipped headers appear in;
// no real file system has it.
const freestandingDir = "/<vtablegen-freestanding>"

// openFreestanding returns a shipped header for a path under
// freestandingDir.
func openFreestanding(name string) (fs.File, bool, error) {
	rest, ok := strings.CutPrefix(name, freestandingDir+"/")
	if !ok {
		return nil, false, nil
	}
	f, err := freestandingFiles.Open("freestanding/" + rest)
	return f, true, err
}

// freestandingConfig is the configuration used when the host has no C
// compiler; hostFlags are the flags that would have gone to it (only -std=
// matters here).
func freestandingConfig(hostFlags []string) (*cc.Config, error) {
	if runtime.GOOS != "linux" || (runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64") {
		return nil, fmt.Errorf("no host C compiler, and vtablegen's own headers are for linux/amd64 and linux/arm64, not %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	abi, err := cc.NewABI(runtime.GOOS, runtime.GOARCH)
	if err != nil {
		return nil, err
	}
	std := "gnu17"
	for _, f := range hostFlags {
		if v, ok := strings.CutPrefix(f, "-std="); ok {
			std = v
		}
	}
	return &cc.Config{
		ABI:             abi,
		Predefined:      freestandingPredefined(runtime.GOARCH, std),
		IncludePaths:    []string{"@", freestandingDir},
		SysIncludePaths: []string{freestandingDir},
	}, nil
}

// freestandingPredefined returns the predefined macros of GNU C for an LP64
// Linux target and the -std= given.
func freestandingPredefined(arch, std string) string {
	version := map[string]string{
		"c89": "", "c90": "", "gnu89": "", "gnu90": "",
		"c99": "199901L", "gnu99": "199901L",
		"c11": "201112L", "gnu11": "201112L",
		"c17": "201710L", "gnu17": "201710L", "c18": "201710L", "gnu18": "201710L",
		"c2x": "202000L", "gnu2x": "202000L", "c23": "202311L", "gnu23": "202311L",
	}[std]
	var b strings.Builder
	def := func(name, value string) { fmt.Fprintf(&b, "#define %s %s\n", name, value) }
	def("__STDC__", "1")
	def("__STDC_HOSTED__", "1")
	if version != "" {
		def("__STDC_VERSION__", version)
	}
	if !strings.HasPrefix(std, "gnu") {
		def("__STRICT_ANSI__", "1")
	}
	def("__GNUC__", "12")
	def("__GNUC_MINOR__", "2")
	def("__GNUC_PATCHLEVEL__", "0")
	def("__CHAR_BIT__", "8")
	def("__linux__", "1")
	def("__linux", "1")
	def("__unix__", "1")
	def("__unix", "1")
	def("__ELF__", "1")
	def("__LP64__", "1")
	def("_LP64", "1")
	def("__ORDER_LITTLE_ENDIAN__", "1234")
	def("__ORDER_BIG_ENDIAN__", "4321")
	def("__BYTE_ORDER__", "__ORDER_LITTLE_ENDIAN__")
	switch arch {
	case "amd64":
		def("__x86_64__", "1")
		def("__x86_64", "1")
		def("__amd64__", "1")
		def("__amd64", "1")
		def("__SIZEOF_LONG_DOUBLE__", "16")
	case "arm64":
		def("__aarch64__", "1")
		def("__CHAR_UNSIGNED__", "1")
		def("__SIZEOF_LONG_DOUBLE__", "16")
	}
	for _, kv := range [][2]string{
		{"__SIZEOF_SHORT__", "2"}, {"__SIZEOF_INT__", "4"}, {"__SIZEOF_LONG__", "8"},
		{"__SIZEOF_LONG_LONG__", "8"}, {"__SIZEOF_POINTER__", "8"}, {"__SIZEOF_FLOAT__", "4"},
		{"__SIZEOF_DOUBLE__", "8"}, {"__SIZEOF_SIZE_T__", "8"}, {"__SIZEOF_WCHAR_T__", "4"},
		{"__SIZEOF_WINT_T__", "4"}, {"__SIZEOF_PTRDIFF_T__", "8"},
		{"__SIZE_TYPE__", "long unsigned int"}, {"__PTRDIFF_TYPE__", "long int"},
		{"__WCHAR_TYPE__", "int"}, {"__WINT_TYPE__", "unsigned int"},
		{"__INTMAX_TYPE__", "long int"}, {"__UINTMAX_TYPE__", "long unsigned int"},
		{"__INT8_TYPE__", "signed char"}, {"__INT16_TYPE__", "short int"},
		{"__INT32_TYPE__", "int"}, {"__INT64_TYPE__", "long int"},
		{"__UINT8_TYPE__", "unsigned char"}, {"__UINT16_TYPE__", "short unsigned int"},
		{"__UINT32_TYPE__", "unsigned int"}, {"__UINT64_TYPE__", "long unsigned int"},
		{"__INTPTR_TYPE__", "long int"}, {"__UINTPTR_TYPE__", "long unsigned int"},
		{"__SCHAR_MAX__", "0x7f"}, {"__SHRT_MAX__", "0x7fff"}, {"__INT_MAX__", "0x7fffffff"},
		{"__LONG_MAX__", "0x7fffffffffffffffL"}, {"__LONG_LONG_MAX__", "0x7fffffffffffffffLL"},
		{"__SIZE_MAX__", "0xffffffffffffffffUL"}, {"__PTRDIFF_MAX__", "0x7fffffffffffffffL"},
	} {
		def(kv[0], kv[1])
	}
	return b.String()
}
