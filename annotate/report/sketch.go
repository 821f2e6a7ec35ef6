package report

import (
	"encoding/binary"
	"math"
	"math/bits"
	"net/netip"
)

// The summary counts distinct sources and destinations for every port it
// sees, so the cost of one count matters more than its precision. A
// count is exact while it holds at most exactLimit values (a slice of
// 64-bit hashes, at most 512 bytes) and becomes a HyperLogLog sketch
// beyond. All sketches of a Summary share one register budget: when a
// new sketch would overflow it, every sketch is folded to the next lower
// precision, which halves their memory at the price of sqrt(2) in
// error, down to minPrecision. Folding is exact: a folded sketch equals
// the one that would have been built at the lower precision.
const (
	exactLimit       = 64
	maxPrecision     = 12       // 4 KiB of registers, standard error 1.04/64 = 1.6%
	minPrecision     = 8        // 256 B, standard error 6.5%
	sketchBudget     = 32 << 20 // bytes of registers for all sketches together
	maxRegisterValue = 64 - minPrecision + 1
)

// hashAddr maps an address to 64 well-mixed bits. For IPv4 it is a
// bijection of the address, so distinct IPv4 addresses never collide and
// exact counts of them are exact; IPv6 collisions need about 2^32
// addresses. The hash is fixed, not seeded, so that reports are
// reproducible.
func hashAddr(a netip.Addr) uint64 {
	b := a.As16()
	hi, lo := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
	if a.Is4() {
		hi ^= 0x9e3779b97f4a7c15 // keep 1.2.3.4 apart from ::ffff:1.2.3.4
	}
	return mix64(lo ^ mix64(hi))
}

// hashPort is a bijection of port onto well-mixed 64 bits.
func hashPort(port uint16) uint64 { return mix64(uint64(port) + 0x2545f4914f6cdd1d) }

// mix64 is the MurmurHash3 64-bit finaliser: a bijection whose every
// output bit depends on every input bit, which is what HyperLogLog needs
// from its hash (uniform leading bits and leading-zero counts).
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// hll is a HyperLogLog sketch over 64-bit hashes with one byte per
// register. hist counts the registers by value so that an estimate
// costs O(64) instead of O(registers).
type hll struct {
	p    uint8
	regs []uint8
	hist [maxRegisterValue + 1]uint16
}

func newHLL(p uint8) *hll {
	h := &hll{p: p, regs: make([]uint8, 1<<p)}
	h.hist[0] = uint16(len(h.regs))
	return h
}

// add inserts a hash. The top p bits choose the register; the register
// keeps the largest position of the first 1 bit among the other bits.
func (h *hll) add(x uint64) {
	i := x >> (64 - h.p)
	// The sentinel bit bounds the value by 64-p+1 when the low bits are 0.
	v := uint8(bits.LeadingZeros64(x<<h.p|1<<(h.p-1))) + 1
	if old := h.regs[i]; v > old {
		h.hist[old]--
		h.hist[v]++
		h.regs[i] = v
	}
}

// fold halves the sketch to precision p-1. Registers 2j and 2j+1 merge
// into register j; the bit that stops being part of the index becomes
// the first of the remaining bits, so a value from the odd register (bit
// 1) becomes 1 and one from the even register (bit 0) gains one.
func (h *hll) fold() {
	half := len(h.regs) / 2
	regs := make([]uint8, half)
	h.hist = [maxRegisterValue + 1]uint16{}
	for j := range regs {
		var v uint8
		if even := h.regs[2*j]; even > 0 {
			v = even + 1
		}
		if h.regs[2*j+1] > 0 {
			v = max(v, 1)
		}
		regs[j] = v
		h.hist[v]++
	}
	h.p--
	h.regs = regs
}

// estimate returns the cardinality estimate of Ertl's improved estimator
// ("New cardinality estimation algorithms for HyperLogLog sketches",
// 2017, algorithm 6). Unlike the original HyperLogLog estimate it needs
// neither a switch to linear counting for small counts nor empirical
// bias tables: its relative standard error is about 1.04/sqrt(2^p) over
// the whole range.
func (h *hll) estimate() float64 {
	m := float64(len(h.regs))
	q := 64 - int(h.p)
	z := m * ertlTau(1-float64(h.hist[q+1])/m)
	for k := q; k >= 1; k-- {
		z = 0.5 * (z + float64(h.hist[k]))
	}
	z += m * ertlSigma(float64(h.hist[0])/m)
	return m * m / (2 * math.Ln2 * z)
}

// ertlSigma is σ(x) = x + Σ_{k≥1} x^(2^k) 2^(k-1), the correction for
// empty registers; σ(1) is infinite, which makes an empty sketch
// estimate 0.
func ertlSigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	z, y := x, 1.0
	for {
		x *= x
		prev := z
		z += x * y
		y += y
		if z == prev {
			return z
		}
	}
}

// ertlTau is τ(x) = (1 - x - Σ_{k≥1} (1 - x^(2^-k))² 2^-k) / 3, the
// correction for saturated registers.
func ertlTau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	z, y := 1-x, 1.0
	for {
		x = math.Sqrt(x)
		prev := z
		y *= 0.5
		z -= (1 - x) * (1 - x) * y
		if z == prev {
			return z / 3
		}
	}
}

// sketchPool hands out sketches at the shared precision and enforces the
// register budget.
type sketchPool struct {
	p        uint8
	budget   int // bytes of registers
	used     int
	sketches []*hll
}

func newSketchPool(budget int) sketchPool {
	return sketchPool{p: maxPrecision, budget: budget}
}

// get returns an empty sketch, folding every sketch first if its
// registers would not fit in the budget.
func (sp *sketchPool) get() *hll {
	for sp.used+1<<sp.p > sp.budget && sp.p > minPrecision {
		for _, h := range sp.sketches {
			h.fold()
		}
		sp.p--
		sp.used = len(sp.sketches) << sp.p
	}
	h := newHLL(sp.p)
	sp.sketches = append(sp.sketches, h)
	sp.used += len(h.regs)
	return h
}

// stdError is the relative standard error of the pool's sketches.
func (sp *sketchPool) stdError() float64 { return 1.04 / math.Sqrt(float64(int(1)<<sp.p)) }

// distinct counts distinct hashes: exactly up to exactLimit, then with a
// sketch from the pool.
type distinct struct {
	exact  []uint64
	sketch *hll
}

// add inserts a hash. It allocates only when the value is new to an
// exact count, as the slice grows or turns into a sketch.
func (d *distinct) add(x uint64, sp *sketchPool) {
	if d.sketch != nil {
		d.sketch.add(x)
		return
	}
	for _, v := range d.exact {
		if v == x {
			return
		}
	}
	if len(d.exact) < exactLimit {
		d.exact = append(d.exact, x)
		return
	}
	d.sketch = sp.get()
	for _, v := range d.exact {
		d.sketch.add(v)
	}
	d.sketch.add(x)
	d.exact = nil
}

// count returns the number of distinct values, exact or estimated.
func (d *distinct) count() int64 {
	if d.sketch != nil {
		return int64(math.Round(d.sketch.estimate()))
	}
	return int64(len(d.exact))
}

// topSources keeps the heaviest sources of one port with the
// space-saving algorithm (Metwally, Agrawal and El Abbadi, 2005) in
// topCounters counters. Any source with more than 1/topCounters of the
// port's records is guaranteed a counter, and a counter's count exceeds
// the source's true count by at most its err.
type topSources struct {
	n        int
	counters [topCounters]topCounter
}

const topCounters = 8

type topCounter struct {
	addr       netip.Addr
	count, err int64
}

func (t *topSources) add(a netip.Addr) {
	for i := range t.counters[:t.n] {
		if t.counters[i].addr == a {
			t.counters[i].count++
			return
		}
	}
	if t.n < topCounters {
		t.counters[t.n] = topCounter{addr: a, count: 1}
		t.n++
		return
	}
	low := 0
	for i := 1; i < topCounters; i++ {
		if t.counters[i].count < t.counters[low].count {
			low = i
		}
	}
	c := &t.counters[low]
	*c = topCounter{addr: a, count: c.count + 1, err: c.count}
}
