package tunnel

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

const (
	opStream   = 'S'
	opProbe    = 'P'
	opDatagram = 'D' // a UDP flow: length-prefixed datagrams both ways

	statusOK    = 'K'
	statusError = 'E'

	maxStatusMessage = 255
)

// maxDatagram is the largest UDP payload carried (and the frame limit).
const maxDatagram = 65535

// writeFrame sends one datagram as a 2-byte big-endian length and the bytes.
func writeFrame(w io.Writer, p []byte) error {
	if len(p) > maxDatagram {
		return fmt.Errorf("tunnel: datagram of %d bytes; at most %d are carried", len(p), maxDatagram)
	}
	buf := make([]byte, 2+len(p))
	binary.BigEndian.PutUint16(buf, uint16(len(p)))
	copy(buf[2:], p)
	_, err := w.Write(buf)
	return err
}

// readFrame reads one datagram into buf (at least maxDatagram bytes long).
func readFrame(r io.Reader, buf []byte) (int, error) {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, err
	}
	n := int(binary.BigEndian.Uint16(h[:]))
	if _, err := io.ReadFull(r, buf[:n]); err != nil {
		return 0, err
	}
	return n, nil
}

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
