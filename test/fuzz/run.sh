#!/bin/sh
# Runs every fuzz target for SECONDS each, seeded from test/fuzz/seeds/<target>/.
# Usage: run.sh SRCDIR OUTDIR SECONDS
# FUZZ_CORPUS=DIR: grow and keep each target's corpus in DIR/<target>
# (minimised with -merge=1 after the run), instead of a scratch one in OUTDIR.
set -eu
src=$1; out=$2; secs=$3
sh "$src/test/fuzz/build.sh" "$src" "$out"
status=0
for bin in "$out"/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  work="$out/corpus-$name"
  [ -n "${FUZZ_CORPUS:-}" ] && work="$FUZZ_CORPUS/$name"
  mkdir -p "$work"
  seeds="$src/test/fuzz/seeds/$name"; [ -d "$seeds" ] || seeds=""
  echo "fuzzing $name for ${secs}s"
  if ! "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=1024 -print_final_stats=0 \
       "$work" $seeds > "$out/$name.log" 2>&1; then
    echo "FAIL: $name found a crash (see $out/$name.log):"; tail -40 "$out/$name.log"; status=1
  fi
  if [ -n "${FUZZ_CORPUS:-}" ]; then  # keep only inputs that add coverage
    rm -rf "$work.min"; mkdir -p "$work.min"
    "$bin" -merge=1 -rss_limit_mb=1024 "$work.min" "$work" > "$out/$name.merge.log" 2>&1 &&
      rm -rf "$work" && mv "$work.min" "$work"
    echo "$name: $(ls "$work" | wc -l) inputs kept in $work"
  fi
done
exit $status
