package annotate

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
)

// TestRunCiscoTeardowns: a Cisco teardown is read with the memory of its
// Built message, which an earlier job of the same input may hold, as
// when annotating the lines one after the other; a teardown whose Built
// message is in another input is not.
func TestRunCiscoTeardowns(t *testing.T) {
	built := func(id int) string {
		return "<166>Mar 14 09:12:11 fw-edge %ASA-6-302013: Built outbound TCP connection " + strconv.Itoa(id) +
			" for outside:198.51.100.80/443 (198.51.100.80/443) to inside:10.0.0.7/" + strconv.Itoa(40000+id%20000) + " (192.0.2.1/40627)"
	}
	teardown := func(id int) string {
		return "<166>Mar 14 09:12:59 fw-edge %ASA-6-302014: Teardown TCP connection " + strconv.Itoa(id) +
			" for outside:198.51.100.80/443 to inside:10.0.0.7/" + strconv.Itoa(40000+id%20000) + " duration 0:00:48 bytes 18322 TCP FINs"
	}
	// Two jobs of Built messages, then their teardowns, oldest first,
	// with other lines between.
	var in bytes.Buffer
	n := 0
	for ; in.Len() < 2*jobSize; n++ {
		in.WriteString(built(1000+n) + "\n" + sshLine + "\n")
	}
	for i := range n {
		in.WriteString(teardown(1000+i) + "\n")
	}
	for _, cfg := range []Config{{}, {Output: JSON}} {
		want := appendLines(cfg, in.Bytes())
		a := newTest(cfg)
		var out bytes.Buffer
		if err := a.Run(context.Background(), bytes.NewReader(in.Bytes()), &out); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Fatalf("output %v: Run differs from one line after another: %s", cfg.Output, firstDiff(out.Bytes(), want))
		}
		if cfg.Output == Text {
			for _, id := range []int{1000, 1000 + n - 1} {
				if l := teardown(id) + " #pn 443/tcp https"; !bytes.Contains(out.Bytes(), []byte(l)) {
					t.Errorf("teardown of %d not read with its Built message: want %q", id, l)
				}
			}
		}
	}

	// In another input, the teardown is a record of its protocol only.
	a := newTest(Config{})
	var out bytes.Buffer
	src := &scriptedSources{[]piece{
		{&Source{Path: "a.log", FirstLine: 1}, built(7) + "\n"},
		{&Source{Path: "b.log", FirstLine: 1}, teardown(7) + "\n"},
	}}
	if err := a.Run(context.Background(), src, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), teardown(7)+" #pn tcp\n") {
		t.Errorf("a teardown read with another input's Built message:\n%s", out.String())
	}
}
