package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/akash-market/akash/sim/trace"
)

func TestRunWritesTrace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.trace.jsonl")
	if _, errOut, code := run(t, "run", "sealed-bids", "--until", "20m", "--quiet", "--out", filepath.Join(dir, "r"), "--trace", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	tr, err := trace.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Complete || tr.Header.Scenario != "sealed-bids" || len(tr.Records) < 100 {
		t.Fatalf("complete %t, scenario %q, %d records", tr.Complete, tr.Header.Scenario, len(tr.Records))
	}

	limited := filepath.Join(dir, "limited.jsonl")
	_, errOut, code := run(t, "run", "sealed-bids", "--until", "20m", "--quiet", "--out", filepath.Join(dir, "l"), "--trace", limited, "--trace-limit", "50")
	if code != 0 || !strings.Contains(errOut, "--trace-limit 50") {
		t.Fatalf("exit %d, stderr %q: want success and a note about the limit", code, errOut)
	}
	tr, err = trace.ReadFile(limited)
	if err != nil || tr.Complete || len(tr.Records) != 51 || tr.Records[50].Kind != trace.KindTruncated {
		t.Fatalf("limited trace: %v, complete %v", err, tr != nil && tr.Complete)
	}

	_, errOut, code = run(t, "run", "--until", "10m", "--quiet", "--out", filepath.Join(dir, "x"), "--trace", filepath.Join(dir, "missing", "t.jsonl"))
	if code == 0 || !strings.Contains(errOut, "--trace") {
		t.Fatalf("trace in a missing directory: exit %d, %q", code, errOut)
	}
}
