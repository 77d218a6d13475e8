// Command run-adaptive runs a scenario file with this module's extensions
// registered and writes the same report as akash-sim run:
//
//	go run ./cmd/run-adaptive testdata/adaptive.yaml out/adaptive
package main

import (
	"fmt"
	"os"

	_ "example.com/custom-strategy" // registers adaptive-margin and bid-spread
	"github.com/akash-market/akash/reports"
	"github.com/akash-market/akash/scenarios"
	"github.com/akash-market/akash/sim"
	"github.com/akash-market/akash/sweep"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: run-adaptive SCENARIO.yaml OUT-DIR\n  e.g. go run ./cmd/run-adaptive testdata/adaptive.yaml out/adaptive")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sc, err := scenarios.Load(os.Args[1], data, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	res, err := sim.Run(sc, sim.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := reports.Write(os.Args[2], sweep.ReportOf(res)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d of %d orders matched; bid spread %.3f; report in %s\n", sc.Name, res.Summary.Orders.Matched,
		res.Summary.Orders.Closed, res.Summary.Extensions["bid-spread"]["mean"], os.Args[2])
}
