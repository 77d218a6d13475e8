// Command akash-sim is the researcher's and CI's entry point to the market:
// today it inspects manifests; the simulator, sweeps and load tests join it as
// they land. Every subcommand is a thin layer of flags over a package call.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

func main() {
	os.Exit(execute(newRootCommand(), os.Stderr))
}

// execute runs the command tree and returns the exit code. A panic is
// akash-sim's own failure: it is reported with its stack and exit code 3
// (exitInternal), never 2, which means a usage mistake.
func execute(root interface{ Execute() error }, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "Error: internal error (a bug in akash-sim, please report it with the command line): %v\n%s", r, debug.Stack())
			code = exitInternal
		}
	}()
	if err := root.Execute(); err != nil {
		fmt.Fprintln(stderr, "Error:", err)
		return exitCode(err)
	}
	return 0
}
