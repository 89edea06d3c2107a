#!/usr/bin/env bash
# Feed page server time with the demo organisation scaled to 5,000 members and 200,000 posts.
set -euo pipefail
db="$(mktemp -d /tmp/hearth-bench-feed.XXXXXX)"
export HEARTH_DATA_DIR="$db" DATABASE_URL="sqlite:///$db/bench.sqlite3"
.venv/bin/hearth migrate --no-input -v 0
start=$(date +%s)
.venv/bin/hearth seed_demo --scale 5000:200000 >/dev/null
echo "feed: seeded 5,000 members and 200,000 posts in $(( $(date +%s) - start )) s"
.venv/bin/hearth bench_feed
rm -rf "$db"
