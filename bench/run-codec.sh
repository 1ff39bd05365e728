#!/bin/sh
# Builds bench/codec_bench, runs it and prints its Markdown section of bench/RESULTS.md.
# Usage (from the build directory, as `make bench` does): run-codec.sh SRCDIR [ROUNDS]
set -eu
src=$1; rounds=${2:-${BENCH_ROUNDS:-1000}}
make=${MAKE:-make}

missing=""
for p in cluster-glue-dev libglib2.0-dev libplumb2-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "bench: missing Debian packages:$missing (run as root, or install them)" >&2; exit 1
  fi
  echo "bench: installing Debian packages:$missing" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2
fi

$make bench/codec_bench >&2
table=$(mktemp); trap 'rm -f "$table"' EXIT
./bench/codec_bench "$src" "$rounds" > "$table"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
sha_ni=no; grep -qw sha_ni /proc/cpuinfo && sha_ni=yes
{
  echo "## Codec: hbd wire codec vs cluster-glue libplumb (bench/run-codec.sh)"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) CPUs, ${cpu:-unknown CPU} (SHA instructions: $sha_ni); $(uname -sr)"
  echo "- compiler: $(${CXX:-g++} --version | head -1), flags as configured (\`-O2 -g\` by default)"
  echo "- libplumb: cluster-glue $(dpkg-query -W -f='${Version}' libplumb2), OpenSSL $(pkg-config --modversion libcrypto)"
  echo "- input: the t=status UDP packets of test/vectors/hb-bcast-{crc,md5,sha1}.pcap (real heartbeat 3.0.6 netstring packets), one warm-up pass, then ROUNDS passes timed three times and the fastest kept; single thread"
  echo
  cat "$table"
  echo
  echo "Notes:"
  echo "- libplumb computes no digest itself: heartbeat passes it a callback"
  echo "  (\`cl_set_authentication_computation_method\`). The bench gives it one built on hbd's"
  echo "  \`digest_hex()\`, so both columns use the same OpenSSL HMAC/CRC code and the difference is the"
  echo "  message codec (parsing, field storage, rendering)."
  echo "- The hbd round trip re-signs the inner \`auth\` field (one extra digest per message), as 3.0.6 does"
  echo "  when it sends; libplumb's \`msg2wirefmt\` copies the field it parsed. Both rows check that the"
  echo "  output equals the captured bytes; \"failures\" counts messages that were rejected or differed."
  echo "- With SHA instructions in the CPU, HMAC-SHA1 can beat HMAC-MD5 and even the byte-wise crc."
  echo "- The machine is shared with other work (other builds ran at the same time): treat differences"
  echo "  under ~20% as noise."
}
