#!/bin/sh
# Builds every libFuzzer target test/fuzz/fuzz_*.cc with clang, ASan and UBSan.
# Usage: build.sh SRCDIR OUTDIR
set -eu
src=$1; out=$2
mkdir -p "$out/obj"
CXX=${FUZZ_CXX:-clang++}
FLAGS="-std=c++17 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -I$src/heartbeat -I$src $(pkg-config --cflags libcrypto inih)"
LIBS="$(pkg-config --libs libcrypto inih)"
objs=""
for f in "$src"/heartbeat/wire/*.cc "$src"/heartbeat/config/*.cc "$src"/heartbeat/log/*.cc \
         "$src"/heartbeat/cluster/*.cc "$src"/serial/frame_reader.cc; do
  [ -e "$f" ] || continue
  case "$f" in *_test.cc) continue;; esac
  o="$out/obj/$(echo "$f" | sed "s|^$src/||; s|/|_|g; s|\.cc$|.o|")"
  if [ ! -e "$o" ] || [ "$f" -nt "$o" ]; then
    $CXX $FLAGS -fsanitize=fuzzer-no-link -c "$f" -o "$o"
  fi
  objs="$objs $o"
done
for t in "$src"/test/fuzz/fuzz_*.cc; do
  [ -e "$t" ] || continue
  name=$(basename "$t" .cc)
  $CXX $FLAGS -fsanitize=fuzzer "$t" $objs $LIBS -o "$out/$name"
  echo "built $out/$name"
done
