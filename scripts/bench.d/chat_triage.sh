#!/usr/bin/env bash
# The latency triage adds to posting a chat message (SQLite, durable commits).
set -euo pipefail
db="$(mktemp -d /tmp/hearth-bench-ct.XXXXXX)"
export HEARTH_DATA_DIR="$db" DATABASE_URL="sqlite:///$db/bench.sqlite3"
.venv/bin/hearth migrate --no-input -v 0
.venv/bin/hearth bench_chat_triage
rm -rf "$db"
