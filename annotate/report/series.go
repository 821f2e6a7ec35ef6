package report

import (
	"time"

	"github.com/portnote/portnote/parsers"
)

// series counts timed records per bucket of log time, by verdict, for
// the charts of the HTML report: buckets of an hour while the log spans
// at most maxBuckets hours, then of two, four... hours, merged pairwise
// so that a log of any span costs at most maxBuckets buckets.
type series struct {
	width   int64           // hours per bucket
	buckets map[int64]int32 // bucket (Unix hours / width) -> 1 + index in counts
	counts  []bucketCount
	last    int64 // bucket of the previous record, tried first
	lastIx  int32
	led     *ledger
}

const maxBuckets = 2048

type bucketCount struct {
	bucket                 int64
	blocked, passed, other int64
}

func newSeries(led *ledger) series { return series{width: 1, buckets: map[int64]int32{}, led: led} }

func (s *series) add(a parsers.Action, at int64) {
	b := floorDiv(floorDiv(at, int64(time.Hour)), s.width)
	i := s.lastIx
	if i == 0 || b != s.last {
		var ok bool
		if i, ok = s.buckets[b]; !ok {
			if len(s.counts) >= maxBuckets {
				s.merge()
				s.add(a, at)
				return
			}
			s.led.reserve(growth(s.counts) + mapEntryBytes)
			old := cap(s.counts)
			s.counts = append(s.counts, bucketCount{bucket: b})
			s.led.charge(int64(cap(s.counts)-old)*32 + mapEntryBytes)
			i = int32(len(s.counts))
			s.buckets[b] = i
		}
		s.last, s.lastIx = b, i
	}
	c := &s.counts[i-1]
	switch a {
	case parsers.ActionBlock, parsers.ActionReject:
		c.blocked++
	case parsers.ActionPass:
		c.passed++
	default:
		c.other++
	}
}

// merge doubles the width of the buckets.
func (s *series) merge() {
	s.width *= 2
	merged := s.counts[:0:0]
	index := map[int64]int32{}
	for _, c := range s.counts {
		b := floorDiv(c.bucket, 2)
		i, ok := index[b]
		if !ok {
			merged = append(merged, bucketCount{bucket: b})
			i = int32(len(merged))
			index[b] = i
		}
		m := &merged[i-1]
		m.blocked += c.blocked
		m.passed += c.passed
		m.other += c.other
	}
	s.led.charge(int64(cap(merged)-cap(s.counts))*32 + int64(len(index)-len(s.buckets))*mapEntryBytes)
	s.counts, s.buckets, s.lastIx = merged, index, 0
}
