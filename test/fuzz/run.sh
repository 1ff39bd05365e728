#!/bin/sh
# Runs every fuzz target for SECONDS each, seeded from test/fuzz/seeds/<target>/.
# Usage: run.sh SRCDIR OUTDIR SECONDS
set -eu
src=$1; out=$2; secs=$3
sh "$src/test/fuzz/build.sh" "$src" "$out"
status=0
for bin in "$out"/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  work="$out/corpus-$name"; mkdir -p "$work"
  seeds="$src/test/fuzz/seeds/$name"; [ -d "$seeds" ] || seeds=""
  echo "fuzzing $name for ${secs}s"
  if ! "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=1024 -print_final_stats=0 \
       "$work" $seeds > "$out/$name.log" 2>&1; then
    echo "FAIL: $name found a crash (see $out/$name.log):"; tail -40 "$out/$name.log"; status=1
  fi
done
exit $status
