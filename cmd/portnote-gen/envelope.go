package main

// envKind is the wrapping a logger puts around a message.
type envKind uint8

const (
	envBSD            envKind = iota // "Mar  1 00:00:01 host kernel: msg", rsyslog's file format
	envBSDPri                        // "<4>Mar  1 00:00:01 host kernel: msg", as sent over the network
	envBSDNoHost                     // "<134>Mar  1 00:00:01 filterlog[123]: msg", pfSense's remote syslog
	envBSDNoTag                      // "Mar  1 00:00:01 host msg": appliances that log without a tag
	envBSDBare                       // "Mar  1 00:00:01 msg": neither host nor tag
	envJournalShort                  // "Mar 01 00:00:01 host kernel: msg", journalctl's default
	envJournalPrecise                // "Mar 01 00:00:01.123456 host kernel: msg", journalctl -o short-precise
	envRFC5424                       // "<4>1 2025-03-01T00:00:01.123456+01:00 host kernel - - - msg"
	envRFC5424SD                     // the same with structured data instead of the last "-"
	envISO                           // "2025-03-01T00:00:01.123456+01:00 host kernel: msg", rsyslog high precision
	envISOShort                      // "2025-03-01T00:00:01+0100 host kernel: msg", journalctl -o short-iso
	envJSON                          // one journalctl -o json object
	envDmesg                         // "[ 1234.567890] msg"
	envDmesgT                        // "[Sat Mar  1 00:00:01 2025] msg", dmesg -T
	envNone                          // the message alone
	numEnvs
)

// envNames name the envelopes in shape labels.
var envNames = [numEnvs]string{
	"bsd", "bsd-pri", "bsd-nohost", "bsd-notag", "bsd-bare", "journal-short",
	"journal-precise", "rfc5424", "rfc5424-sd", "iso", "iso-short", "journal-json",
	"dmesg", "dmesg-T", "bare",
}

// origin says who logged a message.
type origin struct {
	host    string
	tag     string // the program name
	pid     int    // 0 when the tag carries none
	pri     int    // facility*8 + severity
	noColon bool   // "filterlog[61076] msg": no colon after the tag
	sd      []byte // RFC 5424 structured data for envRFC5424SD
}

// wrap appends msg inside envelope env.
func (g *generator) wrap(b []byte, env envKind, o *origin, msg []byte) []byte {
	c := &g.clk
	switch env {
	case envBSDPri, envBSDNoHost:
		b = appendPRI(b, o.pri)
		b = c.appendBSD(b, false, false)
	case envBSD, envBSDNoTag, envBSDBare:
		b = c.appendBSD(b, false, false)
	case envJournalShort:
		b = c.appendBSD(b, true, false)
	case envJournalPrecise:
		b = c.appendBSD(b, true, true)
	case envISO:
		b = c.appendISO(b, true, zoneColon)
	case envISOShort:
		b = c.appendISO(b, false, zoneBasic)
	case envRFC5424, envRFC5424SD:
		return g.rfc5424(b, env, o, msg)
	case envJSON:
		return g.journal.appendJSON(b, g, o, msg)
	case envDmesg:
		b = c.appendUptime(b)
		b = append(b, ' ')
		return append(b, msg...)
	case envDmesgT:
		b = append(b, '[')
		b = c.appendCtime(b)
		b = append(b, "] "...)
		return append(b, msg...)
	case envNone:
		return append(b, msg...)
	}
	b = append(b, ' ')
	if env != envBSDNoHost && env != envBSDBare {
		b = append(b, o.host...)
		b = append(b, ' ')
	}
	if env != envBSDNoTag && env != envBSDBare {
		b = appendTag(b, o)
		// klogd and imklog keep the kernel's own uptime stamp on some
		// systems and drop it on others.
		if o.tag == "kernel" && g.r.permille(400) {
			b = c.appendUptime(b)
			b = append(b, ' ')
		}
	}
	return append(b, msg...)
}

func appendPRI(b []byte, pri int) []byte {
	b = append(b, '<')
	b = appendInt(b, pri)
	return append(b, '>')
}

// appendTag appends "tag[pid]: ", "tag: " or, for noColon, "tag[pid] ".
func appendTag(b []byte, o *origin) []byte {
	b = append(b, o.tag...)
	if o.pid > 0 {
		b = append(b, '[')
		b = appendInt(b, o.pid)
		b = append(b, ']')
	}
	if !o.noColon {
		b = append(b, ':')
	}
	return append(b, ' ')
}

// rfc5424 appends "<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG".
func (g *generator) rfc5424(b []byte, env envKind, o *origin, msg []byte) []byte {
	b = appendPRI(b, o.pri)
	b = append(b, "1 "...)
	b = g.clk.appendISO(b, true, zoneZ)
	b = append(b, ' ')
	b = append(b, o.host...)
	b = append(b, ' ')
	b = append(b, o.tag...)
	b = append(b, ' ')
	if o.pid > 0 {
		b = appendInt(b, o.pid)
	} else {
		b = append(b, '-')
	}
	b = append(b, " - "...)
	switch {
	case env == envRFC5424SD && len(o.sd) > 0:
		b = append(b, o.sd...)
	case env == envRFC5424SD:
		// what rsyslog adds to messages it forwards
		b = append(b, `[timeQuality tzKnown="1" isSynced="1" syncAccuracy="524000"]`...)
	default:
		b = append(b, '-')
	}
	b = append(b, ' ')
	return append(b, msg...)
}

// journal holds what journalctl -o json repeats on every entry.
type journal struct {
	seqnumID, bootID, machineID []byte
	seqnum                      int
}

func (j *journal) init(r *rng) {
	j.seqnumID = r.appendRandHex(nil, 32)
	j.bootID = r.appendRandHex(nil, 32)
	j.machineID = r.appendRandHex(nil, 32)
	j.seqnum = r.between(1, 1<<24)
}

// appendJSON appends one journalctl -o json entry, fields in the order
// journald stores them: the cursor and clocks, then the trusted fields,
// then MESSAGE among the rest.
func (j *journal) appendJSON(b []byte, g *generator, o *origin, msg []byte) []byte {
	c := &g.clk
	j.seqnum++
	mono := c.us - c.bootUS
	b = append(b, `{"__CURSOR":"s=`...)
	b = append(b, j.seqnumID...)
	b = append(b, ";i="...)
	b = appendHex(b, uint64(j.seqnum), 1)
	b = append(b, ";b="...)
	b = append(b, j.bootID...)
	b = append(b, ";m="...)
	b = appendHex(b, uint64(mono), 1)
	b = append(b, ";t="...)
	b = appendHex(b, uint64(c.us), 1)
	b = append(b, ";x="...)
	b = g.r.appendRandHex(b, 16)
	b = append(b, `","__REALTIME_TIMESTAMP":"`...)
	b = appendInt(b, int(c.us))
	b = append(b, `","__MONOTONIC_TIMESTAMP":"`...)
	b = appendInt(b, int(mono))
	b = append(b, `","_BOOT_ID":"`...)
	b = append(b, j.bootID...)
	kernel := o.tag == "kernel"
	if kernel {
		b = append(b, `","_SOURCE_MONOTONIC_TIMESTAMP":"`...)
		b = appendInt(b, int(mono-int64(g.r.between(5, 400))))
		b = append(b, `","_TRANSPORT":"kernel`...)
	} else {
		b = append(b, `","_TRANSPORT":"syslog`...)
	}
	b = append(b, `","PRIORITY":"`...)
	b = appendInt(b, o.pri&7)
	b = append(b, `","SYSLOG_FACILITY":"`...)
	b = appendInt(b, o.pri>>3)
	b = append(b, `","SYSLOG_IDENTIFIER":"`...)
	b = append(b, o.tag...)
	if o.pid > 0 {
		b = append(b, `","SYSLOG_PID":"`...)
		b = appendInt(b, o.pid)
		b = append(b, `","_PID":"`...)
		b = appendInt(b, o.pid)
		b = append(b, `","_UID":"0","_GID":"0","_COMM":"`...)
		b = append(b, o.tag...)
	}
	b = append(b, `","MESSAGE":"`...)
	b = appendJSONString(b, msg)
	b = append(b, `","_MACHINE_ID":"`...)
	b = append(b, j.machineID...)
	b = append(b, `","_HOSTNAME":"`...)
	b = append(b, o.host...)
	return append(b, `","_RUNTIME_SCOPE":"system"}`...)
}

// appendJSONString appends s escaped for the inside of a JSON string.
func appendJSONString(b, s []byte) []byte {
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, `\u00`...)
			b = append(b, hexDigits[c>>4], hexDigits[c&15])
		default:
			b = append(b, c)
		}
	}
	return b
}
