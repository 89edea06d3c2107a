#!/usr/bin/env bash
# `make bench`: every benchmark, figures printed and kept in .bench/results-<date>.txt.
# Benchmarks are measurements, not pass/fail tests; targets are in the issues and the notes.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .bench
out=".bench/results-$(date +%Y%m%d-%H%M%S).txt"
export HEARTH_DATA_DIR="${HEARTH_DATA_DIR:-$(mktemp -d /tmp/hearth-bench.XXXXXX)}"
{
  echo "# Hearth benchmarks, $(date -Iseconds), $(nproc) cores"
  .venv/bin/hearth bench_triage
  .venv/bin/hearth simulate
  for extra in scripts/bench.d/*.sh; do
    [ -e "$extra" ] && bash "$extra"
  done
} 2>&1 | tee "$out"
echo "Saved to $out"
