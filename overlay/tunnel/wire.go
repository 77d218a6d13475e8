package tunnel

import (
	"errors"
	"fmt"
	"io"
)

const (
	opStream = 'S'
	opProbe  = 'P'

	statusOK    = 'K'
	statusError = 'E'

	maxStatusMessage = 255
)

// ErrPeerRefused wraps an error status the server endpoint sent back.
var ErrPeerRefused = errors.New("tunnel: peer endpoint refused")

// writeStatus answers an op: nil is OK, otherwise the error's text (cut to
// 255 bytes) goes to the client.
func writeStatus(w io.Writer, err error) error {
	if err == nil {
		_, werr := w.Write([]byte{statusOK})
		return werr
	}
	msg := err.Error()
	if len(msg) > maxStatusMessage {
		msg = msg[:maxStatusMessage]
	}
	buf := append([]byte{statusError, byte(len(msg))}, msg...)
	_, werr := w.Write(buf)
	return werr
}

// readStatus reads the server's answer to an op.
func readStatus(r io.Reader) error {
	var b [2]byte
	if _, err := io.ReadFull(r, b[:1]); err != nil {
		return err
	}
	switch b[0] {
	case statusOK:
		return nil
	case statusError:
		if _, err := io.ReadFull(r, b[1:2]); err != nil {
			return err
		}
		msg := make([]byte, b[1])
		if _, err := io.ReadFull(r, msg); err != nil {
			return err
		}
		return fmt.Errorf("%w: %s", ErrPeerRefused, msg)
	}
	return fmt.Errorf("tunnel: peer sent status byte %#x; want 'K' or 'E' (is the peer an akash tunnel endpoint?)", b[0])
}
