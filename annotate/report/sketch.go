package report

import (
	"encoding/binary"
	"math"
	"math/bits"
	"net/netip"
)

// HyperLogLog sketches estimate distinct counts that no longer fit in
// memory exactly. All sketches of a Summary share one precision and live
// in one slab of one-byte registers; under memory pressure every sketch
// is folded to the next lower precision, which halves their memory at
// the price of sqrt(2) in error. Folding is exact: a folded sketch
// equals the one that would have been built at the lower precision, so
// sketches of two reports can always be brought to one precision and
// merged (register by register, the larger value wins).
const (
	maxPrecision     = 12 // 4 KiB of registers, standard error 1.04/64 = 1.6%
	minPrecision     = 4  // 16 B, standard error 26%: only for crafted input
	maxRegisterValue = 64 - minPrecision + 1
)

// hashAddr maps an address to 64 well-mixed bits. For IPv4 it is a
// bijection of the address. The hash is fixed, not seeded, so that
// reports are reproducible and mergeable.
func hashAddr(a netip.Addr) uint64 {
	b := a.As16()
	hi, lo := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
	if a.Is4() {
		hi ^= 0x9e3779b97f4a7c15 // keep 1.2.3.4 apart from ::ffff:1.2.3.4
	}
	return mix64(lo ^ mix64(hi))
}

// mix64 is the MurmurHash3 64-bit finaliser: a bijection whose every
// output bit depends on every input bit, which is what HyperLogLog needs
// from its hash (uniform leading bits and leading-zero counts) and what
// open addressing needs from a probe start.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// sketches is a slab of HyperLogLog sketches of precision p: sketch i
// owns regs[i<<p : (i+1)<<p]. A register keeps the largest position of
// the first 1 bit among a hash's bits after the p index bits.
type sketches struct {
	p    uint8
	regs []uint8
	led  *ledger
}

func newSketches(led *ledger) sketches { return sketches{p: maxPrecision, led: led} }

// len returns the number of sketches.
func (s *sketches) len() int { return len(s.regs) >> s.p }

// alloc returns the index of a new, empty sketch.
func (s *sketches) alloc() int32 {
	i := s.len()
	old := cap(s.regs)
	if more := s.allocBytes(); more > 0 {
		s.led.reserve(more)
		s.regs = append(make([]uint8, 0, len(s.regs)+int(more)), s.regs...)
	}
	s.regs = append(s.regs, make([]uint8, 1<<s.p)...)
	s.led.charge(int64(cap(s.regs) - old))
	return int32(i)
}

// allocBytes is what the next alloc allocates: nothing while the slab
// has room, else a growth by an eighth, at most 256 KiB (the slab may
// hold much of the budget), and at least a sketch.
func (s *sketches) allocBytes() int64 {
	if len(s.regs)+1<<s.p <= cap(s.regs) {
		return 0
	}
	return int64(min(len(s.regs)/8, 256<<10) + 1<<s.p)
}

// add inserts hash x into sketch i.
func (s *sketches) add(i int32, x uint64) {
	p := s.p
	r := s.regs[int(i)<<p : int(i+1)<<p]
	// The sentinel bit bounds the value by 64-p+1 when the low bits are 0.
	v := uint8(bits.LeadingZeros64(x<<p|1<<(p-1))) + 1
	if j := x >> (64 - p); v > r[j] {
		r[j] = v
	}
}

// fold halves every sketch to precision p-1. Registers 2j and 2j+1 merge
// into register j; the bit that stops being part of the index becomes
// the first of the remaining bits, so a value from the odd register (bit
// 1) becomes 1 and one from the even register (bit 0) gains one. The
// slab is folded in place (a register is written at or before the ones
// still to be read), then copied into a slab of the new size.
func (s *sketches) fold() {
	n, half := s.len(), 1<<(s.p-1)
	for i := range n {
		src, dst := s.regs[i<<s.p:], s.regs[i*half:]
		for j := range half {
			var v uint8
			if even := src[2*j]; even > 0 {
				v = even + 1
			}
			if src[2*j+1] > 0 {
				v = max(v, 1)
			}
			dst[j] = v
		}
	}
	old := cap(s.regs)
	s.regs = append([]uint8(nil), s.regs[:n*half]...)
	s.led.charge(int64(cap(s.regs) - old))
	s.p--
}

// estimate returns sketch i's cardinality estimate.
func (s *sketches) estimate(i int32) float64 {
	return estimate(s.regs[int(i)<<s.p:int(i+1)<<s.p], s.p)
}

// stdError is the relative standard error of the sketches' estimates.
func (s *sketches) stdError() float64 { return stdError(s.p) }

func stdError(p uint8) float64 { return 1.04 / math.Sqrt(float64(int(1)<<p)) }

// estimate returns the cardinality estimate of registers of precision p
// by Ertl's improved estimator ("New cardinality estimation algorithms
// for HyperLogLog sketches", 2017, algorithm 6). Unlike the original
// HyperLogLog estimate it needs neither a switch to linear counting for
// small counts nor empirical bias tables: its relative standard error is
// about 1.04/sqrt(2^p) over the whole range.
func estimate(regs []uint8, p uint8) float64 {
	var hist [maxRegisterValue + 1]int
	for _, v := range regs {
		hist[v]++
	}
	m := float64(len(regs))
	q := 64 - int(p)
	z := m * ertlTau(1-float64(hist[q+1])/m)
	for k := q; k >= 1; k-- {
		z = 0.5 * (z + float64(hist[k]))
	}
	z += m * ertlSigma(float64(hist[0])/m)
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
