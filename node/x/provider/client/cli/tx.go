// Package cli holds the provider commands autocli cannot build: create and
// update take attributes as repeated --attr key=value flags.
package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"

	"github.com/akash-market/akash/node/x/provider/types"
)

const (
	flagHostURI = "host-uri"
	flagAttr    = "attr"
	flagEmail   = "email"
	flagWebsite = "website"
)

// NewTxCmd is `tx provider`; autocli adds bond, unbond and delete to it.
func NewTxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Provider registry and stake transactions",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(newRegisterCmd("create"), newRegisterCmd("update"))
	return cmd
}

// ParseAttributes reads key=value pairs (from --attr); the values are checked
// by the message's ValidateBasic.
func ParseAttributes(pairs []string) ([]types.Attribute, error) {
	out := make([]types.Attribute, 0, len(pairs))
	for i, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--attr #%d %q: want key=value, e.g. --attr region=us-west", i+1, p)
		}
		out = append(out, types.Attribute{Key: strings.TrimSpace(k), Value: strings.TrimSpace(v)})
	}
	return out, nil
}

func newRegisterCmd(verb string) *cobra.Command {
	short := "Register the signer as a provider"
	if verb == "update" {
		short = "Replace the signer's host URI, attributes and info"
	}
	cmd := &cobra.Command{
		Use:   verb + " [provider.yaml] [--host-uri URL] [--attr key=value ...]",
		Short: short,
		Long: short + `.

The host URI is where tenants reach the provider's mTLS gateway; it must be an
https URL. Attributes are what orders' placement requirements match
(keys: a letter, then letters, digits, '_', '-', '.', '/').

A provider.yaml may give them instead: Akash's form (host, attributes as a list of
key/value, info with email and website) or the daemon's config (host-uri, attributes as
a map). Flags given as well override the file.`,
		Example: fmt.Sprintf(`  akash-node tx provider %s --host-uri https://p1:8443 --attr region=us-west --attr tier=1 --from provider
  akash-node tx provider %s --host-uri https://p1.example.com:8443 --attr region=eu --email ops@example.com --from provider
  akash-node tx provider %s provider.yaml --from provider`, verb, verb, verb),
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			var host string
			var attrs []types.Attribute
			var info types.Info
			if len(args) == 1 {
				if host, attrs, info, err = ReadProviderFile(args[0]); err != nil {
					return err
				}
			}
			if cmd.Flags().Changed(flagHostURI) {
				host, _ = cmd.Flags().GetString(flagHostURI)
			}
			if cmd.Flags().Changed(flagAttr) {
				pairs, _ := cmd.Flags().GetStringArray(flagAttr)
				if attrs, err = ParseAttributes(pairs); err != nil {
					return err
				}
			}
			if cmd.Flags().Changed(flagEmail) {
				info.Email, _ = cmd.Flags().GetString(flagEmail)
			}
			if cmd.Flags().Changed(flagWebsite) {
				info.Website, _ = cmd.Flags().GetString(flagWebsite)
			}
			if host == "" {
				return fmt.Errorf("no host URI: give --host-uri https://<gateway>:8443 or a provider.yaml with a host key")
			}
			owner := cctx.GetFromAddress().String()
			var msg interface{ ValidateBasic() error }
			if verb == "create" {
				msg = &types.MsgCreateProvider{Owner: owner, HostURI: host, Attributes: attrs, Info: info}
			} else {
				msg = &types.MsgUpdateProvider{Owner: owner, HostURI: host, Attributes: attrs, Info: info}
			}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			switch m := msg.(type) {
			case *types.MsgCreateProvider:
				return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), m)
			case *types.MsgUpdateProvider:
				return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), m)
			}
			return nil
		},
	}
	cmd.Flags().String(flagHostURI, "", "https URL of the provider's mTLS gateway (required unless provider.yaml gives host)")
	cmd.Flags().StringArray(flagAttr, nil, "attribute key=value; repeat for more")
	cmd.Flags().String(flagEmail, "", "contact email shown to tenants")
	cmd.Flags().String(flagWebsite, "", "website shown to tenants")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}
