#!/usr/bin/env bash
# Start the deploy/ stack from real processes and check it, as far as a machine without a container
# engine allows: PostgreSQL and Redis (throwaway), `hearth migrate` and `collectstatic`, two web processes
# and a worker started with the ExecStart lines of deploy/systemd/, and nginx running
# deploy/nginx/hearth.conf with a self-signed certificate. Then, through the proxy over HTTPS:
# /readyz answers 200 with every check passing (database, Redis channel layer, worker heartbeat, ...),
# the home page renders, plain HTTP redirects to HTTPS, both web processes answer, a member signs in
# (secure cookies, CSRF over HTTPS), and their websocket upgrades through the proxy and stays open.
# Used by scripts/test.sh (its "deploy stack" step) and `make deploy-test`. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
T0=$(date +%s%N)
stamp() { printf '  [%5.1fs] %s\n' "$(( ($(date +%s%N) - T0) / 1000000 ))e-3" "$*"; }

PGBIN=${HEARTH_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)}
for tool in "$PGBIN/initdb" "$(command -v redis-server || true)" "$(command -v nginx || true)" "$(command -v openssl || true)"; do
  [ -n "$tool" ] && [ -x "$tool" ] || { echo "deploy stack: needs PostgreSQL, redis-server, nginx and openssl (apt-get install postgresql redis-server nginx-light openssl)" >&2; exit 1; }
done
PY=$REPO/.venv/bin/python
WORK=$(mktemp -d /tmp/hearth-stack.XXXXXX)
chmod 755 "$WORK"
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PGPORT=$(free_port); REDISPORT=$(free_port); WEB1=$(free_port); WEB2=$(free_port); HTTP=$(free_port); HTTPS=$(free_port)
HOST=care.example.org
PIDS=()
ok=0

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  [ -f "$WORK/pg/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  if [ "$ok" != 1 ]; then
    for log in "$WORK"/*.log; do [ -s "$log" ] && { echo "--- $(basename "$log") (last lines)"; tail -n 15 "$log"; }; done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- PostgreSQL and Redis ------------------------------------------------------------------------------
[ "$(id -u)" = 0 ] && chown postgres "$WORK"
as_pg "$PGBIN/initdb" -D "$WORK/pg" -A trust -U postgres --no-sync -E UTF8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/postgres.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $WORK -c fsync=off -c synchronous_commit=off" start >/dev/null
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres hearth
redis-server --bind 127.0.0.1 --port "$REDISPORT" --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
stamp "PostgreSQL and Redis are up"

# --- The environment every unit reads from /etc/hearth/hearth.env ----------------------------------------
mkdir -p "$WORK/data"
export HEARTH_MODE=production
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
HEARTH_FIELD_KEY=$("$PY" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
HEARTH_METRICS_TOKEN=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(24))')
export SECRET_KEY HEARTH_FIELD_KEY HEARTH_METRICS_TOKEN
export ALLOWED_HOSTS=$HOST CSRF_TRUSTED_ORIGINS="https://$HOST:$HTTPS" HEARTH_BASE_URL="https://$HOST:$HTTPS"
export HEARTH_DATA_DIR=$WORK/data DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/hearth"
export REDIS_URL="redis://127.0.0.1:$REDISPORT/0" HEARTH_REDIS_PREFIX="hearth-stack-$$" HEARTH_LOG_FORMAT=json
export PYTHONDONTWRITEBYTECODE=1

# Database changes and static files (independent: run side by side), then the deploy checks.
"$REPO/.venv/bin/hearth" migrate --no-input -v 0 >"$WORK/migrate.log" 2>&1 &
migrate=$!
"$REPO/.venv/bin/hearth" collectstatic --no-input -v 0 >"$WORK/collectstatic.log" 2>&1 &
collect=$!
wait "$migrate"; wait "$collect"
stamp "migrated and collected static files"
# A member to sign in as (made while the processes below start).
"$REPO/.venv/bin/hearth" shell -c "from hearth.members.models import Member; Member.objects.create_user('stack@example.org', 'stack-test-password-42', display_name='Stack')" >"$WORK/member.log" 2>&1 &
make_member=$!

# --- Web processes and the worker, as deploy/systemd runs them ---------------------------------------
exec_start() { sed -n 's/^ExecStart=//p' "deploy/systemd/$1" | sed "s|/opt/hearth/|$REPO/|g; s|%i|${2:-}|g"; }
read -ra web1 <<<"$(exec_start hearth-web@.service "$WEB1")"
read -ra web2 <<<"$(exec_start hearth-web@.service "$WEB2")"
read -ra worker <<<"$(exec_start hearth-worker.service)"
"${web1[@]}" >"$WORK/web1.log" 2>&1 & PIDS+=($!)
"${web2[@]}" >"$WORK/web2.log" 2>&1 & PIDS+=($!)
"${worker[@]}" >"$WORK/worker.log" 2>&1 & PIDS+=($!)

# --- nginx with deploy/nginx/hearth.conf, a self-signed certificate and spare ports --------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=$HOST" \
  -addext "subjectAltName=DNS:$HOST" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
sed -e "s|127.0.0.1:8001|127.0.0.1:$WEB1|; s|127.0.0.1:8002|127.0.0.1:$WEB2|" \
    -e "s|listen 80;|listen 127.0.0.1:$HTTP;|; s|listen 443 ssl|listen 127.0.0.1:$HTTPS ssl|; /listen \[::\]/d" \
    -e "s|/etc/letsencrypt/live/$HOST/fullchain.pem|$WORK/cert.pem|; s|/etc/letsencrypt/live/$HOST/privkey.pem|$WORK/key.pem|" \
    -e "s|return 301 https://\$host\$request_uri;|return 301 https://\$host:$HTTPS\$request_uri;|" \
    deploy/nginx/hearth.conf >"$WORK/hearth.conf"
mkdir -p "$WORK/nginx-tmp" && chmod 777 "$WORK/nginx-tmp"
cat >"$WORK/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx.log warn;
events { worker_connections 256; }
http {
  client_body_temp_path $WORK/nginx-tmp/body;
  proxy_temp_path $WORK/nginx-tmp/proxy;
  include $WORK/hearth.conf;
}
EOF
nginx -t -q -c "$WORK/nginx.conf" -p "$WORK" 2>>"$WORK/nginx.log"
nginx -c "$WORK/nginx.conf" -p "$WORK" 2>>"$WORK/nginx.log" & PIDS+=($!)

# --- Checks through the proxy --------------------------------------------------------------------------
curl_https() { curl -sS --max-time 10 --cacert "$WORK/cert.pem" --resolve "$HOST:$HTTPS:127.0.0.1" "$@"; }
ready=""
for _ in $(seq 120); do
  code=$(curl_https -o "$WORK/readyz.json" -w '%{http_code}' "https://$HOST:$HTTPS/readyz" 2>/dev/null || true)
  [ "$code" = 200 ] && { ready=1; break; }
  sleep 0.5
done
if [ -z "$ready" ]; then
  echo "deploy stack: /readyz never answered 200 through the proxy (last: ${code:-none})" >&2
  curl_https -H "Authorization: Bearer $HEARTH_METRICS_TOKEN" "https://$HOST:$HTTPS/readyz" >&2 || true
  exit 1
fi
stamp "/readyz answers 200 through nginx over HTTPS: $(tr -d ' \n' <"$WORK/readyz.json")"

fail() { echo "deploy stack: $*" >&2; exit 1; }
curl_https -H "Authorization: Bearer $HEARTH_METRICS_TOKEN" "https://$HOST:$HTTPS/readyz" | "$PY" -c '
import json, sys
body = json.load(sys.stdin)
bad = {k: v for k, v in body["checks"].items() if not v["ok"]}
assert body["status"] == "ok" and not bad and {"worker", "channel_layer"} <= set(body["checks"]), body
' || fail "a readiness check failed"
home=$(curl_https -o /dev/null -w '%{http_code}' "https://$HOST:$HTTPS/")
[ "$home" = 200 ] || fail "the home page answered $home through the proxy"
redirect=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' --resolve "$HOST:$HTTP:127.0.0.1" "http://$HOST:$HTTP/help/")
[ "$redirect" = "301 https://$HOST:$HTTPS/help/" ] || fail "plain HTTP answered '$redirect', not a redirect to HTTPS"
for port in "$WEB1" "$WEB2"; do
  code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Host: $HOST" "http://127.0.0.1:$port/healthz")
  [ "$code" = 200 ] || fail "the web process on port $port answered /healthz with $code"
done
curl_https -H "Authorization: Bearer $HEARTH_METRICS_TOKEN" "https://$HOST:$HTTPS/metrics" | grep -q '^hearth_ready{check="worker"} 1$' \
  || fail "/metrics through the proxy doesn't show a ready worker"
stamp "home page, HTTP redirect, both web processes and /metrics answer"

wait "$make_member" || fail "couldn't create a member to sign in as"
curl_https -c "$WORK/jar" -b "$WORK/jar" -o "$WORK/signin.html" "https://$HOST:$HTTPS/signin/"
csrf=$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' "$WORK/signin.html" | head -1 | sed 's/.*value="//; s/"$//')
signed_in=$(curl_https -c "$WORK/jar" -b "$WORK/jar" -o /dev/null -w '%{http_code}' -H "Referer: https://$HOST:$HTTPS/signin/" \
  --data-urlencode "csrfmiddlewaretoken=$csrf" --data-urlencode "email=stack@example.org" \
  --data-urlencode "password=stack-test-password-42" "https://$HOST:$HTTPS/signin/")
session=$(awk '$6 == "sessionid" {print $7}' "$WORK/jar")
[ "$signed_in" = 302 ] && [ -n "$session" ] || fail "signing in through the proxy answered $signed_in (no session)"
"$PY" - "$HOST" "$HTTPS" "$WORK/cert.pem" "$session" <<'EOF' || fail "the websocket didn't upgrade through the proxy"
import socket, ssl, sys
from websockets.sync.client import connect

host, port, cert, session = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
context = ssl.create_default_context(cafile=cert)
sock = socket.create_connection(("127.0.0.1", port), timeout=10)
headers = {"Origin": f"https://{host}:{port}", "Cookie": f"sessionid={session}"}
with connect(f"wss://{host}:{port}/ws/me/", sock=sock, ssl=context, server_hostname=host,
             additional_headers=headers, open_timeout=10) as ws:
    assert ws.response.status_code == 101, ws.response.status_code  # upgraded through nginx
    assert ws.ping().wait(5), "no pong"  # and the socket is alive end to end
EOF
stamp "a member signs in over HTTPS and their websocket upgrades through nginx"
ok=1
stamp "deploy stack passed"
