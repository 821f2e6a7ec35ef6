package parsers

import (
	"reflect"
	"strings"
	"testing"
)

// brokenCase is a line that has a format's shape but is malformed: Parse
// must say so with a *SyntaxError that points where parsing gave up.
type brokenCase struct {
	name, line string
	at, msg    string // at: the text of line where parsing gives up ("" for its end)
}

func testBroken(t *testing.T, p *Parser, f Format, cases []brokenCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r Record
			err := p.Parse([]byte(tc.line), &r)
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("Parse = %v, want a *SyntaxError", err)
			}
			at := len(tc.line)
			if tc.at != "" {
				at = strings.Index(tc.line, tc.at)
			}
			if want := (SyntaxError{Format: f, Offset: at, Msg: tc.msg}); *se != want {
				t.Errorf("got %+v, want %+v", *se, want)
			}
		})
	}
}

// testNotMine checks that a format parser turns away messages of other
// shapes without touching the record or the error it was given.
func testNotMine(t *testing.T, name string, parse func([]byte, *Record, *SyntaxError) result, msgs []string) {
	t.Helper()
	for _, msg := range msgs {
		var r Record
		e := SyntaxError{Offset: -7}
		if res := parse([]byte(msg), &r, &e); res != notMine {
			t.Errorf("%s(%q) = %v, want notMine", name, msg, res)
		}
		if !reflect.DeepEqual(r, Record{}) || e.Offset != -7 {
			t.Errorf("%s(%q) touched its arguments: %+v %+v", name, msg, r, e)
		}
	}
}

// recordCase is a whole line, envelope included, and the record it holds.
type recordCase struct {
	name string
	line string
	want firewallFields
	host string // Record.Host from the envelope, to show the message was found
}

func testRecords(t *testing.T, cases []recordCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r Record
			if err := testParser(FormatUnknown).Parse([]byte(tc.line), &r); err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := fieldsOf(&r); got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if string(r.Host) != tc.host {
				t.Errorf("Host = %q, want %q", r.Host, tc.host)
			}
		})
	}
}

// testNoAllocs checks that Parse allocates nothing for records and for
// broken lines alike.
func testNoAllocs(t *testing.T, records []recordCase, broken []brokenCase) {
	t.Helper()
	full := testParser(FormatUnknown)
	// As plain text mode parses: the netfilter shortcut past envelopes.
	bare := Parser{NoTime: true, NoAction: true, NoEnvelope: true}
	var r Record
	lines := make(map[string]string)
	for _, tc := range records {
		lines[tc.name] = tc.line
	}
	for _, tc := range broken {
		lines["broken "+tc.name] = tc.line
	}
	for name, l := range lines {
		line := []byte(l)
		for _, p := range []*Parser{full, &bare} {
			if n := testing.AllocsPerRun(100, func() { p.Parse(line, &r) }); n != 0 {
				t.Errorf("%s: %v allocations per Parse (NoEnvelope %v), want 0", name, n, p.NoEnvelope)
			}
		}
	}
}

// addSeeds seeds a format's fuzz target with its test lines.
func addSeeds(f *testing.F, records []recordCase, broken []brokenCase, foreign []string) {
	for _, tc := range records {
		f.Add(tc.line)
	}
	for _, tc := range broken {
		f.Add(tc.line)
	}
	for _, m := range foreign {
		f.Add(m)
	}
}
