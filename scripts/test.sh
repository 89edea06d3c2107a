#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it:
#   1. lint (ruff, mypy)
#   2. unit and integration tests on SQLite with the in-memory channel layer, with the whole process clock
#      a year ahead (libfaketime), so a test that only passes near the day it was written fails on that day
#   3. the same tests on PostgreSQL with the Redis channel layer (throwaway servers, started here), at
#      today's date: each database once, each side of a year once
#   4. the deploy stack (deploy/test-stack.sh): PostgreSQL, Redis, two web processes and a worker started
#      as deploy/systemd says, nginx with TLS as deploy/nginx says, checked through the proxy over HTTPS
#      (started first, in the background beside lint; its output is printed after the SQLite run); the browser
#      tests' demo copy and both databases' migrated test templates are made beside lint too
#   5. browser tests (Playwright driving Debian's Chromium), each against a server of its own, on a copy of
#      the demo organisation made in the background at the start (e2e/snapshot.py)
#   6. the slow tests (real server processes killed with -9, two processes sharing Redis), last, so the
#      rest of the suite gives its answer first
# Every run is in a random order (pytest-randomly; the seed is printed: `-p randomly -p "randomly_seed=N"`
# repeats one). Installs what it needs from Debian when missing. Prints one closing line with the totals.
set -euo pipefail
cd "$(dirname "$0")/.."
# One BLAS thread per process: the triage cross-validation (run when its committed record doesn't match) uses
# about 2.3x less CPU that way, with identical figures, and xdist already keeps both cores busy.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
SECONDS=0  # bash's own clock: `date` would read the faked clock in the next-year run
stamp() { printf '[%4ss] %s\n' "$SECONDS" "$*"; }

WORK=$(mktemp -d /tmp/hearth-test.XXXXXX)
chmod 755 "$WORK"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)

need=()
[ -n "$PGBIN" ] && [ -x "$PGBIN/postgres" ] || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
command -v chromium >/dev/null || need+=(chromium)
command -v nginx >/dev/null || need+=(nginx-light)
command -v openssl >/dev/null || need+=(openssl)
faketime_lib() { ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1; }
[ -n "$(faketime_lib)" ] || need+=(libfaketime)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Missing system packages: ${need[*]}. Install them (e.g. sudo apt-get install ${need[*]}) and run again." >&2
    exit 1
  fi
  stamp "installing ${need[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" fonts-dejavu-core >/dev/null
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PGPORT=$(free_port); REDISPORT=$(free_port)
PG_PID=""; REDIS_PID=""; DEPLOY_PID=""; SNAPSHOT_PID=""; TEMPLATES_PID=""
cleanup() {
  [ -n "$DEPLOY_PID" ] && kill "$DEPLOY_PID" 2>/dev/null || true
  [ -n "$SNAPSHOT_PID" ] && kill "$SNAPSHOT_PID" 2>/dev/null || true
  [ -n "$TEMPLATES_PID" ] && kill "$TEMPLATES_PID" 2>/dev/null || true
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null || true
  if [ -n "$PG_PID" ]; then
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || kill "$PG_PID" 2>/dev/null || true
    else "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true; fi
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$WORK"
as_pg "$PGBIN/initdb" -D "$WORK/pg" -A trust -U postgres --no-sync -E UTF8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $WORK -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
PG_PID=$(head -1 "$WORK/pg/postmaster.pid")
redis-server --bind 127.0.0.1 --port "$REDISPORT" --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
until .venv/bin/python -c "import redis,sys; redis.Redis(port=$REDISPORT).ping()" 2>/dev/null; do sleep 0.1; done
stamp "PostgreSQL (port $PGPORT) and Redis (port $REDISPORT) are up"
PG="postgres://postgres@127.0.0.1:$PGPORT/hearth"; REDIS="redis://127.0.0.1:$REDISPORT/0"

status=0
# The deploy stack mostly waits on processes starting, so it runs beside lint (one core each) and reports later.
stamp "deploy stack (in the background; its output follows the SQLite run)"
bash deploy/test-stack.sh >"$WORK/deploy.log" 2>&1 &
DEPLOY_PID=$!
# So does making the browser tests' demo organisation (migrate, seed, collect static: ~15 s of one core).
.venv/bin/python -m e2e.snapshot "$WORK/e2e-snapshot" >"$WORK/e2e-snapshot.log" 2>&1 &
SNAPSHOT_PID=$!
# And the migrated templates the test databases are copied from (hearth/core/testdb.py): SQLite's is usually
# kept from an earlier run, PostgreSQL's never is (its server is new); made here, no pytest worker waits for them.
{ .venv/bin/python -m hearth.core.testdb && DATABASE_URL="$PG" .venv/bin/python -m hearth.core.testdb; } \
  >"$WORK/templates.log" 2>&1 &
TEMPLATES_PID=$!
stamp "lint"
.venv/bin/ruff check . || status=1
.venv/bin/ruff format --check . || { echo "ruff format would change the files above: run .venv/bin/ruff format ." >&2; status=1; }
.venv/bin/mypy || status=1

run_pytest() {  # name, then pytest args
  local name=$1; shift
  stamp "pytest: $name"
  .venv/bin/pytest -p no:cacheprovider --junitxml="$WORK/junit-$name.xml" "$@" || status=1
}
# On SQLite a year and a month ahead: past any date written into a test, and across a daylight-saving change
# (libfaketime moves the whole process's clock, SQLite's own included); on PostgreSQL below at today's date. So
# the suite runs once on each database and once on each side of a year, and a test that only passes near the
# day it was written fails on the day it is written.
wait "$TEMPLATES_PID" || cat "$WORK/templates.log"  # the suites make them themselves if this failed
TEMPLATES_PID=""
LD_PRELOAD="$(faketime_lib)" FAKETIME="+400d" run_pytest sqlite-next-year -n 2 -m "not slow" hearth
stamp "deploy stack"
wait "$DEPLOY_PID" || status=1
DEPLOY_PID=""
cat "$WORK/deploy.log"
DATABASE_URL="$PG" REDIS_URL="$REDIS" run_pytest postgres -n 2 -m "not slow" hearth
wait "$SNAPSHOT_PID" || { cat "$WORK/e2e-snapshot.log"; status=1; }
SNAPSHOT_PID=""
HEARTH_E2E_SNAPSHOT="$WORK/e2e-snapshot" DJANGO_ALLOW_ASYNC_UNSAFE=true run_pytest browser -n 2 e2e
DATABASE_URL="$PG" REDIS_URL="$REDIS" run_pytest slow -m slow hearth

.venv/bin/python scripts/junit_total.py "$WORK"/junit-*.xml
stamp "done"
exit $status
