#!/usr/bin/env bash
# `make server`: a team server to try out, against a PostgreSQL of its own in
# one directory (default target/server-local; SERVER_DIR moves it). The first
# run creates the cluster, the database and the admin `admin` (its password is
# generated and printed once); later runs reuse them. Ctrl-C stops the server;
# `SERVER_DIR=... scripts/server-local.sh stop` stops PostgreSQL.
set -euo pipefail

DIR="${SERVER_DIR:-$PWD/target/server-local}"
PG_PORT="${SERVER_PG_PORT:-55432}"
LISTEN="${SERVER_LISTEN:-127.0.0.1:8443}"
BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/meridian-server"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
RUN=()
if [ "$(id -u)" = 0 ]; then
    # initdb refuses root: the cluster belongs to the postgres user.
    chown postgres: "$DIR"
    RUN=(runuser -u postgres --)
fi
pg() { "${RUN[@]}" "$PG_BIN/$1" "${@:2}"; }

if [ "${1:-}" = stop ]; then
    pg pg_ctl -D "$DIR/pg" -m fast stop
    exit 0
fi

if [ ! -f "$DIR/pg/PG_VERSION" ]; then
    # A local-only password (the cluster listens on 127.0.0.1 alone); the
    # file must be readable by the cluster's owner, so not a process pipe.
    (umask 077; echo meridian-local >"$DIR/pwfile")
    [ "$(id -u)" = 0 ] && chown postgres: "$DIR/pwfile"
    pg initdb -D "$DIR/pg" -A scram-sha-256 -U postgres -E UTF8 --locale=C --pwfile="$DIR/pwfile" >/dev/null
    rm -f "$DIR/pwfile"
fi
if ! pg pg_ctl -D "$DIR/pg" status >/dev/null 2>&1; then
    pg pg_ctl -D "$DIR/pg" -l "$DIR/pg.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $DIR" start >/dev/null
fi
export PGPASSWORD=meridian-local
if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'meridian'" postgres | grep -q 1; then
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE meridian" postgres >/dev/null
fi
unset PGPASSWORD

export MERIDIAN_DATABASE_URL="postgres://postgres:meridian-local@127.0.0.1:$PG_PORT/meridian"
export MERIDIAN_SERVER_STATE="$DIR/state"
cargo build -p meridian-server --locked
if [ ! -f "$DIR/admin-created" ]; then
    # An empty stdin: the password is generated and printed this once.
    "$BIN" init --admin admin </dev/null
    touch "$DIR/admin-created"
fi
echo "Log in: curl -k -c jar -H 'content-type: application/json' -d '{\"name\":\"admin\",\"password\":\"...\"}' https://$LISTEN/api/v1/login"
exec "$BIN" --listen "$LISTEN"
