package report

import (
	"math"
	"net/netip"
	"testing"
)

// addr4 returns the i-th address of 10.0.0.0/8 onwards: sequential
// addresses, the hardest input for a weak hash.
func addr4(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(10 + i>>24), byte(i >> 16), byte(i >> 8), byte(i)})
}

// TestHLLAccuracy checks estimates of sequential IPv4 and IPv6 addresses
// against the truth, within three standard errors (1.04/sqrt(m)) at
// every scale from 100 (a sketch never holds fewer than exactLimit+1
// values) to a million: Ertl's estimator needs no switch to linear
// counting, so there must be no bad range in between.
func TestHLLAccuracy(t *testing.T) {
	for _, p := range []uint8{minPrecision, 10, maxPrecision} {
		for _, v6 := range []bool{false, true} {
			h := newHLL(p)
			bound := 3 * 1.04 / math.Sqrt(float64(int(1)<<p))
			n := 0
			for _, want := range []int{100, 300, 1000, 5000, 20000, 100_000, 1_000_000} {
				for ; n < want; n++ {
					a := addr4(n)
					if v6 {
						a = netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 12: byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
					}
					h.add(hashAddr(a))
				}
				got := h.estimate()
				if err := math.Abs(got-float64(want)) / float64(want); err > bound {
					t.Errorf("p=%d v6=%v: estimate %.0f for %d distinct, error %.2f%% > %.2f%%", p, v6, got, want, 100*err, 100*bound)
				}
			}
		}
	}
}

func TestHLLEmptyAndDuplicates(t *testing.T) {
	h := newHLL(maxPrecision)
	if got := h.estimate(); got != 0 {
		t.Errorf("empty sketch estimates %v", got)
	}
	for range 1000 {
		h.add(hashAddr(addr4(7)))
	}
	if got := math.Round(h.estimate()); got != 1 {
		t.Errorf("one value added 1000 times estimates %v", got)
	}
}

// TestHLLFold: folding a sketch gives exactly the registers of a sketch
// of the lower precision fed the same values.
func TestHLLFold(t *testing.T) {
	hi, lo := newHLL(12), newHLL(11)
	for i := range 50_000 {
		x := hashAddr(addr4(i))
		hi.add(x)
		lo.add(x)
	}
	// Values whose bits after the index are all zero reach the largest
	// register value; fold must carry them over too.
	for _, x := range []uint64{0, 1 << 63, 0x0010000000000000} {
		hi.add(x)
		lo.add(x)
	}
	hi.fold()
	if hi.p != 11 || len(hi.regs) != len(lo.regs) {
		t.Fatalf("folded to p=%d with %d registers", hi.p, len(hi.regs))
	}
	for i := range lo.regs {
		if hi.regs[i] != lo.regs[i] {
			t.Fatalf("register %d: folded %d, direct %d", i, hi.regs[i], lo.regs[i])
		}
	}
	if hi.hist != lo.hist {
		t.Errorf("histograms differ:\nfolded %v\ndirect %v", hi.hist, lo.hist)
	}
}

// TestSketchPoolBudget: sketches fold when the budget fills, all to the
// same precision, never below minPrecision, and estimates survive.
func TestSketchPoolBudget(t *testing.T) {
	pool := newSketchPool(4 << maxPrecision) // room for four sketches at full precision
	var ds [40]distinct
	for i := range ds {
		for j := range 1000 {
			ds[i].add(hashAddr(addr4(i*1000+j)), &pool)
		}
	}
	if pool.p != minPrecision {
		t.Errorf("precision %d after 40 sketches in a budget of 4, want %d", pool.p, minPrecision)
	}
	for i := range ds {
		if ds[i].sketch.p != pool.p {
			t.Fatalf("sketch %d has precision %d, pool %d", i, ds[i].sketch.p, pool.p)
		}
		got := ds[i].count()
		if err := math.Abs(float64(got)-1000) / 1000; err > 3*pool.stdError() {
			t.Errorf("sketch %d: %d for 1000 distinct", i, got)
		}
	}
	small := newSketchPool(16 << maxPrecision)
	for range 16 {
		small.get()
	}
	if small.p != maxPrecision || small.used != 16<<maxPrecision {
		t.Errorf("16 sketches in a budget of 16: p=%d used=%d", small.p, small.used)
	}
	small.get()
	if small.p != maxPrecision-1 || small.used != 17<<(maxPrecision-1) {
		t.Errorf("17 sketches in a budget of 16: p=%d used=%d", small.p, small.used)
	}
}

// TestDistinctExact: counts are exact up to exactLimit, then estimated
// by a sketch that already holds the exact values.
func TestDistinctExact(t *testing.T) {
	pool := newSketchPool(sketchBudget)
	var d distinct
	for i := range exactLimit {
		d.add(hashAddr(addr4(i)), &pool)
		d.add(hashAddr(addr4(i)), &pool)
		if got := d.count(); got != int64(i+1) {
			t.Fatalf("after %d distinct: count %d", i+1, got)
		}
	}
	if d.sketch != nil {
		t.Fatal("sketch before the exact limit")
	}
	d.add(hashAddr(addr4(exactLimit)), &pool)
	if d.sketch == nil || d.exact != nil {
		t.Fatal("no sketch past the exact limit")
	}
	if got := d.count(); got != exactLimit+1 {
		t.Errorf("just past the exact limit: %d, want %d (the estimator is exact this low at p=12)", got, exactLimit+1)
	}
}

// TestHashAddrIPv4Bijective: distinct IPv4 addresses never share a hash,
// which is what makes exact counts exact; v4 and v4-in-v6 differ.
func TestHashAddrIPv4Bijective(t *testing.T) {
	seen := make(map[uint64]bool)
	for i := range 200_000 {
		h := hashAddr(addr4(i * 7919))
		if seen[h] {
			t.Fatalf("collision at %v", addr4(i*7919))
		}
		seen[h] = true
	}
	a := netip.MustParseAddr("192.0.2.1")
	if hashAddr(a) == hashAddr(netip.AddrFrom16(a.As16())) {
		t.Error("192.0.2.1 and ::ffff:192.0.2.1 hash alike")
	}
}

// TestTopSources: with fewer sources than counters the counts are exact;
// beyond, a source with more than 1/8 of the records keeps a counter
// and no counter undercounts.
func TestTopSources(t *testing.T) {
	var top topSources
	truth := map[netip.Addr]int64{}
	add := func(a netip.Addr, n int) {
		for range n {
			top.add(a)
			truth[a]++
		}
	}
	for i := range 5 {
		add(addr4(i), i+1)
	}
	for _, c := range top.counters[:top.n] {
		if c.err != 0 || c.count != truth[c.addr] {
			t.Errorf("%v: count %d err %d, true %d", c.addr, c.count, c.err, truth[c.addr])
		}
	}
	heavy := netip.MustParseAddr("203.0.113.45")
	for i := range 1000 {
		add(addr4(100+i), 1) // a stream of one-off sources
		if i%4 == 0 {
			add(heavy, 1)
		}
	}
	var total int64
	for _, n := range truth {
		total += n
	}
	found := false
	for _, c := range top.counters[:top.n] {
		if c.addr == heavy {
			found = true
		}
		if c.count < truth[c.addr] || c.count-c.err > truth[c.addr] {
			t.Errorf("%v: count %d err %d, true %d", c.addr, c.count, c.err, truth[c.addr])
		}
	}
	if truth[heavy]*topCounters <= total {
		t.Fatalf("test data: heavy source has %d of %d records", truth[heavy], total)
	}
	if !found {
		t.Errorf("heavy source with %d of %d records lost", truth[heavy], total)
	}
}

// TestHLLUnbiased averages the relative error of 32 independent sketches
// at counts around 2.5 registers per value, where the original
// HyperLogLog estimate is known to be biased: the mean must be near zero
// and the spread near the documented standard error.
func TestHLLUnbiased(t *testing.T) {
	const trials = 32
	for _, n := range []int{1000, 10_000, 30_000} {
		var sum, squares float64
		for trial := range trials {
			h := newHLL(maxPrecision)
			for i := range n {
				h.add(mix64(uint64(trial)<<40 | uint64(i)))
			}
			e := (h.estimate() - float64(n)) / float64(n)
			sum += e
			squares += e * e
		}
		mean, rms := sum/trials, math.Sqrt(squares/trials)
		stdErr := 1.04 / math.Sqrt(1<<maxPrecision)
		if math.Abs(mean) > 3*stdErr/math.Sqrt(trials) || rms > 1.5*stdErr {
			t.Errorf("%d distinct: mean error %.2f%%, rms %.2f%% (standard error %.2f%%)", n, 100*mean, 100*rms, 100*stdErr)
		}
	}
}
