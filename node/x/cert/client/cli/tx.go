// Package cli holds the cert commands autocli cannot build: making a root
// certificate on disk and publishing it, or publishing existing PEM files.
package cli

import (
	"crypto/rand"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"

	"github.com/akash-market/akash/node/x/cert/certgen"
	"github.com/akash-market/akash/node/x/cert/types"
)

const (
	flagValidity  = "validity"
	flagOverwrite = "overwrite"
)

// NewTxCmd is `tx cert`; autocli adds revoke to it.
func NewTxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Certificate transactions (mTLS roots of tenants and providers)",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	publish := newPublishCmd()
	publish.AddCommand(newPublishClientCmd())
	// Akash's older `tx cert create client` does what generate-and-publish
	// does; `tx cert create` is its alias.
	gp := newGenerateAndPublishCmd()
	gp.Aliases = []string{"create"}
	client := newGenerateAndPublishCmd()
	client.Use, client.Short = "client", "Akash's name (tx cert create client) for generate-and-publish"
	client.Example = "  akash-node tx cert create client --from tenant"
	gp.AddCommand(client)
	cmd.AddCommand(gp, publish, newGenerateCmd())
	return cmd
}

func newGenerateAndPublishCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "generate-and-publish",
		Short: "Make the signer's root certificate (ECDSA P-256) under --home/certs and publish it on chain",
		Long: `Make the signer's root certificate and publish it.

Writes <home>/certs/<address>.key (PKCS #8) and <address>.crt with mode 0600,
then broadcasts MsgCreateCertificate. The provider daemon and the tenant client
load these files for every mutual-TLS connection. An existing pair is never
replaced unless --overwrite is given (revoke the old serial first).`,
		Example: `  akash-node tx cert generate-and-publish --from tenant --home ~/.akash
  akash-node tx cert generate-and-publish --from provider --validity 720h --overwrite`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			validity, _ := cmd.Flags().GetDuration(flagValidity)
			overwrite, _ := cmd.Flags().GetBool(flagOverwrite)
			owner := cctx.GetFromAddress().String()
			if owner == "" {
				return fmt.Errorf("no signer: pass --from <key name or address>")
			}
			root, err := certgen.Generate(rand.Reader, owner, time.Now(), validity)
			if err != nil {
				return err
			}
			msg := &types.MsgCreateCertificate{Owner: owner, Cert: root.CertPEM, Pubkey: root.PubKeyPEM}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			certPath, keyPath, err := certgen.Write(cctx.HomeDir, owner, root, overwrite)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s and %s (serial %s)\n", certPath, keyPath, root.Serial)
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().Duration(flagValidity, certgen.DefaultValidity, "how long the certificate is valid")
	cmd.Flags().Bool(flagOverwrite, false, "replace an existing certificate and key under --home/certs")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func newPublishCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "publish [cert.pem]",
		Short: "Publish an existing root certificate (PEM) of the signer",
		Long: `Publish a root certificate made elsewhere. It must be a self-signed CA with
subject CN = the signer's address; the public key is taken from it.`,
		Example: "  akash-node tx cert publish ~/.akash/certs/akash1....crt --from tenant",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			certPEM, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			pub, err := certgen.PublicKeyPEM(certPEM)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			msg := &types.MsgCreateCertificate{Owner: cctx.GetFromAddress().String(), Cert: certPEM, Pubkey: pub}
			if err := msg.ValidateBasic(); err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}
