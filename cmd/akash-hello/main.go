// Command akash-hello is the tiny HTTP workload the runtime and end-to-end tests
// deploy: it answers GET / with its hostname and one environment variable, GET
// /healthz with "ok", and logs every request to stdout so a test can find it in
// the container's logs. It is built statically (CGO_ENABLED=0) and shipped in a
// FROM scratch image, so it uses nothing but the standard library.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const usage = `akash-hello: a tiny HTTP server used as a test workload.

Usage:
  akash-hello [--listen ADDR] [--message-env NAME] [--allow-fetch] [--udp-echo ADDR]

Routes:
  GET /         "hello from <hostname>: <value of $NAME>" (NAME is --message-env)
  GET /healthz  "ok"
  GET /bytes?n=1048576  n zero bytes (at most 1 GiB): a payload to measure throughput with
  GET /fetch?url=http://web:8080/[&timeout=1s][&discard=1]  (only with --allow-fetch)
                fetches url (timeout default 3s, at most 10s) and returns its status and
                body, or 502 when the peer does not answer: lets a test ask one container
                to reach another. With discard=1 it reads the whole body and answers
                "<status> <bytes> bytes in <duration>" instead.
  GET /udp?addr=api:9091&msg=hi[&timeout=1s]  (only with --allow-fetch) sends msg as one
                UDP datagram to addr and returns the first datagram that comes back, or
                502 when none does.

  GET /probe?addr=10.0.0.5:8080&n=1000[&parallel=16][&timeout=100ms]  (only with --allow-fetch)
                makes n TCP connection attempts to addr, parallel at a time, each given
                timeout (default 100ms, at most 10s), and answers
                {"attempts":n,"connected":k}: lets a test hammer a path that must stay closed.

With --udp-echo ADDR it also answers every UDP datagram at ADDR with "echo: <datagram>".

Every request is logged to stdout as "request <method> <path> from <remote>".

Example:
  HELLO_MESSAGE=hi akash-hello --listen :8080
  curl http://127.0.0.1:8080/    # hello from myhost: hi

Flags:
`

func main() {
	fs := flag.NewFlagSet("akash-hello", flag.ContinueOnError)
	listen := fs.String("listen", envOr("LISTEN", ":8080"), "address to listen on (env LISTEN)")
	messageEnv := fs.String("message-env", "HELLO_MESSAGE", "environment variable whose value GET / returns")
	allowFetch := fs.Bool("allow-fetch", false, "enable GET /fetch?url=... and /udp (test use only: it makes the server a proxy)")
	udpEcho := fs.String("udp-echo", "", "also answer UDP datagrams at this address, e.g. :9091")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		os.Exit(2)
	}

	if *udpEcho != "" {
		pc, err := net.ListenPacket("udp", *udpEcho)
		if err != nil {
			fmt.Fprintf(os.Stderr, "akash-hello: --udp-echo %s: %v\n", *udpEcho, err)
			os.Exit(1)
		}
		fmt.Printf("akash-hello answering UDP on %s\n", pc.LocalAddr())
		go serveUDPEcho(pc)
	}
	srv := &http.Server{
		Addr:              *listen,
		Handler:           newHandler(*messageEnv, *allowFetch),
		ReadHeaderTimeout: 10 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	fmt.Printf("akash-hello listening on %s\n", *listen)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(os.Stderr, "akash-hello: listen on %s: %v\n", *listen, err)
		os.Exit(1)
	}
}

func newHandler(messageEnv string, allowFetch bool) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		host, _ := os.Hostname()
		fmt.Fprintf(w, "hello from %s: %s\n", host, os.Getenv(messageEnv))
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /bytes", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.ParseInt(r.URL.Query().Get("n"), 10, 64)
		if err != nil || n < 0 || n > 1<<30 {
			http.Error(w, fmt.Sprintf("n %q: want a byte count in [0, 1073741824]", r.URL.Query().Get("n")), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		_, _ = io.CopyN(w, zeros{}, n)
	})
	if allowFetch {
		mux.HandleFunc("GET /fetch", func(w http.ResponseWriter, r *http.Request) {
			target := r.URL.Query().Get("url")
			timeout, ok := queryTimeout(w, r, 3*time.Second)
			if !ok {
				return
			}
			client := &http.Client{Timeout: timeout}
			resp, err := client.Get(target)
			if err != nil {
				// 502: the workload answered, its peer did not; tests tell the two apart.
				http.Error(w, fmt.Sprintf("fetch %s: %v", target, err), http.StatusBadGateway)
				return
			}
			defer resp.Body.Close()
			if r.URL.Query().Get("discard") == "1" {
				start := time.Now()
				n, err := io.Copy(io.Discard, resp.Body)
				if err != nil {
					http.Error(w, fmt.Sprintf("fetch %s: body after %d bytes: %v", target, n, err), http.StatusBadGateway)
					return
				}
				fmt.Fprintf(w, "%d %d bytes in %s", resp.StatusCode, n, time.Since(start))
				return
			}
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
			fmt.Fprintf(w, "%d %s", resp.StatusCode, body)
		})
	}
	if allowFetch {
		mux.HandleFunc("GET /udp", func(w http.ResponseWriter, r *http.Request) {
			addr, msg := r.URL.Query().Get("addr"), r.URL.Query().Get("msg")
			timeout, ok := queryTimeout(w, r, time.Second)
			if !ok {
				return
			}
			c, err := net.DialTimeout("udp", addr, timeout)
			if err != nil {
				http.Error(w, fmt.Sprintf("udp %s: %v", addr, err), http.StatusBadGateway)
				return
			}
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(timeout))
			if _, err := c.Write([]byte(msg)); err != nil {
				http.Error(w, fmt.Sprintf("udp %s: send: %v", addr, err), http.StatusBadGateway)
				return
			}
			buf := make([]byte, 65535)
			n, err := c.Read(buf)
			if err != nil {
				http.Error(w, fmt.Sprintf("udp %s: no answer: %v", addr, err), http.StatusBadGateway)
				return
			}
			w.Write(buf[:n])
		})
	}
	if allowFetch {
		mux.HandleFunc("GET /probe", probe)
	}
	return logRequests(mux)
}

// probe makes n TCP connection attempts and counts those that connect.
func probe(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	addr := q.Get("addr")
	n, err1 := strconv.Atoi(q.Get("n"))
	par, err2 := strconv.Atoi(cmp.Or(q.Get("parallel"), "16"))
	if addr == "" || err1 != nil || err2 != nil || n < 1 || n > 100000 || par < 1 || par > 256 {
		http.Error(w, "want addr=host:port, n in [1, 100000] and parallel in [1, 256]", http.StatusBadRequest)
		return
	}
	timeout, ok := queryTimeout(w, r, 100*time.Millisecond)
	if !ok {
		return
	}
	var connected atomic.Int64
	jobs := make(chan struct{})
	var wg sync.WaitGroup
	for range par {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				if c, err := net.DialTimeout("tcp", addr, timeout); err == nil {
					connected.Add(1)
					c.Close()
				}
			}
		}()
	}
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
	fmt.Fprintf(w, `{"attempts":%d,"connected":%d}`+"\n", n, connected.Load())
}

// queryTimeout reads ?timeout= (default def, at most 10s); on a bad value it
// answers 400 and returns false.
func queryTimeout(w http.ResponseWriter, r *http.Request, def time.Duration) (time.Duration, bool) {
	t := r.URL.Query().Get("timeout")
	if t == "" {
		return def, true
	}
	d, err := time.ParseDuration(t)
	if err != nil || d <= 0 || d > 10*time.Second {
		http.Error(w, fmt.Sprintf("timeout %q: want a duration in (0, 10s], e.g. 1s", t), http.StatusBadRequest)
		return 0, false
	}
	return d, true
}

// serveUDPEcho answers each datagram with "echo: " and the datagram.
func serveUDPEcho(pc net.PacketConn) {
	buf := make([]byte, 65535)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			return
		}
		_, _ = pc.WriteTo(append([]byte("echo: "), buf[:n]...), from)
	}
}

func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Printf("request %s %s from %s\n", r.Method, r.URL.RequestURI(), r.RemoteAddr)
		next.ServeHTTP(w, r)
	})
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
