package report_test

import (
	"context"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/portnote/portnote/annotate"
	"github.com/portnote/portnote/annotate/report"
)

// A summary is an observer of the engine: run the log through with
// Discard to get the report alone.
func ExampleSummary() {
	lines := strings.Join([]string{
		"Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.45 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=49 ID=1 PROTO=TCP SPT=51234 DPT=23 WINDOW=5840 RES=0x00 SYN URGP=0",
		"Nov 25 06:25:15 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.45 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=49 ID=2 PROTO=TCP SPT=51235 DPT=2323 WINDOW=5840 RES=0x00 SYN URGP=0",
		"Nov 25 06:25:19 web1 kernel: [UFW ALLOW] IN=eth0 OUT= SRC=198.51.100.20 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=57 ID=3 DF PROTO=TCP SPT=40412 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0",
		"Nov 25 06:26:02 web1 kernel: [UFW ALLOW] IN=eth0 OUT= SRC=198.51.100.3 DST=192.0.2.10 LEN=32 TOS=0x00 PREC=0x00 TTL=50 ID=4 PROTO=UDP SPT=40192 DPT=31337 LEN=12",
		"Nov 25 06:26:05 web1 sshd[4121]: Connection from 198.51.100.20 port 40412 on 192.0.2.10 port 22",
	}, "\n") + "\n"

	sum := report.New(report.Config{Top: 3})
	engine := annotate.New(annotate.Config{
		Observer: sum,
		Discard:  true,
		Now:      time.Date(2026, time.November, 25, 12, 0, 0, 0, time.UTC), // the year of the syslog dates
	})
	if err := engine.Run(context.Background(), strings.NewReader(lines), io.Discard); err != nil {
		log.Fatal(err)
	}
	if err := sum.Report(engine.Stats()).WriteText(os.Stdout, report.Style{}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// portnote summary: 4 records in 5 lines
	//   log time 2026-11-25T06:25:14Z to 2026-11-25T06:26:02Z
	//
	// Ports: top 3 of 4 seen, covering 75.0% of 4 records
	//   PORT      SERVICE  CLASS       ABUSED            RECORDS  SOURCES  DESTS  BLOCKED  PASSED  FIRST                 LAST
	//   22/tcp    ssh      well-known  -                       1        1      1        0       1  2026-11-25T06:25:19Z  2026-11-25T06:25:19Z
	//   23/tcp    telnet   well-known  worm-botnet/high        1        1      1        1       0  2026-11-25T06:25:14Z  2026-11-25T06:25:14Z
	//   2323/tcp  3d-nfsd  registered  worm-botnet/high        1        1      1        1       0  2026-11-25T06:25:15Z  2026-11-25T06:25:15Z
	//   PORT: destination port/transport (?: the log does not say); SERVICE: IANA name; CLASS: IANA range;
	//     ABUSED: category/severity in the abuse catalogue; SOURCES: distinct source addresses; DESTS:
	//     distinct destinations; BLOCKED: blocked or rejected; PASSED: let through; FIRST, LAST: log time
	//     of the first and last record
	//
	// Abused ports seen: 3 catalogue entries, busiest first
	//   PORT       SEEN  LABEL               CATEGORY     SEVERITY  RECORDS  SOURCES  BLOCKED  PASSED  FIRST                 LAST                  TOP SOURCES
	//   23/tcp        1  telnet              worm-botnet  high            1        1        1       0  2026-11-25T06:25:14Z  2026-11-25T06:25:14Z  203.0.113.45 (1)
	//   2323/tcp      1  telnet (alternate)  worm-botnet  high            1        1        1       0  2026-11-25T06:25:15Z  2026-11-25T06:25:15Z  203.0.113.45 (1)
	//   31337/udp     1  Back Orifice        backdoor     high            1        1        0       1  2026-11-25T06:26:02Z  2026-11-25T06:26:02Z  198.51.100.3 (1)
	//   PORT: port of the catalogue entry; SEEN: its ports with records; LABEL: what abuses it; CATEGORY,
	//     SEVERITY: of the abuse; SOURCES: distinct source addresses; BLOCKED: blocked or rejected;
	//     PASSED: let through; FIRST, LAST: log time of the first and last record; TOP SOURCES: the
	//     heaviest, with their records
	//
	// Scanners: 1 source by danger level
	//   flagged for 15 distinct ports, or 16 home hosts on one port, within 1m0s, or the Mirai pattern
	//   SOURCE        LEVEL  KIND  PORTS  HOSTS  RECORDS  PASSED  FLAGGED  FIRST                 LAST                  WHY
	//   203.0.113.45      4  SYN       2      1        2       0  -        2026-11-25T06:25:14Z  2026-11-25T06:25:15Z  Mirai pattern, high-severity abused ports
	//   LEVEL: danger, 1 to 5; KIND: from the TCP flags (SYN, FIN, NULL, XMAS, ACK) or UDP; PORTS:
	//     distinct destination ports (port/transport) it hit; HOSTS: distinct home hosts it hit; RECORDS:
	//     from it; PASSED: let through; FLAGGED: log time it first reached a threshold; FIRST, LAST: log
	//     time of the first and last record; WHY: the points of its level
	//   Mirai pattern, 23/tcp then 2323/tcp: 1 source
	//   SOURCE        23/TCP  2323/TCP  RECORDS  FIRST                 LAST                  SCANNER
	//   203.0.113.45       1         1        2  2026-11-25T06:25:14Z  2026-11-25T06:25:15Z  -
	//   23/TCP: records to telnet; 2323/TCP: records to the alternate telnet port; RECORDS: from it;
	//     FIRST, LAST: log time of the first and last record; SCANNER: it also scanned or swept
	//
	// Listeners: 1 odd, of 2 seen
	//   something answered from a home host's port, or was let through to it; odd: abused, unassigned or
	//     not expected there
	//   HOST        PORT       SERVICE  EVIDENCE  WHY     RECORDS  CLIENTS  FIRST CLIENT  FIRST                 LAST
	//   192.0.2.10  31337/udp  eldim    accepted  abused        1        1  198.51.100.3  2026-11-25T06:26:02Z  2026-11-25T06:26:02Z
	//   SERVICE: IANA name; EVIDENCE: answer (a SYN-ACK or UDP reply from the port), accepted (a SYN or
	//     datagram let in), or accepted with the flags unknown; WHY: abused, unassigned, not expected;
	//     CLIENTS: distinct addresses it talked with; FIRST CLIENT: of the first record; FIRST, LAST: log
	//     time of the first and last record
	//
	// Logged by: top 2 of 2 (firewall host, interface, rule)
	//   HOST  IFACE  RULE         RECORDS  BLOCKED  PASSED  FIRST                 LAST
	//   web1  eth0   [UFW BLOCK]        2        2       0  2026-11-25T06:25:14Z  2026-11-25T06:25:15Z
	//   web1  eth0   [UFW ALLOW]        2        0       2  2026-11-25T06:25:19Z  2026-11-25T06:26:02Z
	//   HOST: the firewall that logged the records; IFACE: the ingress interface; RULE: the log prefix or
	//     rule (strings from the log: control bytes as \xNN); BLOCKED: blocked or rejected; PASSED: let
	//     through; FIRST, LAST: log time of the first and last record
	//
	// Coverage
	//   lines read       5
	//   records          4: netfilter 4
	//   unparsed         0 (lines shaped like firewall records)
	//   without time     0 records
	//   memory           0.5 MiB at most, of a 64.0 MiB budget
	//   distinct counts  exact
	//   scan tracking    3 sources tracked in 12.0 MiB, 0 forgotten
}
