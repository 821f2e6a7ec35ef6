package annotate_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/portnote/portnote/annotate"
)

// A log runs through the engine: firewall records get an annotation,
// everything else passes through as it is.
func Example() {
	log := `Nov 25 06:25:01 web1 CRON[311]: (root) CMD (run-parts /etc/cron.hourly)
Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.45 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=49 ID=1 PROTO=TCP SPT=51234 DPT=22 WINDOW=5840 RES=0x00 SYN URGP=0
Nov 25 06:25:50 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=198.51.100.3 DST=192.0.2.10 LEN=84 TOS=0x00 PREC=0x00 TTL=52 ID=0 DF PROTO=ICMP TYPE=8 CODE=0 ID=4711 SEQ=1
`
	a := annotate.New(annotate.Config{})
	if err := a.Run(context.Background(), strings.NewReader(log), os.Stdout); err != nil {
		fmt.Println(err)
	}
	s := a.Stats()
	fmt.Println(s.Lines, "lines,", s.TotalRecords(), "records")
	// Output:
	// Nov 25 06:25:01 web1 CRON[311]: (root) CMD (run-parts /etc/cron.hourly)
	// Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.45 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=49 ID=1 PROTO=TCP SPT=51234 DPT=22 WINDOW=5840 RES=0x00 SYN URGP=0 #pn 22/tcp ssh well-known
	// Nov 25 06:25:50 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=198.51.100.3 DST=192.0.2.10 LEN=84 TOS=0x00 PREC=0x00 TTL=52 ID=0 DF PROTO=ICMP TYPE=8 CODE=0 ID=4711 SEQ=1 #pn icmp
	// 3 lines, 2 records
}

// Selecting abused ports only, as portnote --abused does.
func ExampleAnnotator_AppendLine() {
	a := annotate.New(annotate.Config{Select: annotate.Selection{Abused: true}})
	for _, line := range []string{
		"rule 2/(match) block in on em0: 203.0.113.45.51234 > 192.0.2.10.23: S 1:1(0) win 5840",
		"rule 2/(match) block in on em0: 203.0.113.45.51234 > 192.0.2.10.443: S 1:1(0) win 5840",
	} {
		fmt.Printf("%s", a.AppendLine(nil, []byte(line), true))
	}
	// Output:
	// rule 2/(match) block in on em0: 203.0.113.45.51234 > 192.0.2.10.23: S 1:1(0) win 5840 #pn 23/tcp telnet well-known abused=worm-botnet/high -- Mirai and its descendants log in here with factory passwords; the session itself is clear text
}
