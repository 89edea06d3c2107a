#!/usr/bin/env bash
# Care queue (issue 8): cue computation and the queue page for an organisation of 5,000 members with a
# year of activity (members and posts from `seed_demo --scale`, care activity bulk-created by bench_care).
set -euo pipefail
data="$(mktemp -d /tmp/hearth-bench-care.XXXXXX)"
trap 'rm -rf "$data"' EXIT
export HEARTH_DATA_DIR="$data" DATABASE_URL="sqlite:///$data/care.sqlite3"
echo "## care queue (5,000 members, a year of activity)"
.venv/bin/hearth migrate --no-input -v 0
.venv/bin/hearth seed_demo --scale 5000:200000 >/dev/null
.venv/bin/hearth bench_care
