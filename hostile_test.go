package clerk

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const gib = 1 << 30

// endless writes a body of size bytes (forever when size is negative) from one small buffer,
// so that the test itself never holds it, and counts what the client accepted.
type endless struct {
	status  int
	prefix  string
	size    int64
	written atomic.Int64
}

var filler = func() []byte {
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = 'a'
	}
	return b
}()

func (e *endless) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	n, _ := w.Write([]byte(e.prefix))
	e.written.Add(int64(n))
	for e.size < 0 || e.written.Load() < e.size {
		chunk := filler
		if e.size >= 0 {
			chunk = chunk[:min(int64(len(chunk)), e.size-e.written.Load())]
		}
		n, err := w.Write(chunk)
		e.written.Add(int64(n))
		if err != nil {
			return // the client hung up
		}
	}
}

// memDelta runs f and returns how many bytes it allocated in total and how much more heap
// is in use afterwards. Tests that use it must not be parallel.
func memDelta(f func()) (total, heap int64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return int64(after.TotalAlloc - before.TotalAlloc), int64(after.HeapAlloc) -
		int64(before.HeapAlloc)
}

// TestHugeBodies serves bodies of 1 GiB and bodies that never end: the call fails (or, with
// nothing to decode, succeeds) after reading a bounded part, and its memory stays far below
// what the server offered.
func TestHugeBodies(t *testing.T) {
	cases := []struct {
		name     string
		status   int
		prefix   string
		size     int64
		method   string
		out      bool
		attempts int
		check    func(t *testing.T, err error)
		// maxRead bounds what the client may have taken from the server.
		maxRead int64
	}{
		{"1 GiB user", 200, `{"id":"user_1","first_name":"`, gib, "GET", true, 1,
			func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrResponseTooLarge) },
			maxResponseBytes + 16<<20},
		{"endless, not JSON", 200, `{"id":"user_1",x`, -1, "GET", true, 1,
			func(t *testing.T, err error) { assert.Error(t, err) }, maxResponseBytes + 16<<20},
		{"1 GiB nothing to decode", 200, `{}`, gib, "DELETE", false, 1,
			func(t *testing.T, err error) { assert.NoError(t, err) }, 16 << 20},
		{"1 GiB 400 page", 400, "<html>", gib, "POST", true, 1,
			func(t *testing.T, err error) {
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, 400, apiErr.HTTPStatusCode)
				assert.LessOrEqual(t, len(apiErr.Body), maxErrorExcerpt+3)
			}, 16 << 20},
		{"endless 503 page, retried", 503, "<html>", -1, "GET", true, 3,
			func(t *testing.T, err error) {
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, 503, apiErr.HTTPStatusCode)
			}, 3 * 16 << 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := &endless{status: tc.status, prefix: tc.prefix, size: tc.size}
			var hits atomic.Int32
			fs := newFaultServer(t, func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				e.ServeHTTP(w, r)
			})
			b, _ := faultBackend(t, fs)
			var err error
			total, heap := memDelta(func() {
				var out any
				if tc.out {
					out = &User{}
				}
				err = b.Do(context.Background(), &Request{Method: tc.method, Path: "users/u"},
					out)
			})
			tc.check(t, err)
			assert.Equal(t, int32(tc.attempts), hits.Load())
			// The kernel's socket buffers hold some of what the server wrote beyond what the
			// client read, hence the margin in maxRead.
			assert.Less(t, e.written.Load(), tc.maxRead, "got %d bytes taken from the server",
				e.written.Load())
			// Decoding a body cut at the bound allocates a few times the bound in garbage;
			// reading the whole body would allocate more than the body.
			assert.Less(t, total, int64(gib/2), "got %d bytes allocated", total)
			assert.Less(t, heap, int64(16<<20), "got %d bytes still on the heap", heap)
		})
	}
}

// TestSlowServerIsBounded covers servers that keep the connection busy without ever
// finishing: no headers at all, endless headers, and a body that trickles forever. The
// call ends with the Timeout of the configuration or the deadline of the context.
func TestSlowServerIsBounded(t *testing.T) {
	// silent accepts connections, reads what comes, and never answers.
	silent := func(t *testing.T) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		t.Cleanup(func() { ln.Close() })
		go func() {
			for {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				go func() {
					defer conn.Close()
					buf := make([]byte, 4<<10)
					for {
						if _, err := conn.Read(buf); err != nil {
							return
						}
					}
				}()
			}
		}()
		return "http://" + ln.Addr().String()
	}
	// trickle sends a status line, then one header byte or one body byte at a time.
	trickle := func(t *testing.T, headers bool) string {
		fs := newFaultServer(t, func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			buf.WriteString("HTTP/1.1 200 OK\r\n")
			if headers {
				buf.WriteString("X-Long: ")
			} else {
				buf.WriteString("Content-Type: application/json\r\n\r\n{\"id\":\"")
			}
			tick := time.NewTicker(5 * time.Millisecond)
			defer tick.Stop()
			for {
				if buf.WriteByte('a') != nil || buf.Flush() != nil {
					return
				}
				select {
				case <-tick.C:
				case <-r.Context().Done():
					return
				}
			}
		})
		return fs.URL
	}
	servers := map[string]func(t *testing.T) string{
		"no headers":      silent,
		"endless headers": func(t *testing.T) string { return trickle(t, true) },
		"endless body":    func(t *testing.T) string { return trickle(t, false) },
	}
	noLeak := checkNoLeak(t)
	for name, serve := range servers {
		for _, method := range []string{"GET", "POST"} {
			t.Run(name+"/"+method+"/Timeout", func(t *testing.T) {
				url := serve(t)
				b := NewBackend(&ClientConfig{Key: testKey, BaseURL: url,
					Timeout: 150 * time.Millisecond})
				rec := &waitRecorder{}
				b.sleep = rec.sleep
				err := waitErr(t, doAsync(context.Background(), b,
					&Request{Method: method, Path: "users"}))
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.Empty(t, rec.all(), "the call's deadline passed: no retry")
			})
			t.Run(name+"/"+method+"/deadline", func(t *testing.T) {
				url := serve(t)
				b := NewBackend(&ClientConfig{Key: testKey, BaseURL: url, Timeout: -1})
				ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
				defer cancel()
				err := waitErr(t, doAsync(ctx, b, &Request{Method: method, Path: "users"}))
				assert.ErrorIs(t, err, context.DeadlineExceeded)
			})
		}
	}
	sharedHTTPClient.CloseIdleConnections()
	// The servers are closed by the subtests' cleanups; their goroutines must be gone too.
	noLeak()
}

// TestHugeHeaders checks that a server sending headers without end is cut off by the
// transport's header limit, with no unbounded read and no hang.
func TestHugeHeaders(t *testing.T) {
	t.Parallel()
	fs := newFaultServer(t, func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		writeEndlessHeaders(buf)
	})
	b, rec := faultBackend(t, fs)
	err := waitErr(t, doAsync(context.Background(), b, &Request{Method: "POST", Path: "users"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "headers exceeded")
	assert.Equal(t, 1, fs.count(), "a POST is not sent again")
	assert.Empty(t, rec.all())
}

func writeEndlessHeaders(buf *bufio.ReadWriter) {
	buf.WriteString("HTTP/1.1 200 OK\r\n")
	for {
		if _, err := buf.Write(filler[:1000]); err != nil {
			return
		}
		if _, err := buf.WriteString(": x\r\nX-More"); err != nil {
			return
		}
		if buf.Flush() != nil {
			return
		}
	}
}
