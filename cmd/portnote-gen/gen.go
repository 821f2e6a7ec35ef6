package main

import (
	"math/bits"
	"math/rand/v2"
	"time"
)

// family is a kind of log line the generator writes.
type family uint8

const (
	famNetfilter family = iota
	famPF
	famFilterlog
	famNoise
	famCiscoASA
	famFortigate
	famSonicwall
	famSophos
	famPanos
	famWindowsFirewall
	numFamilies
)

var familyNames = [numFamilies]string{"netfilter", "pf", "filterlog", "noise", "cisco-asa", "fortigate", "sonicwall", "sophos", "panos", "windows-firewall"}

// config is what the command line asks for.
type config struct {
	seed  uint64
	mix   [numFamilies]int // relative weights
	start time.Time
}

// truth is what a correct parser reports for a line: the destination port
// (-1 when the record has none) and the protocol keyword ("" when the line
// does not reveal it). A line that is not a firewall record has neither;
// every record the generator writes has at least one, so the two cases
// stay apart in the -truth file.
type truth struct {
	port  int32
	proto string
}

var notRecord = truth{port: -1}

func (t truth) appendTSV(b []byte) []byte {
	if t.port >= 0 {
		b = appendInt(b, int(t.port))
	}
	b = append(b, '\t')
	b = append(b, t.proto...)
	return append(b, '\n')
}

// protoNames are the lower-case IANA keywords, as parsers.Protocol.Name
// spells them, of the protocols the generator writes. The generator does
// not import the parsers: its truth must not inherit their mistakes.
var protoNames = [256]string{
	0: "hopopt", 1: "icmp", 2: "igmp", 4: "ipencap", 6: "tcp", 17: "udp",
	33: "dccp", 41: "ipv6", 47: "gre", 50: "esp", 51: "ah", 58: "icmpv6",
	103: "pim", 112: "vrrp", 132: "sctp", 136: "udplite",
}

const (
	protoICMP    = 1
	protoIGMP    = 2
	protoTCP     = 6
	protoUDP     = 17
	protoGRE     = 47
	protoESP     = 50
	protoAH      = 51
	protoICMPv6  = 58
	protoCARP    = 112
	protoSCTP    = 132
	protoUDPLite = 136
)

// rng draws everything from math/rand/v2's PCG through Uint64 alone.
// Bounded numbers come from our own multiply-shift rather than rand.Rand's
// methods, so a given seed yields the same bytes whatever Go release
// builds the command: PCG-DXSM is a fixed algorithm, rand.Rand's
// reductions are an implementation detail. No floating point either:
// fused multiply-add would let results differ between architectures.
type rng struct{ pcg *rand.PCG }

// intn returns a number in [0, n). The bias of skipping Lemire's
// rejection step is below n/2^64: invisible, and deterministic.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.pcg.Uint64(), uint64(n))
	return int(hi)
}

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// permille reports true k times in a thousand.
func (r *rng) permille(k int) bool { return r.intn(1000) < k }

func (r *rng) u32() uint32 { return uint32(r.pcg.Uint64() >> 32) }

// choice is one value of a weighted table and its relative weight.
type choice[T any] struct {
	v T
	w int
}

// weighted picks values in proportion to their weights.
type weighted[T any] struct {
	vals []T
	cum  []int // running sums of the weights
}

func table[T any](cs ...choice[T]) weighted[T] {
	t := weighted[T]{vals: make([]T, 0, len(cs)), cum: make([]int, 0, len(cs))}
	sum := 0
	for _, c := range cs {
		if c.w <= 0 {
			continue
		}
		sum += c.w
		t.vals = append(t.vals, c.v)
		t.cum = append(t.cum, sum)
	}
	return t
}

func (t *weighted[T]) pick(r *rng) T {
	x := r.intn(t.cum[len(t.cum)-1])
	lo, hi := 0, len(t.cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if t.cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return t.vals[lo]
}

// uniform is a table where every value is equally likely.
func uniform[T any](vs ...T) weighted[T] {
	cs := make([]choice[T], len(vs))
	for i, v := range vs {
		cs[i] = choice[T]{v, 1}
	}
	return table(cs...)
}

// generator writes one line at a time. All state that shapes the output
// lives here and is advanced in a fixed order, so a seed fixes the bytes.
type generator struct {
	r        rng
	families weighted[family]
	clk      clock
	world    world
	body     []byte // the message of the line being built, before its envelope
	sd       []byte // scratch for RFC 5424 structured data
	nfFlav   weighted[*nfFlavor]
	pfFlav   weighted[*pfFlavor]
	flFlav   weighted[*flFlavor]
	asaFlav  weighted[*asaFlavor]
	fgFlav   *fgFlavor // made at the first FortiGate line
	swFlav   *swFlavor // made at the first SonicWall line
	soFlav   *soFlavor // made at the first Sophos line
	paFlav   *paFlavor // made at the first PAN-OS line
	wfHost   *wfHost   // made on the family's first line
	noise    weighted[noiseKind]
	journal  journal
}

func newGenerator(c config) *generator {
	g := &generator{r: rng{rand.NewPCG(c.seed, 0x706f72746e6f7465)}} // "portnote"
	var cs []choice[family]
	for f, w := range c.mix {
		cs = append(cs, choice[family]{family(f), w})
	}
	g.families = table(cs...)
	g.clk.init(c.start, &g.r)
	g.world.init(&g.r)
	g.journal.init(&g.r)
	g.nfFlav = g.netfilterFlavors()
	g.pfFlav = g.pfFlavors()
	g.flFlav = g.filterlogFlavors()
	// Families the default mix leaves out draw their set-up only when
	// asked for: the default output stays what it was before them.
	if c.mix[famCiscoASA] > 0 {
		g.asaFlav = g.asaFlavors()
	}
	g.noise = noiseKinds
	g.body = make([]byte, 0, 1024)
	g.sd = make([]byte, 0, 64)
	return g
}

// line appends one log line (without its newline) to b and returns it
// with its truth and a shape name saying which template made it, for
// tests that report disagreements by shape.
func (g *generator) line(b []byte) ([]byte, truth, string) {
	g.clk.tick(&g.r, g.world.scan.left > 0)
	switch g.families.pick(&g.r) {
	case famNetfilter:
		return g.netfilterLine(b)
	case famPF:
		return g.pfLine(b)
	case famFilterlog:
		return g.filterlogLine(b)
	case famCiscoASA:
		return g.asaLine(b)
	case famFortigate:
		return g.fortigateLine(b)
	case famSonicwall:
		return g.sonicwallLine(b)
	case famSophos:
		return g.sophosLine(b)
	case famPanos:
		return g.panosLine(b)
	case famWindowsFirewall:
		return g.windowsFirewallLine(b)
	}
	return g.noiseLine(b)
}

// appendInt appends the decimal form of a non-negative v.
func appendInt(b []byte, v int) []byte {
	if v < 10 {
		return append(b, byte('0'+v))
	}
	var d [20]byte
	i := len(d)
	for v > 0 {
		i--
		d[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, d[i:]...)
}

// appendPad appends v right-aligned in width columns filled with pad.
func appendPad(b []byte, v, width int, pad byte) []byte {
	n := 1
	for x := v; x >= 10; x /= 10 {
		n++
	}
	for ; n < width; n++ {
		b = append(b, pad)
	}
	return appendInt(b, v)
}

const hexDigits = "0123456789abcdef"

// appendHex appends v in lower-case hex, at least width digits.
func appendHex(b []byte, v uint64, width int) []byte {
	var d [16]byte
	i := len(d)
	for v > 0 || len(d)-i < width {
		i--
		d[i] = hexDigits[v&15]
		v >>= 4
	}
	return append(b, d[i:]...)
}

// appendRandHex appends n random lower-case hex digits.
func (r *rng) appendRandHex(b []byte, n int) []byte {
	for ; n > 0; n -= 16 {
		v := r.pcg.Uint64()
		k := min(n, 16)
		for j := 0; j < k; j++ {
			b = append(b, hexDigits[v&15])
			v >>= 4
		}
	}
	return b
}
