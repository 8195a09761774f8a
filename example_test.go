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
