package vtablegen_test

import (
	"fmt"
	"strings"

	"github.com/vtablegen/vtablegen"
)

// Generate on the quickstart example: the header's struct device_ops and
// the Rust trait DeviceOps with its impls LedDevice and NullSink.
func ExampleGenerate() {
	r := vtablegen.Generate(vtablegen.Config{
		Header:    "examples/quickstart/device.h",
		RustFiles: []string{"examples/quickstart/device.rs"},
	})
	if err := r.Diagnostics.Err(); err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range r.Files {
		fmt.Println("==", f.Name)
		// Show NullSink's initializer: the impl defines open, write and
		// flush, but writes HAS_FLUSH = false.
		text := string(f.Content)
		if i := strings.Index(text, "const struct device_ops null_sink"); i >= 0 {
			fmt.Print(text[i:])
		}
	}
	// Output:
	// == device_ops_vtable.c
	// const struct device_ops null_sink_device_ops = {
	// 	.open = null_sink_open,
	// 	.release = NULL,
	// 	.read = NULL,
	// 	.write = null_sink_write,
	// 	.ioctl = NULL,
	// 	.flush = NULL,
	// };
	// == device_ops_vtable.rs
	// == device_expanded.rs
}

// LoadConfig reads a binding file; each [[binding]] is a Config for
// Generate, with the member rules in Config.Binding.
func ExampleLoadConfig() {
	cfgs, diags := vtablegen.LoadConfig("examples/framework/vtable.toml")
	if err := diags.Err(); err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range cfgs[0].Binding.Members {
		switch {
		case r.Method != "":
			fmt.Printf("%s <- method %s\n", r.Member, r.Method)
		case r.Fallback != "":
			fmt.Printf("%s <- its method, or %s when the impl has %s\n", r.Member, r.Fallback, r.FallbackIf)
		case r.SameAs != "":
			fmt.Printf("%s <- whatever %s holds\n", r.Member, r.SameAs)
		case r.Expr != "":
			fmt.Printf("%s <- %s\n", r.Member, r.Expr)
		case r.Const != "":
			fmt.Printf("%s <- const %s\n", r.Member, r.Const)
		}
	}
	// Output:
	// owner <- THIS_PLUGIN
	// name <- const NAME
	// unlocked_ioctl <- method ioctl
	// compat_ioctl <- its method, or compat_ptr_ioctl when the impl has ioctl
	// create <- whatever connect holds
}

// Structs shows what the C front end reads: the struct's members, their C
// types, and the layout.
func ExampleStructs() {
	unit, diags := vtablegen.Structs(vtablegen.Config{Header: "examples/quickstart/device.h"})
	if err := diags.Err(); err != nil {
		fmt.Println(err)
		return
	}
	s := unit.Structs[0]
	fmt.Printf("%s: %d bytes\n", s.CType(), s.Size)
	for _, m := range s.Members[:3] {
		fmt.Printf("%3d %s %s: %s\n", m.Offset, m.Kind, m.Name, m.Type)
	}
	// Output:
	// struct device_ops: 64 bytes
	//   0 data name: const char *
	//   8 data flags: unsigned int
	//  16 func open: int (*)(struct device *, int)
}

// Items shows what the Rust front end reads: each #[vtable] trait and
// impl with its methods.
func ExampleItems() {
	items, diags := vtablegen.Items([]string{"examples/quickstart/device.rs"})
	if err := diags.Err(); err != nil {
		fmt.Println(err)
		return
	}
	for _, it := range items {
		var names []string
		for _, m := range it.Methods {
			names = append(names, string(m.Name))
		}
		fmt.Printf("%s %s: %s\n", it.Kind, it.Name, strings.Join(names, ", "))
	}
	// Output:
	// trait DeviceOps: open, release, read, write, ioctl, flush
	// impl LedDevice: open, release, read, write, ioctl
	// impl NullSink: open, write, flush
}
