#!/usr/bin/env bash
# Live chat (issues 4 and 21): real websockets against real uvicorn processes, counted per (message, receiver),
# with the load average beside every figure (results also in .bench/chat.jsonl). Targets (issue 21):
#   1,000 members / 50 rooms / 100 msg/s, one process: p99 <= 250 ms, 0 lost;
#   5,000 / 250 / 250 on this machine: p99 <= 250 ms, 0 lost, 5,000 sockets connected in <= 10 s;
#   at twice the highest passing rate: slow-down signals, p99 of what is accepted <= 1 s, 0 lost.
# CHAT_SECONDS (default 20) sets the sending time; CHAT_PROCESSES (default "2 3") the scale-out runs.
set -euo pipefail
secs="${CHAT_SECONDS:-20}"
bench() { .venv/bin/hearth bench_chat --seconds "$secs" "$@"; }
echo "## chat, one process (SQLite, in-memory layer)"
bench --users 1000 --rooms 50 --rate 100 --label "1000/50/100 x1"
bench --users 5000 --rooms 250 --rate 250 --label "5000/250/250 x1"
bench --users 5000 --rooms 250 --rate 500 --label "5000/250/500 x1 (2x)"
if command -v redis-server >/dev/null && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  for n in ${CHAT_PROCESSES:-2 3}; do
    echo "## chat, $n processes behind one address (PostgreSQL, Redis pub/sub layer)"
    bench --users 5000 --rooms 250 --rate 250 --processes "$n" --label "5000/250/250 x$n"
    bench --users 5000 --rooms 250 --rate 500 --processes "$n" --label "5000/250/500 x$n (2x)"
  done
else
  echo "## chat scale-out skipped: needs redis-server and PostgreSQL (make test installs them)"
fi
