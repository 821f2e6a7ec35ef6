// Package report condenses a stream of firewall records into portnote's
// port report: busiest ports, abused ports and their heavy sources,
// scanners, odd listeners, and how much of the input was understood.
//
// Contract:
//   - The engine (package annotate) feeds records through one call,
//     [Summary.Observe], which implements [annotate.Observer]; the engine
//     knows nothing of reports. Imports flow one way: report uses
//     annotate's Lookup, Stats and Colors, never the reverse.
//   - Counting never retains a record or its slices, and costs no
//     allocation for a record of a port, source and destination already
//     seen.
//   - Memory is bounded whatever the input (see [Summary]); what the
//     bounds cost in exactness is stated in every [Report] ([Bounds]).
//   - [Summary.Report] returns a snapshot that later records leave
//     unchanged; [Report.WriteText] and [Report.WriteJSON] write it.
//     JSON is the stable interface, text is for people.
//   - Times are log times; the machine's clock plays no part.
//
// A Summary is not safe for concurrent use: observe and report on one
// goroutine (the engine's, through annotate.Config.Requests).
package report
