package parsers

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// crossFamilyRecords are the records of each family's tests, by family:
// each new family adds its row. TestCrossFamily runs every one of them
// through every other family's parser.
var crossFamilyRecords = map[Format]func() []string{
	FormatNetfilter: func() []string {
		var lines []string
		for _, tt := range netfilterTests {
			lines = append(lines, tt.line)
		}
		return lines
	},
	FormatPF:              func() []string { return caseLines(pfCases) },
	FormatFilterlog:       func() []string { return caseLines(filterlogCases) },
	FormatWindowsFirewall: func() []string { return caseLines(winfirewallCases) },
	FormatCiscoASA:        func() []string { return caseLines(applianceRecordCases(ciscoCases)) },
	FormatFortigate:       func() []string { return caseLines(vendorRecordCases(fortigateCases)) },
	FormatSonicwall:       func() []string { return caseLines(vendorRecordCases(sonicwallCases)) },
	FormatPanos:           func() []string { return caseLines(vendorRecordCases(panosCases)) },
	FormatSophos:          func() []string { return caseLines(vendorRecordCases(sophosCases)) },
}

func caseLines(cases []recordCase) []string {
	lines := make([]string, len(cases))
	for i, tc := range cases {
		lines[i] = tc.line
	}
	return lines
}

// TestCrossFamily checks that a line of one family is never taken by
// another: each family's records, those of its tests and those of the
// shared corpus's folder of its name, are records of that family when
// every family is tried, and no record (nor a broken one) of any other
// family when that one alone is.
func TestCrossFamily(t *testing.T) {
	for f := FormatUnknown + 1; f < FormatCount; f++ {
		lines := corpusRecordLines(t, f.String())
		if samples, ok := crossFamilyRecords[f]; ok {
			lines = append(lines, samples()...)
		} else {
			t.Errorf("family %s has no row in crossFamilyRecords", f)
		}
		for _, line := range lines {
			var r Record
			if err := testParser(FormatUnknown).Parse([]byte(line), &r); err != nil || r.Format != f {
				t.Errorf("%s line read as %v (%v): %q", f, r.Format, err, line)
			}
			for g := FormatUnknown + 1; g < FormatCount; g++ {
				if g == f {
					continue
				}
				if err := testParser(g).Parse([]byte(line), &r); !errors.Is(err, ErrNotRecord) {
					t.Errorf("%s line taken by %s (%v): %q", f, g, err, line)
				}
			}
		}
	}
}

// corpusRecordLines returns the lines of corpus-vendors/<family> whose
// expectation is a record, or none when that corpus is not there.
func corpusRecordLines(t *testing.T, family string) []string {
	t.Helper()
	tsvs, _ := filepath.Glob(filepath.Join(vendorCorpusDir, family, "*.expected.tsv"))
	var lines []string
	for _, tsv := range tsvs {
		logData, err := os.ReadFile(strings.TrimSuffix(tsv, ".expected.tsv"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := os.ReadFile(tsv)
		if err != nil {
			t.Fatal(err)
		}
		all := bytes.Split(logData, []byte("\n"))
		for i, row := range strings.Split(strings.TrimRight(string(rows), "\n"), "\n") {
			f := strings.Split(row, "\t")
			if i == 0 || len(f) != 4 || strings.Contains(f[3], "not-a-firewall-line") {
				continue
			}
			var n int
			for _, c := range f[0] {
				n = n*10 + int(c-'0')
			}
			rel, _ := filepath.Rel(vendorCorpusDir, strings.TrimSuffix(tsv, ".expected.tsv"))
			if fix, ok := corpusExceptions[corpusRow{filepath.ToSlash(rel), n}]; ok && fix.broken {
				continue // malformed: no record of any family
			}
			if n >= 1 && n <= len(all) {
				lines = append(lines, string(all[n-1]))
			}
		}
	}
	return lines
}

// vendorCorpusDir holds real lines of the appliance, host and cloud
// families, one folder per family named as the family is; see its
// PROVENANCE.md. It lives outside the repository.
const vendorCorpusDir = "../../shared/corpus-vendors"
