#!/usr/bin/env bash
# `make bench`: every benchmark, figures printed and kept in .bench/results-<date>.txt.
# Benchmarks are measurements, not pass/fail tests; targets are in the issues and the notes.
# BENCH_ONLY=chat (a name in scripts/bench.d/) runs just that one: `make bench BENCH_ONLY=chat`.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .bench
out=".bench/results-$(date +%Y%m%d-%H%M%S).txt"
export HEARTH_DATA_DIR="${HEARTH_DATA_DIR:-$(mktemp -d /tmp/hearth-bench.XXXXXX)}"
{
  echo "# Hearth benchmarks, $(date -Iseconds), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ -z "${BENCH_ONLY:-}" ]; then
    .venv/bin/hearth bench_triage
    .venv/bin/hearth simulate
  fi
  for extra in scripts/bench.d/${BENCH_ONLY:-*}.sh; do
    [ -e "$extra" ] && bash "$extra"
  done
  echo "# done $(date -Iseconds), load average $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out"
echo "Saved to $out"
