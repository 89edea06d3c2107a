#!/usr/bin/env bash
# Run one command with throwaway PostgreSQL and Redis servers (the same way `make test` starts them), e.g.
#   bash scripts/with-services.sh .venv/bin/pytest -p no:cacheprovider -q hearth/chat
# The command sees DATABASE_URL and REDIS_URL; both servers and their data are gone when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d /tmp/hearth-services.XXXXXX)
chmod 755 "$WORK"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PGBIN" ] || ! command -v redis-server >/dev/null; then
  echo "PostgreSQL and Redis are needed: run 'make test' once (it installs them) or apt-get install postgresql redis-server." >&2
  exit 1
fi
free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PGPORT=$(free_port); REDISPORT=$(free_port)
REDIS_PID=""
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null || true
  as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres "$WORK"
as_pg "$PGBIN/initdb" -D "$WORK/pg" -A trust -U postgres --no-sync -E UTF8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $WORK -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
redis-server --bind 127.0.0.1 --port "$REDISPORT" --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
until .venv/bin/python -c "import redis; redis.Redis(port=$REDISPORT).ping()" 2>/dev/null; do sleep 0.1; done
export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/hearth" REDIS_URL="redis://127.0.0.1:$REDISPORT/0"
status=0
"$@" || status=$?
exit $status
