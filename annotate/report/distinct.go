package report

import (
	"encoding/binary"
	"math"
	"net/netip"
)

// Distinct counts (sources and destinations of a port, sources of an
// abused entry or a listener, ports of a scanner) are exact while the
// memory budget allows: every counted value is a key in a set shared by
// all counts of its kind (a family), and the count is the number of its
// keys. When the budget is short, the largest counts leave their set for
// a sketch (see budget.go) and are estimates from then on; the rest stay
// exact.
//
// A key is a count's id (below 2^20) above a 44-bit value. Values are
// chosen so that a key is never 0 and exact counts of IPv4 addresses and
// ports are exact: an IPv4 address is its 32 bits under bit 42, an IPv6
// address a 43-bit hash under bit 43 (two of a million IPv6 addresses
// in one count collide with probability 6%, and then count as one), a
// port its transport slot and number under bit 42.
const (
	valueBits = 44
	valueMask = 1<<valueBits - 1
	maxID     = 1<<(64-valueBits) - 1
)

func addrValue(a netip.Addr) uint64 {
	if a.Is4() {
		b := a.As4()
		return 1<<42 | uint64(binary.BigEndian.Uint32(b[:]))
	}
	return 1<<43 | hashAddr(a)>>(64-43)
}

// addrOfValue returns the IPv4 address of an addrValue, or false for
// an IPv6 one (whose address the value does not hold).
func addrOfValue(v uint64) (netip.Addr, bool) {
	if v&(1<<43) != 0 {
		return netip.Addr{}, false
	}
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], uint32(v))
	return netip.AddrFrom4(b), true
}

func portValue(slot int, port uint16) uint64 { return 1<<42 | uint64(slot)<<16 | uint64(port) }

// distinct is one distinct count.
type distinct struct {
	n      uint32 // values counted exactly, while sketch is 0
	sketch int32  // 1 + index of its sketch once it is an estimate
}

func (d *distinct) estimated() bool { return d.sketch != 0 }

// count returns the count, exact or estimated, and whether it is
// estimated.
func (d *distinct) count(sk *sketches) (int64, bool) {
	if d.sketch == 0 {
		return int64(d.n), false
	}
	return int64(math.Round(sk.estimate(d.sketch - 1))), true
}

// family is the exact set behind the distinct counts of one kind. of
// returns the count with an id.
type family struct {
	set keyTable[struct{}]
	of  func(id uint32) *distinct
}

// add counts value v in d, the count with id.
func (f *family) add(d *distinct, id uint32, v uint64, sk *sketches) {
	if d.sketch == 0 {
		f.set.makeRoom()
	}
	if d.sketch != 0 {
		sk.add(d.sketch-1, mix64(v))
		return
	}
	if f.set.insert(uint64(id)<<valueBits | v) {
		d.n++
	}
}

// release moves the values of counts that were just given a sketch
// from the set into their sketches.
func (f *family) release(sk *sketches) {
	f.set.filter(func(k uint64, _ *struct{}) bool {
		d := f.of(uint32(k >> valueBits))
		if d.sketch == 0 {
			return true
		}
		sk.add(d.sketch-1, mix64(k&valueMask))
		return false
	})
}
