// Command portnote-gen writes a synthetic but realistic mixed firewall log:
// netfilter records behind a dozen front ends' prefixes, pf as tcpdump
// prints it, pfSense and OPNsense filterlog CSV, and on request the
// messages of network appliances (Cisco ASA and FTD...) and Windows
// Firewall's pfirewall.log, each in the envelopes
// real systems wrap them in, interleaved with the sshd, cron, nginx and
// kernel chatter that shares their files. It is for benchmarking and
// testing portnote and any other log pipeline.
//
// The output is a pure function of -n, -seed, -mix and -start: the same
// flags give the same bytes on any machine and Go release. Addresses of
// the logging firewalls are in the documentation ranges; the internet
// side is random public-looking space.
//
// With -truth FILE it also writes, for every line, what a correct parser
// should report: "DST_PORT<TAB>PROTOCOL". The port is empty when the
// record has none (ICMP, GRE, an IP fragment, an ICMP error, whose quoted
// packet's ports are not its own); the protocol is the lower-case IANA
// keyword, empty when the line does not reveal it (tcpdump decoding DNS).
// A line that is not a firewall record has both empty, and every record
// has at least one. The parser reads the output as one input, in order:
// a Cisco teardown, which does not say which end opened its connection,
// is read with what its Built message said.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

const usage = `Usage: portnote-gen [-n LINES] [-seed N] [-mix SPEC] [-start TIME] [-truth FILE]

Writes a deterministic, realistic mixed firewall log to standard output.

  -n LINES      lines to write (default 1000)
  -seed N       random seed; the same flags give the same bytes (default 1)
  -mix SPEC     relative weights of the line families, for example
                netfilter=70,pf=10,filterlog=10,noise=10 (the default);
                families left out get none; the appliance and host
                families (%s) are only in the mixes
                that name them; windows-firewall writes a pfirewall.log,
                its header first
  -start TIME   RFC 3339 time of the first line (default 2025-03-01T00:00:00Z);
                timestamps advance from it and are shown in its zone
  -truth FILE   also write, per line, "DST_PORT<TAB>PROTOCOL" as a correct
                parser reading the output in order would report them; both
                empty for a line that is not a firewall record

Example:
  portnote-gen -n 1000000 -seed 1 -truth truth.tsv > mixed.log
`

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the output could not be written
	exitUsage = 2
)

const defaultMix = "netfilter=70,pf=10,filterlog=10,noise=10"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	c, lines, truthPath, err := parseArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, usage, strings.Join(optInFamilies(), ", "))
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "portnote-gen: %v\nportnote-gen: run \"portnote-gen -h\" for usage\n", err)
		return exitUsage
	}
	if err := writeFiles(stdout, truthPath, c, lines); err != nil {
		fmt.Fprintf(stderr, "portnote-gen: %v\n", err)
		return exitError
	}
	return exitOK
}

func parseArgs(args []string) (c config, lines int, truthPath string, err error) {
	fs := flag.NewFlagSet("portnote-gen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.IntVar(&lines, "n", 1000, "")
	seed := fs.Uint64("seed", 1, "")
	mix := fs.String("mix", defaultMix, "")
	start := fs.String("start", "2025-03-01T00:00:00Z", "")
	fs.StringVar(&truthPath, "truth", "", "")
	if err = fs.Parse(args); err != nil {
		return c, 0, "", err
	}
	if fs.NArg() > 0 {
		return c, 0, "", fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if lines < 0 {
		return c, 0, "", fmt.Errorf("-n %d: the line count cannot be negative", lines)
	}
	c.seed = *seed
	if c.mix, err = parseMix(*mix); err != nil {
		return c, 0, "", err
	}
	if c.start, err = time.Parse(time.RFC3339, *start); err != nil {
		return c, 0, "", fmt.Errorf("-start %q: not an RFC 3339 time such as 2025-03-01T00:00:00+01:00", *start)
	}
	return c, lines, truthPath, nil
}

// parseMix reads "netfilter=70,pf=10,filterlog=10,noise=10".
func parseMix(s string) (mix [numFamilies]int, err error) {
	seen := [numFamilies]bool{}
	total := 0
	for _, part := range strings.Split(s, ",") {
		name, weight, ok := strings.Cut(strings.TrimSpace(part), "=")
		f := family(0)
		for f < numFamilies && familyNames[f] != name {
			f++
		}
		if !ok || f == numFamilies {
			return mix, fmt.Errorf("-mix %q: want FAMILY=WEIGHT,... with families %s", s, strings.Join(familyNames[:], ", "))
		}
		if seen[f] {
			return mix, fmt.Errorf("-mix %q: %s given twice", s, name)
		}
		w, err := strconv.Atoi(weight)
		if err != nil || w < 0 || w > 1_000_000 {
			return mix, fmt.Errorf("-mix %q: weight of %s must be a whole number from 0 to 1000000", s, name)
		}
		seen[f] = true
		mix[f] = w
		total += w
	}
	if total == 0 {
		return mix, fmt.Errorf("-mix %q: all weights are zero", s)
	}
	return mix, nil
}

func writeFiles(stdout io.Writer, truthPath string, c config, lines int) error {
	if truthPath == "" {
		return generate(stdout, nil, c, lines)
	}
	f, err := os.Create(truthPath)
	if err != nil {
		return err
	}
	err = generate(stdout, f, c, lines)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// flushAt is how much output is batched per write.
const flushAt = 64 << 10

// generate writes lines lines to out and, when truthOut is not nil, their
// truth to truthOut.
func generate(out, truthOut io.Writer, c config, lines int) error {
	g := newGenerator(c)
	buf := make([]byte, 0, flushAt+8<<10)
	var tbuf []byte
	if truthOut != nil {
		tbuf = make([]byte, 0, flushAt+1<<10)
	}
	for range lines {
		var t truth
		buf, t, _ = g.line(buf)
		buf = append(buf, '\n')
		if len(buf) >= flushAt {
			if _, err := out.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
		if truthOut != nil {
			tbuf = t.appendTSV(tbuf)
			if len(tbuf) >= flushAt {
				if _, err := truthOut.Write(tbuf); err != nil {
					return err
				}
				tbuf = tbuf[:0]
			}
		}
	}
	if _, err := out.Write(buf); err != nil {
		return err
	}
	if truthOut != nil {
		if _, err := truthOut.Write(tbuf); err != nil {
			return err
		}
	}
	return nil
}

// optInFamilies names the families the default mix leaves out.
func optInFamilies() []string {
	def, err := parseMix(defaultMix)
	if err != nil {
		panic(err)
	}
	var names []string
	for f, w := range def {
		if w == 0 {
			names = append(names, familyNames[f])
		}
	}
	return names
}
