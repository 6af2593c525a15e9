// Command ferretdb runs FerretDB v1 as a local MongoDB-compatible server: on its SQLite backend by default, or on
// PostgreSQL (--handler postgresql --postgresql-url ...), a store that takes concurrent writers.
//
// It wraps the embeddable package because `go install` of FerretDB's own command panics at start:
// that command needs build/version/version.txt, which is generated and absent from the module zip.
// Flag names follow FerretDB's own command, so callers can pass the same flags to an official v1 binary
// (set XINFANG_FERRETDB_BIN): pass both --state-dir and --sqlite-url, and --handler sqlite, or --handler
// postgresql with --postgresql-url.
// Telemetry is always off: the embeddable package disables it and never starts a reporter.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listenAddr := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	stateDir := flag.String("state-dir", "", "data folder; shorthand for --sqlite-url file:<dir>/")
	sqliteURL := flag.String("sqlite-url", "", "SQLite URI of the data folder (default file:data/)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	postgresqlURL := flag.String("postgresql-url", "", "PostgreSQL URL of an existing database (--handler postgresql)")
	flag.String("telemetry", "disable", "accepted for compatibility; telemetry is always disabled")
	showVersion := flag.Bool("version", false, "print the FerretDB version and exit")
	flag.Parse()

	if *showVersion {
		fmt.Println(ferretdbVersion())
		return
	}
	switch *handler {
	case "sqlite":
	case "postgresql":
		if *postgresqlURL == "" {
			fail("--handler postgresql needs --postgresql-url")
		}
	default:
		fail("unsupported --handler %q: sqlite or postgresql", *handler)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("invalid --log-level %q: %v", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	var uri string
	if *handler == "sqlite" {
		uri = sqliteURI(*sqliteURL, *stateDir)
		// The SQLite backend refuses a data folder that does not exist yet.
		if err := ensureDir(uri); err != nil {
			fail("%v", err)
		}
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     uri,
		PostgreSQLURL: *postgresqlURL,
	})
	if err != nil {
		fail("%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// Run returns once ctx is cancelled and every connection and the backend are closed.
	if err := f.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		fail("%v", err)
	}
}

// sqliteURI is --sqlite-url, else the URI of --state-dir, else file:data/.
func sqliteURI(sqliteURL, stateDir string) string {
	if sqliteURL != "" {
		return sqliteURL
	}
	if stateDir == "" {
		return "file:data/"
	}
	abs, err := filepath.Abs(stateDir)
	if err != nil {
		fail("invalid --state-dir: %v", err)
	}
	return "file:" + filepath.ToSlash(abs) + "/"
}

func ensureDir(uri string) error {
	u, err := url.Parse(uri)
	if err != nil {
		return fmt.Errorf("invalid --sqlite-url %q: %w", uri, err)
	}
	dir := u.Path
	if dir == "" {
		dir = u.Opaque
	}
	if u.Scheme != "file" || dir == "" || strings.HasPrefix(dir, ":memory:") {
		return nil
	}
	if err := os.MkdirAll(filepath.FromSlash(dir), 0o755); err != nil {
		return fmt.Errorf("cannot create data folder: %w", err)
	}
	return nil
}

// ferretdbVersion reads the FerretDB module version from the build info (the embedded package reports "unknown").
func ferretdbVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path == "github.com/FerretDB/FerretDB" {
				return "FerretDB " + dep.Version + " (embedded, sqlite and postgresql)"
			}
		}
	}
	return "FerretDB (embedded, sqlite and postgresql)"
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb: "+format+"\n", args...)
	os.Exit(1)
}
