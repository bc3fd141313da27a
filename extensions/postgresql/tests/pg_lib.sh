# Helpers for a private PostgreSQL server, sourced by tests/run.sh and
# bench/postgresql.sh. Everything lives in one temporary directory: the data
# directory, the Unix socket (no TCP), the log. Run as root (as CI is), the
# server runs as the `postgres` user, since initdb refuses root.

# Sets pg_config ($PG_CONFIG, else the one on PATH), pgbin and pg_regress;
# on failure prints why and returns 1.
pgx_find() {
  pg_config=${PG_CONFIG:-$(command -v pg_config)} && [ -x "$pg_config" ] ||
    { echo "pg_config not found (Debian: postgresql-server-dev-all)"; return 1; }
  pgbin=$("$pg_config" --bindir)
  [ -x "$pgbin/initdb" ] && [ -x "$pgbin/pg_ctl" ] || { echo "no server in $pgbin (Debian: postgresql)"; return 1; }
  [ -f "$("$pg_config" --includedir-server)/postgres.h" ] || { echo "no server headers (Debian: postgresql-server-dev-all)"; return 1; }
  pg_regress=$(dirname "$("$pg_config" --pgxs)")/../test/regress/pg_regress
  [ -x "$pg_regress" ] || { echo "no pg_regress (Debian: postgresql-server-dev-all)"; return 1; }
  [ -w "$("$pg_config" --sharedir)/extension" ] && [ -w "$("$pg_config" --pkglibdir)" ] ||
    { echo "cannot write the server's extension directories (run as root, as CI does)"; return 1; }
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "running as root and there is no postgres user"; return 1
  fi
}

# Runs a command as the server's user.
pgx_as_server() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pgx_build_install SRC LIBDIR WORKDIR: builds the extension out of the
# source tree in WORKDIR against LIBDIR/libpathway.a and installs it into the
# server's extension directories (PGXS `make install`).
pgx_build_install() {
  local ext=$1/extensions/postgresql
  mkdir -p "$3"
  make -s -C "$3" -f "$ext/Makefile" PG_CONFIG="$pg_config" PATHWAY_BUILD="$2" PATHWAY_WERROR=1 >"$3/make.log" 2>&1 &&
    make -s -C "$3" -f "$ext/Makefile" PG_CONFIG="$pg_config" PATHWAY_BUILD="$2" install >>"$3/make.log" 2>&1 ||
    { cat "$3/make.log" >&2; echo "the extension does not build or install" >&2; return 1; }
}

# pgx_start DIR: initdb in DIR/data, socket in DIR/sock, started; DIR must be
# the caller's temporary directory (it is handed to the server's user).
pgx_start() {
  local dir=$1
  chmod 755 "$dir"
  mkdir -p "$dir/sock"
  [ "$(id -u)" -eq 0 ] && chown -R postgres "$dir"
  pgx_as_server test -w "$dir" ||
    { echo "the server's user cannot reach $dir (a TMPDIR under a private directory?)" >&2; return 1; }
  pgx_as_server "$pgbin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; echo "initdb failed" >&2; return 1; }
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir/sock'
port = 5432
fsync = off
max_worker_processes = 8
max_parallel_workers = 4
EOF
  pgx_as_server "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
    { cat "$dir/server.log" >&2; echo "the server did not start" >&2; return 1; }
}

# pgx_stop DIR: stops the server if it runs.
pgx_stop() {
  [ -f "$1/data/postmaster.pid" ] || return 0
  pgx_as_server "$pgbin/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null 2>&1 || true
}

# pgx_psql DIR ARGS...: psql on the private server, as its superuser.
pgx_psql() {
  local dir=$1
  shift
  "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/sock" -p 5432 -U postgres "$@"
}
