// Package report condenses a stream of firewall records into portnote's
// report: busiest ports, abused ports and their heaviest sources,
// scanners graded by danger level, listeners with their evidence,
// callouts, reflected floods, what logged the records, and how much of
// the input was understood; and it tells of each detection as it is
// made (events).
//
// Contract:
//   - The engine (package annotate) feeds records through one call,
//     [Summary.Observe], which implements [annotate.Observer]; the engine
//     knows nothing of reports. Imports flow one way: report uses
//     annotate's Lookup, Stats, Colors and AddrSet, never the reverse.
//   - Counting never retains a record or its slices, and costs no
//     allocation for a record of a port, source and destination already
//     seen.
//   - Everything a Summary keeps is counted against one memory budget
//     and stays within it whatever the input (see [Summary]); what the
//     budget cost in exactness is stated in every [Report] ([Bounds]).
//   - [Summary.Report] returns a snapshot that later records leave
//     unchanged; [Report.WriteText], [Report.WriteJSON] and
//     [Report.WriteHTML] write it. JSON is the stable interface, text is
//     for people. [Summary.Baseline] returns the listeners seen, for the
//     next run's Config.Baseline.
//   - Times are log times; the machine's clock plays no part.
//   - Strings from logs (hosts, interfaces, rules) are hostile: reports
//     show them with control bytes and invalid UTF-8 escaped, and HTML
//     escapes every string.
//
// The detections live in files of their own: scan.go and window.go
// (vertical scans, sweeps, Mirai), levels.go (danger levels),
// listeners.go and homenet.go (listeners, callouts, the home net),
// baseline.go, events.go, floods.go (reflected floods), rules.go and
// series.go (who logged what, and when). budget.go is the memory
// ledger and what gives way; distinct.go, table.go, sketch.go and
// heavy.go the exact and approximate counts.
//
// A Summary is not safe for concurrent use: observe and report on one
// goroutine (the engine's, through annotate.Config.Requests).
package report
