// Command akash-sim is the researcher's and CI's entry point to the market:
// today it inspects manifests; the simulator, sweeps and load tests join it as
// they land. Every subcommand is a thin layer of flags over a package call.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := newRootCommand().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(exitCode(err))
	}
}
