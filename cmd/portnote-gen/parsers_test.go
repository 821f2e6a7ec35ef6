package main

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/portnote/portnote/parsers"
)

// TestParsersAgainstTruth runs generated lines through the parsers and
// compares every result with the generator's truth. The generator does
// not share code with the parsers, so this is two independent readings
// of the same formats; a disagreement is reported by template shape with
// an example line, for whoever is wrong to fix.
func TestParsersAgainstTruth(t *testing.T) {
	for _, mix := range []string{defaultMix, "cisco-asa=1", "windows-firewall=1,noise=1"} {
		t.Run(mix, func(t *testing.T) {
			c := testConfig(1)
			var err error
			if c.mix, err = parseMix(mix); err != nil {
				t.Fatal(err)
			}
			checkParsersAgainstTruth(t, c)
		})
	}
}

func checkParsersAgainstTruth(t *testing.T, c config) {
	const lines = 20000
	g := newGenerator(c)
	// One input, read in order: a Cisco teardown is read with the
	// memory of its Built message.
	p := &parsers.Parser{State: new(parsers.InputState)}
	var rec parsers.Record
	type tally struct {
		seen, bad int
		example   string
	}
	shapes := map[string]*tally{}
	var buf []byte
	for i := range lines {
		var want truth
		var shape string
		buf, want, shape = g.line(buf[:0])
		s := shapes[shape]
		if s == nil {
			s = &tally{}
			shapes[shape] = s
		}
		s.seen++
		err := p.Parse(buf, &rec)
		got := describe(err, &rec)
		if got == describeTruth(want) {
			continue
		}
		s.bad++
		if s.example == "" {
			s.example = fmt.Sprintf("line %d: got %s, want %s\n\t%s", i+1, got, describeTruth(want), buf)
		}
	}
	var names []string
	for name := range shapes {
		names = append(names, name)
	}
	slices.Sort(names)
	total := 0
	for _, name := range names {
		if s := shapes[name]; s.bad > 0 {
			total += s.bad
			t.Errorf("%s: %d of %d lines disagree; %s", name, s.bad, s.seen, s.example)
		}
	}
	if total > 0 {
		t.Logf("%d of %d lines disagree", total, lines)
	}
}

// describe renders a parse result in the terms of the -truth file.
func describe(err error, r *parsers.Record) string {
	switch {
	case errors.Is(err, parsers.ErrNotRecord):
		return "not a record"
	case err != nil:
		return "error (" + err.Error() + ")"
	}
	var b strings.Builder
	b.WriteString("record port=")
	if r.HasPorts {
		b.WriteString(strconv.Itoa(int(r.DstPort)))
	} else {
		b.WriteString("none")
	}
	b.WriteString(" proto=")
	if r.HasProto {
		b.WriteString(r.Proto.Name())
	} else {
		b.WriteString("unknown")
	}
	return b.String()
}

func describeTruth(t truth) string {
	if t == notRecord {
		return "not a record"
	}
	port, proto := "none", "unknown"
	if t.port >= 0 {
		port = strconv.Itoa(int(t.port))
	}
	if t.proto != "" {
		p, ok := parsers.LookupProtocol([]byte(t.proto))
		if !ok {
			return "unknown protocol keyword " + t.proto
		}
		proto = p.Name()
	}
	return "record port=" + port + " proto=" + proto
}

// TestOtherFamiliesAgainstTruth is TestParsersAgainstTruth for each
// family the default mix leaves out, alone: its generated lines parse
// to their truth.
func TestOtherFamiliesAgainstTruth(t *testing.T) {
	def, err := parseMix(defaultMix)
	if err != nil {
		t.Fatal(err)
	}
	for f := range numFamilies {
		if def[f] > 0 {
			continue
		}
		t.Run(familyNames[f], func(t *testing.T) {
			c := testConfig(11)
			c.mix = [numFamilies]int{}
			c.mix[f] = 1
			g := newGenerator(c)
			// One input each: the state of one reading must not see the
			// other's lines.
			p := &parsers.Parser{State: new(parsers.InputState)}
			text := &parsers.Parser{NoTime: true, NoAction: true, NoEnvelope: true, State: new(parsers.InputState)}
			var rec parsers.Record
			var buf []byte
			bad := 0
			for i := range 5000 {
				var want truth
				var shape string
				buf, want, shape = g.line(buf[:0])
				for _, p := range []*parsers.Parser{p, text} {
					if got := describe(p.Parse(buf, &rec), &rec); got != describeTruth(want) {
						if bad++; bad <= 5 {
							t.Errorf("line %d (%s): got %s, want %s\n\t%s", i+1, shape, got, describeTruth(want), buf)
						}
					} else if want != notRecord && rec.Format.String() != familyNames[f] {
						t.Fatalf("line %d (%s): read as %s\n\t%s", i+1, shape, rec.Format, buf)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d lines disagree", bad)
			}
		})
	}
}
