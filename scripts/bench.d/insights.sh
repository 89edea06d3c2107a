#!/usr/bin/env bash
# Insights dashboard server time with the demo organisation scaled to 5,000 members and a year of activity.
set -euo pipefail
db="$(mktemp -d /tmp/hearth-bench-insights.XXXXXX)"
export HEARTH_DATA_DIR="$db" DATABASE_URL="sqlite:///$db/bench.sqlite3"
.venv/bin/hearth migrate --no-input -v 0
start=$(date +%s)
.venv/bin/hearth seed_demo --scale 5000:200000 >/dev/null
echo "insights: seeded 5,000 members and 200,000 posts in $(( $(date +%s) - start )) s"
.venv/bin/hearth bench_insights
rm -rf "$db"
