package parsers

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// Word-at-a-time byte search. A log line is mostly short tokens between
// blanks; finding the next blank eight bytes per step, with the classic
// "has a zero byte" bit trick on the word XOR the wanted byte, beats both
// a byte loop (one compare and branch per byte) and bytes.IndexByte
// (whose call and set-up cost more than a token of a few bytes takes).

const (
	lsbs = 0x0101010101010101
	msbs = 0x8080808080808080
)

// zeroBytes has the high bit set in the lowest zero byte of x, and maybe in
// bytes above it (a borrow can ripple up), but in none below: the lowest
// set bit marks the first zero byte exactly.
func zeroBytes(x uint64) uint64 { return (x - lsbs) &^ x & msbs }

// nextBlank returns the index of the first ' ' in b at or after i, or
// len(b).
func nextBlank(b []byte, i int) int { return nextByte(b, i, ' ') }

// nextByte returns the index of the first c in b at or after i, or
// len(b).
func nextByte(b []byte, i int, c byte) int {
	pat := lsbs * uint64(c)
	for ; i+8 <= len(b); i += 8 {
		if z := zeroBytes(binary.LittleEndian.Uint64(b[i:]) ^ pat); z != 0 {
			return i + bits.TrailingZeros64(z)/8
		}
	}
	for i < len(b) && b[i] != c {
		i++
	}
	return i
}

// load8 returns the eight bytes of b from i as a little-endian word, with
// zero bytes past the end of b.
func load8(b []byte, i int) uint64 {
	if i+8 <= len(b) {
		return binary.LittleEndian.Uint64(b[i:])
	}
	var w uint64
	for k := len(b) - 1; k >= i; k-- {
		w = w<<8 | uint64(b[k])
	}
	return w
}

// trimSpace is bytes.TrimSpace, quicker for what log prefixes mostly
// are: ASCII, with blanks at the end only. It trims trailing blanks
// itself and hands anything else to bytes.TrimSpace: when the bytes left
// start and end with ASCII that is not white space, TrimSpace would stop
// at both ends just where this does.
func trimSpace(b []byte) []byte {
	n := len(b)
	for n > 0 && b[n-1] == ' ' {
		n--
	}
	if n > 0 && asciiVisible(b[0]) && asciiVisible(b[n-1]) {
		return b[:n]
	}
	return bytes.TrimSpace(b)
}

// asciiVisible reports whether c is a printable ASCII byte other than
// the blank.
func asciiVisible(c byte) bool { return '!' <= c && c <= '~' }

// parsePort reads a port number written in one to five decimal digits.
func parsePort(b []byte) (uint16, bool) {
	v, ok := decimal(b, 5)
	return uint16(v), ok && v <= 65535
}

// decimal reads one to maxDigits decimal digits, all of b.
func decimal(b []byte, maxDigits int) (int, bool) {
	if len(b) == 0 || len(b) > maxDigits {
		return 0, false
	}
	v := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}
