package main

import "time"

func testConfig(seed uint64) config {
	mix, err := parseMix(defaultMix)
	if err != nil {
		panic(err)
	}
	return config{seed: seed, mix: mix, start: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}
}
