package report

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"time"
)

// A Baseline remembers the listeners of earlier runs, so that a report
// can say which are new. Its JSON form, the file of --baseline, is
//
//	{
//	  "portnote_baseline": 1,
//	  "created": "2026-11-30T08:00:00Z",
//	  "updated": "2026-12-06T08:00:00Z",
//	  "listeners": [
//	    {"host": "10.0.0.5", "port": 22, "transport": "tcp",
//	     "evidence": "answer", "first_seen": "...", "last_seen": "..."}
//	  ]
//	}
//
// Times are log times: created is the latest record of the run that
// made the baseline, first_seen and last_seen those of the listener's
// records; evidence is the strongest seen (answer, accepted, or
// "accepted, flags unknown"). Listeners are sorted by host, port and
// transport, so that baselines diff well.
type Baseline struct {
	Version   int                `json:"portnote_baseline"`
	Created   time.Time          `json:"created,omitzero"`
	Updated   time.Time          `json:"updated,omitzero"`
	Listeners []BaselineListener `json:"listeners"`

	known map[endpointKey]int // index in Listeners
}

// BaselineListener is a listener a baseline knows.
type BaselineListener struct {
	Host      netip.Addr `json:"host"`
	Port      uint16     `json:"port"`
	Transport string     `json:"transport"`
	Evidence  string     `json:"evidence"`
	FirstSeen time.Time  `json:"first_seen,omitzero"`
	LastSeen  time.Time  `json:"last_seen,omitzero"`
}

// baselineVersion is the format written and the only one read.
const baselineVersion = 1

// ReadBaseline reads a baseline. Anything but a well-formed baseline of
// this version is an error: a damaged baseline must not pass for an
// empty one, which would make every listener new.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var b Baseline
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("not a baseline: %w", err)
	}
	if dec.More() {
		return nil, errors.New("not a baseline: more than one JSON value")
	}
	if b.Version != baselineVersion {
		return nil, fmt.Errorf("baseline version %d, want %d", b.Version, baselineVersion)
	}
	b.known = make(map[endpointKey]int, len(b.Listeners))
	for i, l := range b.Listeners {
		slot, ok := slotOf(l.Transport)
		if !ok || !l.Host.IsValid() {
			return nil, fmt.Errorf("listener %d: bad host or transport %q", i+1, l.Transport)
		}
		if _, ok := parseEvidence(l.Evidence); !ok {
			return nil, fmt.Errorf("listener %d: unknown evidence %q", i+1, l.Evidence)
		}
		b.known[endpointKey{l.Host.Unmap(), l.Port, uint8(slot)}] = i
	}
	return &b, nil
}

// WriteJSON writes the baseline, indented.
func (b *Baseline) WriteJSON(w io.Writer) error {
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(out, '\n'))
	return err
}

// knows reports whether the baseline has the listener k.
func (b *Baseline) knows(k endpointKey) bool {
	if b == nil {
		return false
	}
	_, ok := b.known[k]
	return ok
}

func slotOf(transport string) (int, bool) {
	for s, n := range slotNames {
		if n == transport {
			return s, true
		}
	}
	return 0, false
}

// Baseline returns the baseline of the listeners seen so far: the
// listeners of Config.Baseline, if any, updated and joined by the new
// ones. Created keeps the old baseline's time; Updated is the latest
// record's.
func (s *Summary) Baseline() *Baseline {
	b := &Baseline{Version: baselineVersion, Listeners: []BaselineListener{}}
	if old := s.cfg.Baseline; old != nil {
		b.Created = old.Created
		b.Listeners = append(b.Listeners, old.Listeners...)
		b.Updated = s.time(s.last)
	} else {
		b.Created = s.time(s.last)
	}
	b.known = make(map[endpointKey]int, len(b.Listeners))
	for i, l := range b.Listeners {
		slot, _ := slotOf(l.Transport)
		b.known[endpointKey{l.Host, l.Port, uint8(slot)}] = i
	}
	for i := range s.listen.list {
		e := &s.listen.list[i]
		l := BaselineListener{
			Host: e.key.host, Port: e.key.port, Transport: slotNames[e.key.slot], Evidence: e.evidence.String(),
			FirstSeen: s.time(e.first), LastSeen: s.time(e.last),
		}
		j, ok := b.known[e.key]
		if !ok {
			b.known[e.key] = len(b.Listeners)
			b.Listeners = append(b.Listeners, l)
			continue
		}
		known := &b.Listeners[j]
		if ev, _ := parseEvidence(known.Evidence); e.evidence > ev {
			known.Evidence = l.Evidence
		}
		if !l.FirstSeen.IsZero() && (known.FirstSeen.IsZero() || l.FirstSeen.Before(known.FirstSeen)) {
			known.FirstSeen = l.FirstSeen
		}
		if l.LastSeen.After(known.LastSeen) {
			known.LastSeen = l.LastSeen
		}
	}
	slices.SortFunc(b.Listeners, func(x, y BaselineListener) int {
		return cmp.Or(x.Host.Compare(y.Host), cmp.Compare(x.Port, y.Port), cmp.Compare(x.Transport, y.Transport))
	})
	for i, l := range b.Listeners {
		slot, _ := slotOf(l.Transport)
		b.known[endpointKey{l.Host, l.Port, uint8(slot)}] = i
	}
	return b
}
