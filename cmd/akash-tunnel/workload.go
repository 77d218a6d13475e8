package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/spf13/cobra"
)

// The overlay's container tests need a server and a client inside FROM
// scratch images; these three commands are them.

func newEchoCommand() *cobra.Command {
	var listen string
	cmd := &cobra.Command{
		Use:     "echo",
		Short:   "Test workload: echo every TCP connection back until EOF",
		Example: "  akash-tunnel echo --listen :7000",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "echo listening on %s\n", ln.Addr())
			for {
				c, err := ln.Accept()
				if err != nil {
					return err
				}
				go func() {
					io.Copy(c, c)
					c.(*net.TCPConn).CloseWrite()
					c.Close()
				}()
			}
		},
	}
	cmd.Flags().StringVar(&listen, "listen", ":7000", "address to listen on")
	return cmd
}

func newProbeCommand() *cobra.Command {
	var addr string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "probe",
		Short: "Test client: connect, send a line, expect it echoed; print the round trip as JSON",
		Example: `  akash-tunnel probe --addr db:7000
  # exit status 1 and an error when nothing answers (a denied connection)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			start := time.Now()
			c, err := net.DialTimeout("tcp", addr, timeout)
			if err != nil {
				return err
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(timeout))
			msg := []byte("ping\n")
			if _, err := c.Write(msg); err != nil {
				return err
			}
			got := make([]byte, len(msg))
			if _, err := io.ReadFull(c, got); err != nil {
				return fmt.Errorf("%s accepted but echoed nothing: %w", addr, err)
			}
			return json.NewEncoder(cmd.OutOrStdout()).Encode(map[string]any{"addr": addr, "first_byte_ms": float64(time.Since(start).Microseconds()) / 1000})
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "host:port to probe")
	cmd.Flags().DurationVar(&timeout, "timeout", 3*time.Second, "connect and read timeout")
	return cmd
}

func newPumpCommand() *cobra.Command {
	var addr string
	var size int64
	cmd := &cobra.Command{
		Use:     "pump",
		Short:   "Test client: send --bytes to an echo server, read them back; print MB/s as JSON",
		Example: "  akash-tunnel pump --addr db:7000 --bytes 268435456",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				return err
			}
			defer c.Close()
			start := time.Now()
			errc := make(chan error, 1)
			go func() {
				buf := make([]byte, 256<<10)
				left := size
				for left > 0 {
					n := int64(len(buf))
					if n > left {
						n = left
					}
					if _, err := c.Write(buf[:n]); err != nil {
						errc <- err
						return
					}
					left -= n
				}
				errc <- c.(*net.TCPConn).CloseWrite()
			}()
			got, err := io.Copy(io.Discard, c)
			if err != nil {
				return err
			}
			if err := <-errc; err != nil {
				return err
			}
			if got != size {
				return fmt.Errorf("sent %d bytes, %d came back", size, got)
			}
			secs := time.Since(start).Seconds()
			return json.NewEncoder(cmd.OutOrStdout()).Encode(map[string]any{"addr": addr, "bytes": size, "seconds": secs, "mb_per_s": float64(size) / secs / 1e6})
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "host:port of an echo server")
	cmd.Flags().Int64Var(&size, "bytes", 64<<20, "bytes to send (and receive back)")
	return cmd
}
