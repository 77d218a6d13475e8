// Command akash-node runs and operates the Akash market chain.
package main

import (
	"errors"
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	"github.com/akash-market/akash/cmd/akash-node/cli"
	"github.com/akash-market/akash/node/app"
)

func main() {
	root, err := cli.NewRootCmd()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	root.AddCommand(replayCommand())
	if err := svrcmd.Execute(root, "AKASH", app.DefaultNodeHome); err != nil {
		fmt.Fprintln(os.Stderr, err)
		var e *exitError
		if errors.As(err, &e) {
			os.Exit(e.code)
		}
		os.Exit(1)
	}
}
