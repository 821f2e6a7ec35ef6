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
