package parsers

import "math/bits"

// Some families' records are rows of space-separated columns whose
// order a header line names (W3C "#Fields:", the VPC Flow Logs header):
// columns is such a layout, and find locates in a row the columns a
// family reads.

// maxColumns bounds a header's column list: no layout of these families
// comes near it (VPC Flow Logs has some 60 fields). Columns past it are
// not read.
const maxColumns = 96

// columns is a layout of space-separated columns: the kind of the field
// in each (a family's own enumeration; 0 for a column it does not read),
// up to the last column read. The zero value, n == 0, stands for the
// family's default layout.
type columns struct {
	n    uint8
	kind [maxColumns]uint8
}

// layoutOf returns the layout that a header's names (separated by
// blanks) describe, kindOf giving each name's kind. It is for header
// lines, which are rare: it may take its time.
func layoutOf(names []byte, kindOf func(name []byte) uint8) (c columns) {
	n := 0
	for i := 0; i < len(names) && n < maxColumns; {
		i = skipSpaces(names, i)
		if i == len(names) {
			break
		}
		name, next := token(names, i)
		if k := kindOf(name); k != 0 {
			c.kind[n] = k
			c.n = uint8(n + 1)
		}
		n++
		i = next
	}
	return c
}

// sameStart reports whether c reads its columns as d does, d maybe
// reading more after them: rows of c read the same under either.
func (c *columns) sameStart(d *columns) bool {
	return c.n <= d.n && string(c.kind[:c.n]) == string(d.kind[:c.n])
}

// find sets at[k], for each kind k that c reads, to where its column
// lies in row: start+1 and end, or 0 and 0 when the row is too short to
// have it. A row's columns are one blank apart; a column may be empty.
//
// The blanks are found eight bytes a step, each word's all at once: a
// row has a dozen columns or more, mostly of a byte or two, which a
// search for each would pay dearly for.
func (c *columns) find(row []byte, at [][2]int32) {
	const low7 = ^uint64(msbs)
	col, n, start := 0, int(c.n), 0
	for base := 0; base < len(row) && col < n; base += 8 {
		// The high bit of each blank's byte: exactly those, unlike
		// zeroBytes, which may mark bytes above the first. Bytes past
		// the row load as zeros, which are not blanks.
		x := load8(row, base) ^ (lsbs * ' ')
		for blanks := ^((x&low7 + low7) | x | low7); blanks != 0 && col < n; blanks &= blanks - 1 {
			end := base + bits.TrailingZeros64(blanks)/8
			if k := c.kind[col]; k != 0 {
				at[k] = [2]int32{int32(start) + 1, int32(end)}
			}
			col++
			start = end + 1
		}
	}
	if col < n && start < len(row) {
		if k := c.kind[col]; k != 0 {
			at[k] = [2]int32{int32(start) + 1, int32(len(row))}
		}
	}
}

// columnAt is the column at s, as find set it, or nil.
func columnAt(row []byte, s [2]int32) []byte {
	if s[0] == 0 {
		return nil
	}
	return row[s[0]-1 : s[1]]
}
