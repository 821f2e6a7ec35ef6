package report

import (
	"encoding/json"
	"io"
)

// WriteJSON writes the report as one JSON document on one line, so that
// periodic reports form a JSON Lines stream. Its keys are those of
// [Report]'s fields, with the scan window in seconds
// (scan_window_seconds). Unlike the text, it lists every scanner, Mirai
// source and odd listener kept, not only the first Config.Top.
func (r *Report) WriteJSON(w io.Writer) error {
	doc := struct {
		*Report
		ScanWindow float64 `json:"scan_window_seconds"`
	}{r, r.ScanWindow.Seconds()}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
