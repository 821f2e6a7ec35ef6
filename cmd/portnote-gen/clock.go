package main

import "time"

// clock is the log's notion of now. It starts at -start and moves forward
// by a random gap before every line, so every timestamp format in the
// output tells the same, monotonic story.
type clock struct {
	us     int64 // now, in microseconds since the Unix epoch
	off    int64 // seconds east of UTC of the zone timestamps are shown in
	bootUS int64 // when the logging hosts booted, for kernel uptime stamps
	zone   string
	basic  string // the zone as "+0100", journalctl short-iso style

	// Calendar fields of the current local second. Recomputing them only
	// when the second changes keeps timestamp formatting cheap.
	sec                int64
	year, day, h, m, s int
	mon                time.Month
	wday               time.Weekday

	lastPF int64 // time of the previous pf line, for tcpdump -ttt deltas
}

func (c *clock) init(start time.Time, r *rng) {
	c.us = start.UnixMicro()
	_, off := start.Zone()
	c.off = int64(off)
	c.zone = zoneString(off, true)
	c.basic = zoneString(off, false)
	uptime := int64(r.between(86400, 90*86400))*1e6 + int64(r.intn(1e6))
	c.bootUS = c.us - uptime
	c.lastPF = c.us
	c.sec = -1 << 62
}

func zoneString(off int, colon bool) string {
	b := []byte{'+'}
	if off < 0 {
		b[0] = '-'
		off = -off
	}
	b = appendPad(b, off/3600, 2, '0')
	if colon {
		b = append(b, ':')
	}
	return string(appendPad(b, off/60%60, 2, '0'))
}

// tick advances the clock. Gaps are mostly short with a long tail, as on
// a firewall facing the internet; a scan in progress logs back to back.
func (c *clock) tick(r *rng, scanning bool) {
	var d int
	switch x := r.intn(1000); {
	case scanning:
		d = r.between(30, 3000)
	case x < 600:
		d = r.between(1, 20_000)
	case x < 900:
		d = r.between(20_000, 150_000)
	case x < 995:
		d = r.between(150_000, 1_500_000)
	default:
		d = r.between(1_500_000, 20_000_000)
	}
	c.us += int64(d)
}

// fields brings the cached calendar fields up to date.
func (c *clock) fields() {
	local := floorDiv(c.us, 1e6) + c.off
	if local == c.sec {
		return
	}
	c.sec = local
	t := time.Unix(local, 0).UTC()
	c.year, c.mon, c.day = t.Date()
	c.h, c.m, c.s = t.Clock()
	c.wday = t.Weekday()
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

func (c *clock) micros() int { return int(c.us - floorDiv(c.us, 1e6)*1e6) }

var (
	monthNames = [13]string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	dayNames   = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
)

// appendTime appends "hh:mm:ss", with six digits of fraction if frac.
func (c *clock) appendTime(b []byte, frac bool) []byte {
	c.fields()
	b = appendPad(b, c.h, 2, '0')
	b = append(b, ':')
	b = appendPad(b, c.m, 2, '0')
	b = append(b, ':')
	b = appendPad(b, c.s, 2, '0')
	if frac {
		b = append(b, '.')
		b = appendPad(b, c.micros(), 6, '0')
	}
	return b
}

// appendBSD appends an RFC 3164 stamp, "Mar  1 00:00:01". journalctl's
// short formats pad the day with a zero instead ("Mar 01").
func (c *clock) appendBSD(b []byte, zeroPad, frac bool) []byte {
	c.fields()
	b = append(b, monthNames[c.mon]...)
	b = append(b, ' ')
	pad := byte(' ')
	if zeroPad {
		pad = '0'
	}
	b = appendPad(b, c.day, 2, pad)
	b = append(b, ' ')
	return c.appendTime(b, frac)
}

// Zone styles of ISO 8601 stamps.
const (
	zoneColon = iota // "+01:00", rsyslog and RFC 5424
	zoneBasic        // "+0100", journalctl -o short-iso
	zoneZ            // "Z" for UTC, else "+01:00"
)

// appendISO appends "2025-03-01T00:00:01[.123456]+01:00".
func (c *clock) appendISO(b []byte, frac bool, zone int) []byte {
	c.fields()
	b = appendPad(b, c.year, 4, '0')
	b = append(b, '-')
	b = appendPad(b, int(c.mon), 2, '0')
	b = append(b, '-')
	b = appendPad(b, c.day, 2, '0')
	b = append(b, 'T')
	b = c.appendTime(b, frac)
	switch {
	case zone == zoneZ && c.off == 0:
		return append(b, 'Z')
	case zone == zoneBasic:
		return append(b, c.basic...)
	}
	return append(b, c.zone...)
}

// appendUptime appends the kernel's "[ 1234.567890]" stamp.
func (c *clock) appendUptime(b []byte) []byte {
	up := c.us - c.bootUS
	b = append(b, '[')
	b = appendPad(b, int(up/1e6), 5, ' ')
	b = append(b, '.')
	b = appendPad(b, int(up%1e6), 6, '0')
	return append(b, ']')
}

// appendCtime appends dmesg -T's "Sat Mar  1 00:00:01 2025".
func (c *clock) appendCtime(b []byte) []byte {
	c.fields()
	b = append(b, dayNames[c.wday]...)
	b = append(b, ' ')
	b = c.appendBSD(b, false, false)
	b = append(b, ' ')
	return appendInt(b, c.year)
}

// appendCLF appends the Common Log Format stamp nginx and pvefw-logger
// use, "01/Mar/2025:00:00:01 +0100".
func (c *clock) appendCLF(b []byte) []byte {
	c.fields()
	b = appendPad(b, c.day, 2, '0')
	b = append(b, '/')
	b = append(b, monthNames[c.mon]...)
	b = append(b, '/')
	b = appendInt(b, c.year)
	b = append(b, ':')
	b = c.appendTime(b, false)
	b = append(b, ' ')
	return append(b, c.basic...)
}

// appendDelta appends tcpdump -ttt's time since the previous packet,
// "00:00:00.123456", and remembers now for the next one.
func (c *clock) appendDelta(b []byte) []byte {
	d := c.us - c.lastPF
	c.lastPF = c.us
	s := d / 1e6
	b = appendPad(b, int(s/3600), 2, '0')
	b = append(b, ':')
	b = appendPad(b, int(s/60%60), 2, '0')
	b = append(b, ':')
	b = appendPad(b, int(s%60), 2, '0')
	b = append(b, '.')
	return appendPad(b, int(d%1e6), 6, '0')
}
