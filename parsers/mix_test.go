package parsers

import (
	"bytes"
	"os"
	"testing"
)

// mixFile is a sample of the generator's realistic mixed log, made with
//
//	go run ./cmd/portnote-gen -n 1000 -seed 7 > parsers/testdata/mix.log
//
// It is what BenchmarkCorpusMix measures and what the fast-path
// identity tests replay.
const mixFile = "testdata/mix.log"

// mixKinds are the kinds of line in the mix, in the order the benchmark
// reports them.
var mixKinds = []string{"netfilter", "netfilter-json", "pf", "filterlog", "noise"}

// loadMix reads mixFile and sorts its lines by kind, judged by a full
// Parse: a record's format, with "-json" appended for journald objects;
// any line that is not a record is noise.
func loadMix(tb testing.TB) (lines [][]byte, byKind map[string][][]byte) {
	tb.Helper()
	data, err := os.ReadFile(mixFile)
	if err != nil {
		tb.Fatal(err)
	}
	byKind = map[string][][]byte{}
	var p Parser
	var r Record
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(line, []byte("\n"))
		lines = append(lines, line)
		kind := "noise"
		if p.Parse(line, &r) == nil {
			kind = r.Format.String()
			if len(line) > 0 && line[0] == '{' {
				kind += "-json"
			}
		}
		byKind[kind] = append(byKind[kind], line)
	}
	return lines, byKind
}

var benchErr error

// BenchmarkCorpusMix measures Parse as plain text mode runs it (NoTime,
// NoAction, NoEnvelope) on each kind of line of the generated mix, and on
// the whole mix in file order.
func BenchmarkCorpusMix(b *testing.B) {
	all, byKind := loadMix(b)
	run := func(name string, lines [][]byte) {
		n := 0
		for _, l := range lines {
			n += len(l)
		}
		b.Run(name, func(b *testing.B) {
			if len(lines) == 0 {
				b.Skip("no such lines in the mix")
			}
			p := Parser{NoTime: true, NoAction: true, NoEnvelope: true}
			var r Record
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				for _, l := range lines {
					benchErr = p.Parse(l, &r)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/line")
		})
	}
	for _, k := range mixKinds {
		run(k, byKind[k])
	}
	run("all", all)
}
