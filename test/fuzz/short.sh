#!/bin/sh
# `make check` part: every fuzz target for a few seconds.
here=$(cd "$(dirname "$0")/../.." && pwd)
exec sh "$here/test/fuzz/run.sh" "$here" "$(pwd)/fuzz-build" "${FUZZ_SHORT_SECONDS:-15}"
