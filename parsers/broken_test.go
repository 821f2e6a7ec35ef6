package parsers

import (
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
