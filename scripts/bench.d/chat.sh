#!/usr/bin/env bash
# Chat fan-out (issue 4): real websockets against a real uvicorn process. Targets: p99 <= 100 ms at
# 200 users / 10 rooms / 20 msg/s and p99 <= 250 ms at 1,000 / 50 / 100, nothing lost or duplicated.
set -euo pipefail
echo "## chat fan-out (in-memory layer)"
.venv/bin/hearth bench_chat --users 200 --rooms 10 --rate 20 --seconds 15
.venv/bin/hearth bench_chat --users 1000 --rooms 50 --rate 100 --seconds 15
if command -v redis-server >/dev/null; then
  echo "## chat fan-out (Redis layer)"
  .venv/bin/hearth bench_chat --users 200 --rooms 10 --rate 20 --seconds 15 --redis
  .venv/bin/hearth bench_chat --users 1000 --rooms 50 --rate 100 --seconds 15 --redis
fi
