package emit

import "testing"

func TestPrinter(t *testing.T) {
	var p Printer
	p.P(Header)
	p.P()
	p.P("const struct device_ops ", "led", "_device_ops = {")
	p.In()
	p.P(".open = ", "led_open", ",")
	p.P(".read = NULL", ",")
	p.Out()
	p.P("};")
	p.Out() // no-op at column 0
	p.P("x")
	want := Header + "\n\nconst struct device_ops led_device_ops = {\n\t.open = led_open,\n\t.read = NULL,\n};\nx\n"
	if got := string(p.Content()); got != want {
		t.Errorf("Content() =\n%s\nwant\n%s", got, want)
	}
}
