#!/usr/bin/env bash
# Benchmark: the full audit against the floor (read + hash + tokenize the same files on the
# same threads, then write a workbook of the same shape, sheet for sheet: rows, filled cells a
# row, characters a cell, with rust_xlsxwriter's fastest settings for it and its sheets
# compressed on the same threads, and text files of the same lines and bytes as the results and
# evidence files), on generated dumps of 100 and 1,000 accounts x 50 users x 50 roles, at 1 and
# 2 threads, with peak RSS. Each dump's organization
# account list names ten times its accounts (1,000 audited of 10,000 listed at the larger size),
# so the org-coverage rows of the accounts that sent nothing are part of every run.
#
# Floor and audit run in turn (floor, audit, floor, audit, ...) and the ratio is taken pair by
# pair, so a machine that slows down during the run moves both sides of a ratio alike; the
# printed figures are medians. These machines are shared and noisy: read the ratios, not the
# seconds.
#
#   benches/run.sh            # both sizes, 3 pairs each
#   RUNS=5 SIZES="1000" benches/run.sh
#
# The last line is a verdict on the patched rust_xlsxwriter (third_party/rust_xlsxwriter): the
# audit's peak RSS at the largest size, at either thread count, must stay under 64 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SIZES=${SIZES:-"100 1000"}
WORK=${WORK:-target/bench}
mkdir -p "$WORK"
cargo build --release --quiet --bin iam-evidence --example generate_dump --example floor
BIN=target/release/iam-evidence
GEN=target/release/examples/generate_dump
FLOOR=target/release/examples/floor

# The median of a column of numbers.
median() {
  sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# One timed run: prints "seconds peak_KB".
timed() {
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null 2>&1
  cat "$WORK/time.txt"
}

printf '%-9s %-7s %10s %10s %8s %10s %10s\n' accounts threads floor_s audit_s ratio floor_MB audit_MB
declare -A RSS SECONDS_AT RATIO_AT
for N in $SIZES; do
  DUMP="$WORK/dump-$N-listed-$((N * 10))"
  [ -d "$DUMP" ] || "$GEN" --accounts "$N" --listed "$((N * 10))" --users 50 --roles 50 --seed 42 \
    --out "$DUMP" >/dev/null
  "$BIN" audit "$DUMP" -o "$WORK/audit-$N.xlsx" --results "$WORK/audit-$N.jsonl" --quiet
  "$FLOOR" --shape "$WORK/audit-$N.xlsx" "$WORK/audit-$N.jsonl" \
    "$WORK/audit-$N.jsonl.evidence.jsonl" > "$WORK/shape-$N.txt"
  for T in 1 2; do
    : > "$WORK/pairs.txt"
    for _ in $(seq "$RUNS"); do
      read -r FS FK < <(timed "$FLOOR" "$DUMP" "$WORK/shape-$N.txt" "$WORK" "$T")
      read -r AS AK < <(timed "$BIN" audit "$DUMP" -o "$WORK/audit-$N.xlsx" \
        --results "$WORK/audit-$N.jsonl" --threads "$T" --quiet)
      echo "$FS $AS $(awk -v a="$AS" -v f="$FS" 'BEGIN { print a / f }') $FK $AK" >> "$WORK/pairs.txt"
    done
    col() { awk -v c="$1" '{ print $c }' "$WORK/pairs.txt" | median; }
    FS=$(col 1) AS=$(col 2) RATIO=$(col 3) FK=$(col 4) AK=$(col 5)
    printf '%-9s %-7s %10s %10s %8.2f %10.0f %10.0f\n' "$N" "$T" "$FS" "$AS" "$RATIO" \
      "$((FK / 1024))" "$((AK / 1024))"
    RSS[$N-$T]=$AK
    SECONDS_AT[$N-$T]=$AS
    RATIO_AT[$N-$T]=$RATIO
  done
  awk '$1 == "sheet" { rows += $2; sheets++ } $1 == "text" { bytes += $3 }
    END { printf "  (%d workbook rows over %d sheets, %.0f MB of results and evidence lines)\n",
      rows, sheets, bytes / 1e6 }' "$WORK/shape-$N.txt"
done
# Each figure against its goal, at the largest size: --threads 2 at least 1.4x faster than
# --threads 1 (the audit's own medians), the audit at two threads within 1.2x of the floor at
# two threads, and peak RSS within 1.3x from 100 to 1,000 accounts.
verdict() { awk -v v="$1" -v goal="$2" -v op="$3" 'BEGIN {
  met = (op == ">=") ? v >= goal : v <= goal; print (met ? "met" : "missed") }'; }
for N in $SIZES; do
  SPEEDUP=$(awk -v a="${SECONDS_AT[$N-1]}" -v b="${SECONDS_AT[$N-2]}" 'BEGIN { printf "%.2f", a / b }')
  echo "2-thread speedup at $N accounts: ${SPEEDUP}x (goal >= 1.4x: $(verdict "$SPEEDUP" 1.4 '>='))"
  RATIO2=$(awk -v r="${RATIO_AT[$N-2]}" 'BEGIN { printf "%.2f", r }')
  echo "audit / floor at 2 threads at $N accounts: ${RATIO2} (goal <= 1.2: $(verdict "$RATIO2" 1.2 '<='))"
done
if [[ " $SIZES " == *" 100 "* && " $SIZES " == *" 1000 "* ]]; then
  for T in 1 2; do
    GROWTH=$(awk -v a="${RSS[100-$T]}" -v b="${RSS[1000-$T]}" 'BEGIN { printf "%.2f", b / a }')
    echo "peak RSS growth 100 -> 1000 accounts ($T thread(s)): ${GROWTH}x (goal <= 1.3x: $(verdict "$GROWTH" 1.3 '<='))"
  done
fi
# The patched writer keeps no per-cell table state: memory stays flat whatever the dump's size.
LARGEST=$(printf '%s\n' $SIZES | sort -n | tail -n 1)
PEAK_KB=$(printf '%s\n' "${RSS[$LARGEST-1]}" "${RSS[$LARGEST-2]}" | sort -n | tail -n 1)
LIMIT_KB=$((64 * 1024))
if (( PEAK_KB < LIMIT_KB )); then VERDICT=OK; else VERDICT=REGRESSED; fi
echo "patched writer memory: $VERDICT (peak RSS $((PEAK_KB / 1024)) MiB at $LARGEST accounts, limit 64 MiB)"
