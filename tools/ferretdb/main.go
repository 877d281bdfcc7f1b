// Command ferretdb runs an embedded FerretDB v1 server: a MongoDB-wire-compatible
// server backed by SQLite or PostgreSQL, used by the tests and CI instead of mongod.
//
// We embed FerretDB through its public package instead of `go install`-ing its
// own command, because that command panics at start-up when built from the module
// (it requires a generated build/version/version.txt that the module lacks).
//
// Usage:
//
//	ferretdb [-listen 127.0.0.1:27018] [-handler sqlite|postgresql] [-sqlite-dir DIR] [-postgresql-url URL] [-maintain-every 15s] [-stop-with-stdin]
//	ferretdb ping HOST:PORT   # exit 0 if a MongoDB server there answers {ping: 1} with ok: 1
package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "ping" {
		if len(os.Args) != 3 {
			fatalf("usage: ferretdb ping HOST:PORT")
		}
		if err := ping(os.Args[2], 2*time.Second); err != nil {
			fatalf("ping %s: %v", os.Args[2], err)
		}
		return
	}

	listen := flag.String("listen", "127.0.0.1:27018", "TCP address to listen on")
	handler := flag.String("handler", "sqlite", "storage backend: sqlite or postgresql")
	sqliteDir := flag.String("sqlite-dir", ".ferretdb/sqlite", "directory for the SQLite files (created if missing)")
	pgURL := flag.String("postgresql-url", "postgres://postgres@127.0.0.1:5432/ferretdb", "PostgreSQL URL for -handler postgresql (the database must exist)")
	stopWithStdin := flag.Bool("stop-with-stdin", false, "stop when stdin closes (the parent process ended, even by SIGKILL)")
	maintainEvery := flag.Duration("maintain-every", 15*time.Second, "with -handler postgresql: analyze and vacuum changed tables this often, as autovacuum would (0: never)")
	flag.Parse()

	// FerretDB logs every connection and command at info level; warnings and errors are enough here.
	logger := slog.New(quietHandler{slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})})
	slog.SetDefault(logger)

	cfg := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
		Handler:  *handler,
	}

	switch *handler {
	case "sqlite":
		dir, err := filepath.Abs(*sqliteDir)
		if err != nil {
			fatalf("%v", err)
		}
		if err = os.MkdirAll(dir, 0o755); err != nil {
			fatalf("%v", err)
		}
		cfg.SQLiteURL = "file:" + dir + "/" // FerretDB wants a directory URI ending in "/"
	case "postgresql":
		cfg.PostgreSQLURL = *pgURL
	default:
		fatalf("unknown -handler %q (want sqlite or postgresql)", *handler)
	}

	f, err := ferretdb.New(cfg)
	if err != nil {
		fatalf("%v", err)
	}

	// Run until SIGTERM/SIGINT; Run then closes the listener, connections and backend.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if *stopWithStdin {
		// The parent holds the other end of our stdin: EOF means it is gone, so we are not left running orphaned.
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	if *handler == "postgresql" && *maintainEvery > 0 {
		go maintainPostgreSQL(ctx, *pgURL, *maintainEvery)
	}

	fmt.Fprintf(os.Stderr, "ferretdb: %s handler listening on %s\n", *handler, *listen)
	if err = f.Run(ctx); err != nil {
		fatalf("%v", err)
	}
	fmt.Fprintln(os.Stderr, "ferretdb: stopped")
}

// quietHandler drops FerretDB's dumps of error replies ("Response header: ...",
// "Response message: ..."). FerretDB logs them at warn level, about 15 lines for
// every failed command, such as each duplicate-key error a test provokes on
// purpose, and the client receives the same error anyway.
type quietHandler struct{ slog.Handler }

func (h quietHandler) Handle(ctx context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, "Response ") {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h quietHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietHandler{h.Handler.WithAttrs(attrs)}
}

func (h quietHandler) WithGroup(name string) slog.Handler {
	return quietHandler{h.Handler.WithGroup(name)}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb: "+format+"\n", args...)
	os.Exit(1)
}

// ping sends {ping: 1, $db: "admin"} as an OP_MSG over the MongoDB wire protocol
// and checks that the reply says ok: 1. It is hand-encoded so that the start-up
// script can check readiness without a MongoDB client (it runs before `npm ci`).
func ping(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))

	// BSON document {ping: int32(1), $db: "admin"}.
	var doc []byte
	doc = append(doc, 0x10) // int32
	doc = append(doc, "ping\x00"...)
	doc = binary.LittleEndian.AppendUint32(doc, 1)
	doc = append(doc, 0x02) // string
	doc = append(doc, "$db\x00"...)
	doc = binary.LittleEndian.AppendUint32(doc, uint32(len("admin")+1))
	doc = append(doc, "admin\x00"...)
	doc = append(binary.LittleEndian.AppendUint32(nil, uint32(4+len(doc)+1)), append(doc, 0x00)...)

	// OP_MSG: header (length, requestID, responseTo, opCode 2013), flagBits, section kind 0 + document.
	const opMsg = 2013
	msg := binary.LittleEndian.AppendUint32(nil, uint32(16+4+1+len(doc)))
	msg = binary.LittleEndian.AppendUint32(msg, 1)
	msg = binary.LittleEndian.AppendUint32(msg, 0)
	msg = binary.LittleEndian.AppendUint32(msg, opMsg)
	msg = binary.LittleEndian.AppendUint32(msg, 0)
	msg = append(msg, 0)
	msg = append(msg, doc...)
	if _, err = conn.Write(msg); err != nil {
		return err
	}

	header := make([]byte, 16)
	if _, err = io.ReadFull(conn, header); err != nil {
		return err
	}
	length := binary.LittleEndian.Uint32(header[0:])
	if op := binary.LittleEndian.Uint32(header[12:]); op != opMsg || length < 16+4+1+5 || length > 1<<20 {
		return fmt.Errorf("unexpected reply: opCode %d, length %d", op, length)
	}
	body := make([]byte, length-16)
	if _, err = io.ReadFull(conn, body); err != nil {
		return err
	}
	if body[4] != 0 { // after flagBits, expect a kind-0 section holding the reply document
		return fmt.Errorf("unexpected reply section kind %d", body[4])
	}
	ok, err := okField(body[5:])
	if err != nil {
		return err
	}
	if ok != 1 {
		return fmt.Errorf("reply has ok: %v", ok)
	}
	return nil
}

// okField returns the numeric "ok" field of a BSON reply document. It walks only
// the top level and knows just the element types a ping reply may contain.
func okField(doc []byte) (float64, error) {
	if len(doc) < 5 || int(binary.LittleEndian.Uint32(doc)) > len(doc) {
		return 0, fmt.Errorf("truncated reply document")
	}
	doc = doc[4:binary.LittleEndian.Uint32(doc)]
	for len(doc) > 1 {
		typ := doc[0]
		end := bytes.IndexByte(doc[1:], 0)
		if end < 0 {
			return 0, fmt.Errorf("bad element name in reply")
		}
		name, val := string(doc[1:1+end]), doc[2+end:]

		if len(val) < 4 && (typ == 0x02 || typ == 0x03 || typ == 0x04) {
			return 0, fmt.Errorf("truncated reply document")
		}
		var size int
		switch typ {
		case 0x01, 0x09, 0x11, 0x12: // double, datetime, timestamp, int64
			size = 8
		case 0x10: // int32
			size = 4
		case 0x08: // bool
			size = 1
		case 0x0A: // null
			size = 0
		case 0x07: // ObjectId
			size = 12
		case 0x02: // string: int32 length, then bytes
			size = 4 + int(binary.LittleEndian.Uint32(val))
		case 0x03, 0x04: // document, array: int32 total length
			size = int(binary.LittleEndian.Uint32(val))
		default:
			return 0, fmt.Errorf("unsupported BSON type 0x%02x in reply field %q", typ, name)
		}
		if size > len(val) {
			return 0, fmt.Errorf("truncated reply document")
		}

		if name == "ok" {
			switch typ {
			case 0x01:
				return math.Float64frombits(binary.LittleEndian.Uint64(val)), nil
			case 0x10:
				return float64(int32(binary.LittleEndian.Uint32(val))), nil
			case 0x12:
				return float64(int64(binary.LittleEndian.Uint64(val))), nil
			case 0x08:
				if val[0] == 1 {
					return 1, nil
				}
				return 0, nil
			}
		}
		doc = val[size:]
	}
	return 0, fmt.Errorf("reply has no ok field")
}
