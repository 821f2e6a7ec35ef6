package report

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/portnote/portnote/annotate"
)

// TestHTMLEscapes feeds hostile strings through the host, interface,
// rule and message fields of real log lines and checks that the page
// holds none of them live: no element, attribute or control byte of
// theirs, only escaped text.
func TestHTMLEscapes(t *testing.T) {
	hostile := []string{
		`<script>alert(1)</script>`,
		`"><img src=x onerror=alert(2)>`,
		"\x1b[2J\x00\x07\u009b31m",
		`</table><iframe src="javascript:alert(3)">`,
	}
	var lines []string
	for i, h := range hostile {
		// The same string as host (RFC 5424 allows no spaces there, so
		// a shortened one), interface, log prefix and message text.
		host := strings.NewReplacer(" ", "", "\x00", "").Replace(h)
		lines = append(lines,
			"<4>1 2026-11-25T10:00:0"+string(rune('0'+i))+"Z "+host+" kernel - - - "+strings.ReplaceAll(h, " ", "_")+
				" IN="+strings.ReplaceAll(h, " ", "")+" OUT= SRC=203.0.113.9 DST=10.0.0.5 LEN=44 PROTO=TCP SPT=40000 DPT=23 SYN "+h,
		)
	}
	s := New(Config{})
	a := annotate.New(annotate.Config{Observer: s, Discard: true, Now: testNow})
	if err := a.Run(context.Background(), strings.NewReader(strings.Join(lines, "\n")+"\n"), nil); err != nil {
		t.Fatal(err)
	}
	r := s.Report(a.Stats())
	if r.Records != int64(len(hostile)) || len(r.Rules) == 0 {
		t.Fatalf("%d records, rules %+v", r.Records, r.Rules)
	}
	var b bytes.Buffer
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, live := range []string{"<script", "<img", "<iframe", "</table><"} {
		if strings.Contains(strings.ToLower(page), live) {
			t.Errorf("the page holds %q live", live)
		}
	}
	for _, c := range page {
		if c < 0x20 && c != '\n' || c == 0x7f || c >= 0x80 && c < 0xa0 {
			t.Errorf("the page holds control character %U", c)
		}
	}
	// The strings are there, escaped: a reader sees what the log said.
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", `&#34;&gt;&lt;img`, `\x1b[2J`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// Only the page's own elements, with only its own attributes.
	quoted := regexp.MustCompile(`"[^"]*"`)
	attr := regexp.MustCompile(`\s([a-zA-Z-]+)=`)
	for _, tag := range regexp.MustCompile(`<[a-zA-Z][^>]*>`).FindAllString(page, -1) {
		for _, m := range attr.FindAllStringSubmatch(quoted.ReplaceAllString(tag, `""`), -1) {
			switch m[1] {
			case "lang", "charset", "name", "content", "class", "xmlns", "role", "width", "height", "viewBox", "aria-label",
				"x", "y", "x1", "y1", "x2", "y2", "stroke", "text-anchor":
			default:
				t.Errorf("attribute %s in %q", m[1], tag)
			}
		}
	}
	// No tag but the page's own.
	for _, m := range regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9]*)`).FindAllStringSubmatch(page, -1) {
		switch m[1] {
		case "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "p", "table", "thead", "tbody", "tr", "th", "td",
			"br", "figure", "figcaption", "svg", "rect", "text", "line":
		default:
			t.Errorf("element <%s> in the page", m[1])
		}
	}
}

// TestHTMLPage: a page of the synthetic log has the charts and the
// tables of the text report.
func TestHTMLPage(t *testing.T) {
	s := New(Config{ScanPorts: 4})
	observe(s, syntheticRecords()...)
	var b bytes.Buffer
	if err := s.Report(annotate.Stats{}).WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.HasSuffix(page, "</html>\n") {
		t.Errorf("not a page:\n%s", page)
	}
	if n := strings.Count(page, `<svg class="chart"`); n != 4 {
		t.Errorf("%d charts, want 4 (records, scanners, ports, listeners)", n)
	}
	for _, want := range []string{"<h2>Ports: top", "<h2>Abused ports seen", "<h2>Scanners:", "<h2>Listeners:", "<h2>Calling out:",
		"<h2>Coverage</h2>", `<p class="legend">PORT: destination port/transport`, `<tr class="high">`, "198.51.100.7"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "http://") && strings.Count(page, "http://") != strings.Count(page, `xmlns="http://www.w3.org/2000/svg"`) {
		t.Error("the page refers to something elsewhere")
	}
}
