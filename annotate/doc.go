// Package annotate is portnote's streaming engine: it reads log lines,
// recognises firewall records with package parsers, looks their ports up
// in package registry and writes every line back out, enriched, in text
// or JSON form.
//
// Contract:
//   - A line that is not a firewall record is written byte for byte
//     (text) or as {"message": ...} alone (JSON). A line is never lost,
//     reordered or split, whatever its bytes; a last line without a
//     newline stays without one, and CRLF endings are kept.
//   - Memory is bounded whatever the input: a line longer than [MaxLine]
//     is no record and is passed on unparsed as it is read, whole in
//     text, cut to MaxLine bytes and marked in JSON.
//   - Per line the engine allocates nothing once its buffers have grown
//     to the longest line seen.
//   - Output is buffered and flushed whenever the input has nothing more
//     ready, so a live pipe shows each line at once while a large file
//     is written in large blocks.
//   - The package never reads flags, the environment or the terminal,
//     never prints to stderr and never exits: colour and terminal safety
//     arrive precomputed in [Config], problems are returned as errors.
//
// An [Annotator] is not safe for concurrent use.
package annotate
