#!/usr/bin/env bash
# Benchmark: the full audit against the floor (read + hash + tokenize the same files, and
# write as many workbook rows and JSONL lines with the same writer settings), on generated
# dumps of 100 and 1,000 accounts x 50 users x 50 roles, at 1 and 2 threads, with peak RSS.
# Prints ratios; these machines are shared and noisy, so read ratios, not absolute times.
#
#   benches/run.sh            # both sizes, 3 runs each (median)
#   RUNS=5 SIZES="1000" benches/run.sh
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

# median of "seconds kbytes" lines: prints "median_seconds median_kbytes" (each column's median)
median() {
  local lines; lines=$(cat)
  local n; n=$(printf '%s\n' "$lines" | wc -l)
  local i=$(( (n + 1) / 2 ))
  local s; s=$(printf '%s\n' "$lines" | awk '{print $1}' | sort -n | sed -n "${i}p")
  local m; m=$(printf '%s\n' "$lines" | awk '{print $2}' | sort -n | sed -n "${i}p")
  echo "$s $m"
}

measure() { # command...: RUNS runs of /usr/bin/time, prints the median seconds and peak KB
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null 2>&1
    cat "$WORK/time.txt"
  done | median
}

printf '%-9s %-7s %10s %10s %8s %10s %10s\n' accounts threads floor_s audit_s ratio floor_MB audit_MB
declare -A RSS
for N in $SIZES; do
  DUMP="$WORK/dump-$N"
  [ -d "$DUMP" ] || "$GEN" --accounts "$N" --users 50 --roles 50 --seed 42 --out "$DUMP" >/dev/null
  "$BIN" audit "$DUMP" -o "$WORK/audit-$N.xlsx" --results "$WORK/audit-$N.jsonl" --quiet
  read -r ROWS COLS < <("$FLOOR" --count-rows "$WORK/audit-$N.xlsx")
  for T in 1 2; do
    read -r FS FK < <(measure "$FLOOR" "$DUMP" "$ROWS" "$COLS" "$WORK" "$T")
    read -r AS AK < <(measure "$BIN" audit "$DUMP" -o "$WORK/audit-$N.xlsx" --results "$WORK/audit-$N.jsonl" --threads "$T" --quiet)
    RATIO=$(awk -v a="$AS" -v f="$FS" 'BEGIN { printf "%.2f", a / f }')
    printf '%-9s %-7s %10s %10s %8s %10.0f %10.0f\n' "$N" "$T" "$FS" "$AS" "$RATIO" "$((FK / 1024))" "$((AK / 1024))"
    RSS[$N-$T]=$AK
    eval "T_${N}_${T}=$AS"
  done
  echo "  ($ROWS workbook rows, up to $COLS columns)"
done
for N in $SIZES; do
  a=$(eval echo "\$T_${N}_1"); b=$(eval echo "\$T_${N}_2")
  awk -v a="$a" -v b="$b" -v n="$N" 'BEGIN { printf "2-thread speedup at %s accounts: %.2fx\n", n, a / b }'
done
if [[ " $SIZES " == *" 100 "* && " $SIZES " == *" 1000 "* ]]; then
  awk -v a="${RSS[100-2]}" -v b="${RSS[1000-2]}" 'BEGIN { printf "peak RSS growth 100 -> 1000 accounts (2 threads): %.2fx\n", b / a }'
fi
