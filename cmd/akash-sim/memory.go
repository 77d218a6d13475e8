package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/akash-market/akash/scenarios"
	"github.com/akash-market/akash/sim"
)

// fitsInMemory refuses, before it starts, a scenario whose run would need
// more memory than this machine (or its cgroup) has: the Go runtime would
// otherwise end it half way with "out of memory" and a stack trace. run and
// scenario validate both call it (scenarios.Validate already refuses anything
// over scenarios.MaxFootprint on every machine).
func fitsInMemory(sc *sim.Scenario) error {
	limit, what := machineMemory()
	if limit == 0 {
		return nil
	}
	if key, problem, hint := scenarios.TooLarge(sc, float64(limit), what+" ("+scenarios.FormatBytes(float64(limit))+")"); key != "" {
		return &exitError{exitInvalid, fmt.Sprintf("scenario %s: %s: %s; %s", sc.Name, key, problem, hint)}
	}
	return nil
}

// machineMemory is the memory a process here may use: the cgroup's limit
// when one is set, else the machine's RAM; 0 when neither can be read.
func machineMemory() (uint64, string) {
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 {
			return n, "this container's memory limit"
		}
	}
	var si syscall.Sysinfo_t
	if err := syscall.Sysinfo(&si); err == nil && si.Totalram > 0 {
		return uint64(si.Totalram) * uint64(si.Unit), "this machine's memory"
	}
	return 0, ""
}
