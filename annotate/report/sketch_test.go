package report

import (
	"math"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"unsafe"
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
			h := newSketch(p)
			bound := 3 * 1.04 / math.Sqrt(float64(int(1)<<p))
			n := 0
			for _, want := range []int{100, 300, 1000, 5000, 20000, 100_000, 1_000_000} {
				for ; n < want; n++ {
					a := addr4(n)
					if v6 {
						a = netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 12: byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
					}
					h.add(0, hashAddr(a))
				}
				got := h.estimate(0)
				if err := math.Abs(got-float64(want)) / float64(want); err > bound {
					t.Errorf("p=%d v6=%v: estimate %.0f for %d distinct, error %.2f%% > %.2f%%", p, v6, got, want, 100*err, 100*bound)
				}
			}
		}
	}
}

func TestHLLEmptyAndDuplicates(t *testing.T) {
	h := newSketch(maxPrecision)
	if got := h.estimate(0); got != 0 {
		t.Errorf("empty sketch estimates %v", got)
	}
	for range 1000 {
		h.add(0, hashAddr(addr4(7)))
	}
	if got := math.Round(h.estimate(0)); got != 1 {
		t.Errorf("one value added 1000 times estimates %v", got)
	}
}

// TestHLLFold: folding a slab gives exactly the registers of sketches
// of the lower precision fed the same values, for every sketch in it.
func TestHLLFold(t *testing.T) {
	hi, lo := newSketch(12), newSketch(11)
	hi.alloc()
	lo.alloc()
	for i := range 50_000 {
		x := hashAddr(addr4(i))
		hi.add(int32(i%2), x)
		lo.add(int32(i%2), x)
	}
	// Values whose bits after the index are all zero reach the largest
	// register value; fold must carry them over too.
	for _, x := range []uint64{0, 1 << 63, 0x0010000000000000} {
		hi.add(1, x)
		lo.add(1, x)
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
	for p := 10; p >= minPrecision; p-- {
		hi.fold()
		direct := newSketch(uint8(p))
		direct.alloc()
		for i := range 50_000 {
			direct.add(int32(i%2), hashAddr(addr4(i)))
		}
		if hi.estimate(0) != direct.estimate(0) {
			t.Errorf("p=%d: folded estimate %v, direct %v", p, hi.estimate(0), direct.estimate(0))
		}
	}
	if hi.led.used != int64(len(hi.regs)) {
		t.Errorf("ledger %d after folding, slab %d", hi.led.used, len(hi.regs))
	}
}

// newSketch returns a slab of one sketch of precision p with a ledger
// of its own.
func newSketch(p uint8) *sketches {
	sk := &sketches{p: p, led: &ledger{}}
	sk.alloc()
	return sk
}

// TestAddrValue: IPv4 values are exact and give the address back; IPv6
// values are marked apart; no value is 0.
func TestAddrValue(t *testing.T) {
	seen := make(map[uint64]bool)
	for i := range 200_000 {
		a := addr4(i * 7919)
		v := addrValue(a)
		if seen[v] || v == 0 || v > valueMask {
			t.Fatalf("value %#x of %v", v, a)
		}
		seen[v] = true
		if back, ok := addrOfValue(v); !ok || back != a {
			t.Fatalf("%v gives back %v", a, back)
		}
	}
	v6 := addrValue(netip.MustParseAddr("2001:db8::1"))
	if _, ok := addrOfValue(v6); ok || v6 == 0 || v6 > valueMask {
		t.Errorf("IPv6 value %#x", v6)
	}
	a := netip.MustParseAddr("192.0.2.1")
	if hashAddr(a) == hashAddr(netip.AddrFrom16(a.As16())) {
		t.Error("192.0.2.1 and ::ffff:192.0.2.1 hash alike")
	}
}

// TestKeyTable: a table holds what was inserted through growth and
// filtering, and charges its slots to the ledger.
func TestKeyTable(t *testing.T) {
	if n := unsafe.Sizeof(slot[struct{}]{}); n != 8 {
		t.Errorf("a set's slot takes %d bytes", n)
	}
	led := &ledger{}
	tab := keyTable[int64]{led: led}
	for i := uint64(1); i <= 10_000; i++ {
		n, added := tab.get(i * 3)
		if !added {
			t.Fatalf("%d not new", i*3)
		}
		*n = int64(i)
	}
	if n, added := tab.get(300); added || *n != 100 {
		t.Errorf("get(300) = %d, %v", *n, added)
	}
	if _, ok := tab.find(301); ok {
		t.Error("found 301")
	}
	if led.used != int64(len(tab.slots))*16 {
		t.Errorf("ledger %d for %d slots", led.used, len(tab.slots))
	}
	tab.filter(func(k uint64, _ *int64) bool { return k%2 == 0 })
	if tab.n != 5000 || led.used != int64(len(tab.slots))*16 || len(tab.slots) != 7500 {
		t.Errorf("after filter: %d keys, %d slots, ledger %d", tab.n, len(tab.slots), led.used)
	}
	for i := uint64(1); i <= 10_000; i++ {
		n, ok := tab.find(i * 3)
		if ok != (i*3%2 == 0) || ok && *n != int64(i) {
			t.Fatalf("find(%d) = %v", i*3, ok)
		}
	}
}

// TestHeavyHitters: with fewer sources than counters the counts are
// exact; beyond, every counter brackets its source's true count, a
// source with more than 1/heavyCounters of the records keeps a counter,
// and certainlyHeaviest names only sources whose rank is certain.
func TestHeavyHitters(t *testing.T) {
	truth := map[netip.Addr]int64{}
	var exact []heavyCounter
	for i := range 5 {
		exact = append(exact, heavyCounter{addr: addr4(i), count: int64(i + 1)})
		truth[addr4(i)] = int64(i + 1)
	}
	h := newHeavyHitters(exact)
	add := func(a netip.Addr, n int) {
		for range n {
			h.add(a)
			truth[a]++
		}
	}
	check := func() {
		t.Helper()
		for i, c := range h.counters {
			if c.count < truth[c.addr] || c.count-c.err > truth[c.addr] {
				t.Errorf("%v: count %d err %d, true %d", c.addr, c.count, c.err, truth[c.addr])
			}
			if h.index[c.addr] != int32(i) || h.heap[h.pos[i]] != int32(i) {
				t.Fatalf("index broken at %d", i)
			}
		}
		for i := 1; i < len(h.heap); i++ {
			if h.less(i, (i-1)/2) {
				t.Fatalf("heap broken at %d", i)
			}
		}
		for a, n := range truth {
			if _, ok := h.index[a]; !ok && n > h.unwatched() {
				t.Errorf("%v sent %d without a counter, unwatched bound %d", a, n, h.unwatched())
			}
		}
	}
	add(addr4(2), 1)
	check()
	named := h.certainlyHeaviest()
	if len(named) != 5 || named[0].Source != addr4(4) || named[0].Records != 5 || named[2].Records != 4 || named[4].Records != 1 {
		t.Errorf("exact counters named %+v", named)
	}

	heavy := netip.MustParseAddr("203.0.113.45")
	for i := range 20_000 {
		add(addr4(100+i), 1) // a stream of one-off sources
		if i%100 == 0 {
			add(heavy, 1)
		}
	}
	check()
	// The heavy source never lost its counter: its count is exact.
	named = h.certainlyHeaviest()
	if len(named) != 1 || named[0].Source != heavy || named[0].Records != truth[heavy] {
		t.Errorf("named %+v, heavy source sent %d", named, truth[heavy])
	}

	// A source that took a counter late has bounds, not a count.
	late := netip.MustParseAddr("203.0.113.99")
	add(late, 3000)
	check()
	named = h.certainlyHeaviest()
	if len(named) != 2 || named[0].Source != late || named[0].Records != 0 ||
		named[0].RecordsMin > truth[late] || named[0].RecordsMax < truth[late] || named[0].RecordsMin == named[0].RecordsMax {
		t.Errorf("named %+v, late source sent %d", named, truth[late])
	}

	// One-off sources only: none stands out.
	h = newHeavyHitters(nil)
	for i := range 1000 {
		h.add(addr4(i))
	}
	if named := h.certainlyHeaviest(); len(named) != 0 {
		t.Errorf("one-off sources named %+v", named)
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
			h := newSketch(maxPrecision)
			for i := range n {
				h.add(0, mix64(uint64(trial)<<40|uint64(i)))
			}
			e := (h.estimate(0) - float64(n)) / float64(n)
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

// TestTopK: the heap keeps exactly the k heaviest, as sorting all would.
func TestTopK(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, k := range []int{1, 5, 256} {
		var all []heavyCounter
		top := topK{k: k}
		for i := range 5000 {
			c := heavyCounter{addr: addr4(i), count: int64(rng.IntN(50))}
			all = append(all, c)
			top.offer(c)
		}
		slices.SortFunc(all, compareHeavy)
		if got := top.sorted(); !slices.Equal(got, all[:k]) {
			t.Errorf("k=%d: %v, want %v", k, got[:min(5, len(got))], all[:min(5, k)])
		}
	}
}
