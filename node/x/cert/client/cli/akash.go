package cli

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"

	"github.com/akash-market/akash/node/x/cert/certgen"
	"github.com/akash-market/akash/node/x/cert/types"
)

// Akash's names for the account certificate: `tx cert generate client`,
// `tx cert publish client`, `tx cert revoke client --serial N`. They act on
// the same files as generate-and-publish (<home>/certs/<address>.crt/.key).

const flagSerial = "serial"

func newGenerateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "generate",
		Short:   "Make a certificate on disk without publishing it (Akash: tx cert generate client)",
		Example: "  akash-node tx cert generate client --from tenant",
		RunE:    client.ValidateCmd,
	}
	c := &cobra.Command{
		Use:   "client",
		Short: "Make the signer's root certificate under <home>/certs (publish it with: tx cert publish client)",
		Example: `  akash-node tx cert generate client --from tenant
  akash-node tx cert generate client --from tenant --validity 720h --overwrite`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			owner := cctx.GetFromAddress().String()
			if owner == "" {
				return fmt.Errorf("no signer: pass --from <key name or address>")
			}
			validity, _ := cmd.Flags().GetDuration(flagValidity)
			overwrite, _ := cmd.Flags().GetBool(flagOverwrite)
			root, err := certgen.Generate(rand.Reader, owner, time.Now(), validity)
			if err != nil {
				return err
			}
			certPath, keyPath, err := certgen.Write(cctx.HomeDir, owner, root, overwrite)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s and %s (serial %s); publish it with: akash-node tx cert publish client --from %s\n", certPath, keyPath, root.Serial, cctx.FromName)
			return nil
		},
	}
	c.Flags().Duration(flagValidity, certgen.DefaultValidity, "how long the certificate is valid")
	c.Flags().Bool(flagOverwrite, false, "replace an existing certificate and key under --home/certs")
	flags.AddTxFlagsToCmd(c) // --from, --keyring-backend, --home (nothing is broadcast)
	cmd.AddCommand(c)
	return cmd
}

// newPublishClientCmd is `tx cert publish client`: the signer's certificate
// from <home>/certs.
func newPublishClientCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "client",
		Short:   "Publish the signer's certificate from <home>/certs/<address>.crt (made by tx cert generate client)",
		Example: "  akash-node tx cert publish client --from tenant",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			owner := cctx.GetFromAddress().String()
			certPath, _ := certgen.Paths(cctx.HomeDir, owner)
			certPEM, err := os.ReadFile(certPath)
			if err != nil {
				return fmt.Errorf("%w (make one with: akash-node tx cert generate client --from %s)", err, cctx.FromName)
			}
			pub, err := certgen.PublicKeyPEM(certPEM)
			if err != nil {
				return fmt.Errorf("%s: %w", certPath, err)
			}
			msg := &types.MsgCreateCertificate{Owner: owner, Cert: certPEM, Pubkey: pub}
			if err := msg.ValidateBasic(); err != nil {
				return fmt.Errorf("%s: %w", certPath, err)
			}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// NewRevokeClientCmd is `tx cert revoke client --serial N` (Akash's form of
// `tx cert revoke N`).
func NewRevokeClientCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "client --serial N",
		Short:   "Revoke one of the signer's certificates by serial; peers stop trusting it at once",
		Example: "  akash-node tx cert revoke client --serial 170141183460469231731687303715884105727 --from tenant",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			serial, _ := cmd.Flags().GetString(flagSerial)
			if n, ok := new(big.Int).SetString(serial, 10); !ok || n.Sign() <= 0 {
				return fmt.Errorf("--serial %q: want the certificate's serial number in decimal (see akash-node query cert certificates --owner <address>)", serial)
			}
			msg := &types.MsgRevokeCertificate{Owner: cctx.GetFromAddress().String(), Serial: serial}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagSerial, "", "serial number of the certificate to revoke (required)")
	_ = cmd.MarkFlagRequired(flagSerial)
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}
