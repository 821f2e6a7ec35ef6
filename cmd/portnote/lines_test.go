package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// numbered returns lines "1\n" to "n\n".
func numbered(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d\n", i)
	}
	return b.String()
}

// lastLines keeps the right lines and counts the ones before them, also
// past the size at which it starts dropping what it has read.
func TestLastLines(t *testing.T) {
	big := numbered(1_500_000) // about 10 MiB
	tests := []struct {
		name, in string
		n        int
		want     string
		skipped  int64
	}{
		{"empty", "", 3, "", 0},
		{"fewer lines", "a\nb\n", 3, "a\nb\n", 0},
		{"no final newline", "a\nb\nc", 2, "b\nc", 1},
		{"zero", "a\nb\n", 0, "", 2},
		{"big", big, 3, "1499998\n1499999\n1500000\n", 1_499_997},
		{"big, no final newline", big + "x", 2, "1500000\nx", 1_499_999},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range []io.Reader{strings.NewReader(tt.in), iotest.HalfReader(strings.NewReader(tt.in))} {
				got, skipped, err := lastLines(r, tt.n)
				if err != nil || string(got) != tt.want || skipped != tt.skipped {
					t.Errorf("lastLines = %.40q, %d, %v; want %.40q, %d", got, skipped, err, tt.want, tt.skipped)
				}
			}
		})
	}
}

func TestLineSkipper(t *testing.T) {
	in := numbered(10000)
	for _, skip := range []int{0, 1, 9998, 10000, 20000} {
		for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in))} {
			got, err := io.ReadAll(&lineSkipper{r, skip})
			want := in[min(len(in), len(numbered(min(skip, 10000)))):]
			if err != nil || !bytes.Equal(got, []byte(want)) {
				t.Errorf("skip %d: got %d bytes (%v), want %d", skip, len(got), err, len(want))
			}
		}
	}
}
