# Sourced by the test and load scripts: a private PostgreSQL cluster on 127.0.0.1:$pg_port for
# this run. `start_pg` sets $pg_url; the caller stops the cluster with `stop_pg` (also in its trap).
pg_port=${pg_port:-55432}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_dir=""
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
stop_pg() {
  [ -n "$pg_dir" ] || return 0
  as_postgres "$pg_bin/pg_ctl -D $pg_dir/data -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
  pg_dir=""
}
start_pg() {
  pg_dir=$(mktemp -d /tmp/tandem-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir"
  as_postgres "$pg_bin/initdb -D $pg_dir/data -U tandem --auth=trust -E UTF8" >/dev/null
  as_postgres "$pg_bin/pg_ctl -D $pg_dir/data -o '-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 ${pg_options:-}' -l $pg_dir/log -w start" >/dev/null
  pg_url="postgres://tandem@127.0.0.1:$pg_port/postgres"
}
