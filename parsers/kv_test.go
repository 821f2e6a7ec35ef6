package parsers

import (
	"slices"
	"testing"
)

var kvCases = []struct {
	name   string
	in     string
	sep    byte
	quotes bool
	want   []string // key=value, quoted values marked with "q:"
}{
	{
		name: "fortigate-quoted-and-bare",
		in:   `date=2024-05-10 time=11:37:47 type="traffic" srcip=10.1.100.11 dstport=443 service="HTTPS"`,
		sep:  ' ', quotes: true,
		want: []string{"date=2024-05-10", "time=11:37:47", "type=q:traffic", "srcip=10.1.100.11", "dstport=443", "service=q:HTTPS"},
	},
	{
		name: "key-value-text-inside-quotes-is-no-key",
		in:   `url="/x?dstport=22&a=b c=d" dstport=443 msg="say \"dstip=1.2.3.4\" now" proto=6`,
		sep:  ' ', quotes: true,
		want: []string{`url=q:/x?dstport=22&a=b c=d`, "dstport=443", `msg=q:say \"dstip=1.2.3.4\" now`, "proto=6"},
	},
	{
		name: "escaped-backslash-before-closing-quote",
		in:   `path="C:\\temp\\" dstport=80`,
		sep:  ' ', quotes: true,
		want: []string{`path=q:C:\\temp\\`, "dstport=80"},
	},
	{
		name: "bare-values-with-blanks",
		in:   `device_id=C44313350024- P29PUA log_id=01 ether_type=Unknown (0x0000) bridge_name=""`,
		sep:  ' ', quotes: true,
		want: []string{"device_id=C44313350024- P29PUA", "log_id=01", "ether_type=Unknown (0x0000)", "bridge_name=q:"},
	},
	{
		name: "empty-bare-values",
		in:   `src_country_code= dst_ip=1.128.3.4 dst_country_code= protocol="UDP" tail=`,
		sep:  ' ', quotes: true,
		want: []string{"src_country_code=", "dst_ip=1.128.3.4", "dst_country_code=", "protocol=q:UDP", "tail="},
	},
	{
		name: "unterminated-quote-runs-to-the-end",
		in:   `message="" appresolvedby="Signature dstport=22`,
		sep:  ' ', quotes: true,
		want: []string{"message=q:", "appresolvedby=q:Signature dstport=22"},
	},
	{
		name: "single-quotes-and-double-blanks",
		in:   `id=YYYYYY  sn=XXXX appName='General HTTPS'  fw_action="NA"`,
		sep:  ' ', quotes: true,
		want: []string{"id=YYYYYY", "sn=XXXX", "appName=q:General HTTPS", "fw_action=q:NA"},
	},
	{
		name: "text-before-the-first-key",
		in:   `10.0.0.1  id=firewall sn=1 dst=216.160.83.61:443:X1`,
		sep:  ' ', quotes: true,
		want: []string{"id=firewall", "sn=1", "dst=216.160.83.61:443:X1"},
	},
	{
		name: "comma-variant",
		in:   `date=2016-05-26,time=13:43:14,type="traffic",msg="a, b=c",dstport=53, proto=17,empty=,last=x y`,
		sep:  ',', quotes: true,
		want: []string{"date=2016-05-26", "time=13:43:14", "type=q:traffic", "msg=q:a, b=c", "dstport=53", "proto=17", "empty=", "last=x y"},
	},
	{
		name: "cef-extension-quotes-are-text",
		in:   `src=10.0.0.1 msg="hello world" act=Deny cs1Label=Rule Name cs1=allow \= all dpt=22`,
		sep:  ' ', quotes: false,
		want: []string{"src=10.0.0.1", `msg="hello world"`, "act=Deny", "cs1Label=Rule Name", `cs1=allow \= all`, "dpt=22"},
	},
	{
		name: "glued-text-after-a-closing-quote-is-skipped",
		in:   `a="x"y b=1`,
		sep:  ' ', quotes: true,
		want: []string{"a=q:x", "b=1"},
	},
	{
		name: "no-pairs",
		in:   `just some text = with an equals sign`,
		sep:  ' ', quotes: true,
		want: nil,
	},
	{name: "empty", in: "", sep: ' ', quotes: true},
}

func kvAll(s kvScanner) []string {
	var got []string
	var p kvPair
	for s.next(&p) {
		v := string(p.val)
		if p.quoted {
			v = "q:" + v
		}
		got = append(got, string(p.key)+"="+v)
	}
	return got
}

func TestKVScanner(t *testing.T) {
	for _, tc := range kvCases {
		t.Run(tc.name, func(t *testing.T) {
			got := kvAll(newKV([]byte(tc.in), tc.sep, tc.quotes))
			if !slices.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestKVScannerNoAllocs(t *testing.T) {
	for _, tc := range kvCases {
		b := []byte(tc.in)
		n := testing.AllocsPerRun(100, func() {
			s := newKV(b, tc.sep, tc.quotes)
			var p kvPair
			for s.next(&p) {
			}
		})
		if n != 0 {
			t.Errorf("%s: %v allocations, want 0", tc.name, n)
		}
	}
}

func FuzzKVScanner(f *testing.F) {
	for _, tc := range kvCases {
		f.Add(tc.in, tc.sep == ',', tc.quotes)
	}
	f.Fuzz(func(t *testing.T, in string, comma, quotes bool) {
		b := []byte(in)
		sep := byte(' ')
		if comma {
			sep = ','
		}
		s := newKV(b, sep, quotes)
		last := -1
		var p kvPair
		for s.next(&p) {
			if s.i <= last || s.i > len(b) {
				t.Fatalf("no progress or past the end: %d after %d in %d bytes", s.i, last, len(b))
			}
			last = s.i
			if !insideBuffer(p.key, b) || !insideBuffer(p.val, b) || len(p.key) == 0 {
				t.Fatalf("pair %q=%q outside the message", p.key, p.val)
			}
			for _, c := range p.key {
				if !kvKeyByte[c] {
					t.Fatalf("key %q holds %q", p.key, c)
				}
			}
			eq := p.at - 1
			if p.quoted {
				eq--
			}
			if eq < 0 || b[eq] != '=' || string(b[eq-len(p.key):eq]) != string(p.key) ||
				string(b[p.at:p.at+len(p.val)]) != string(p.val) {
				t.Fatalf("pair %q=%q at %d does not stand where it says in %q", p.key, p.val, p.at, in)
			}
			if !p.quoted {
				// A bare value holds a separator only before text that
				// starts no key.
				end := p.at + len(p.val)
				for k := p.at; k < end; k++ {
					if b[k] != sep {
						continue
					}
					j := k + 1
					for j < len(b) && (b[j] == ' ' || b[j] == sep) {
						j++
					}
					if j < end && kvKeyEnd(b, j) > 0 {
						t.Fatalf("bare value %q holds a key at %d", p.val, j)
					}
				}
			}
		}
	})
}

var kvSink int

func BenchmarkKVScanner(b *testing.B) {
	line := []byte(`date=2024-05-10 time=11:37:47 devname="FGT60E" devid="FGT60E4Q16000000" eventtime=1715341067369913239 tz="+0200" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=10.1.100.11 srcport=58012 srcintf="internal" srcintfrole="lan" dstip=93.184.216.34 dstport=443 dstintf="wan1" dstintfrole="wan" srccountry="Reserved" dstcountry="United States" sessionid=1766 proto=6 action="close" policyid=1 policytype="policy" poluuid="c2d2e5a8-0e70-51e9-8a0a-6f1f9e4e0c61" policyname="LAN-out" service="HTTPS" trandisp="snat" transip=203.0.113.2 transport=62013 duration=12 sentbyte=1850 rcvdbyte=5232 sentpkt=14 rcvdpkt=12 appcat="unscanned"`)
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		s := newKV(line, ' ', true)
		var p kvPair
		for s.next(&p) {
			kvSink += len(p.val)
		}
	}
}
