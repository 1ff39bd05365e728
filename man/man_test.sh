#!/bin/sh
# The manual pages stay installable and true:
# - each renders with man-db (or groff) without a single warning;
# - each is installed (listed in man/Makefile.inc);
# - each option a tool's usage text names is in that tool's page, and each
#   ha.cf directive the parser knows is in ha.cf(5);
# - SEE ALSO names only pages that exist.
# Run from the build directory (make check); $srcdir is the source tree.
set -u
srcdir=${srcdir:-.}
mandir=$srcdir/man
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

pages=$(ls "$mandir"/*.[158] 2>/dev/null)
[ -n "$pages" ] || { echo "FAIL: no pages in $mandir"; exit 1; }

# Renders PAGE as man-db shows it at 80 columns, and with groff's every
# warning (-ww: man-db enables only some by default); prints what they said.
render_warnings() {
  if command -v man >/dev/null 2>&1; then
    # shellcheck disable=SC2069 # stderr is the result, the page goes away
    LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=all -E UTF-8 -l "$1" 2>&1 >/dev/null ||
      echo "man exited with status $?"
  fi
  if command -v groff >/dev/null 2>&1; then
    groff -man -ww -z -Tutf8 "$1" 2>&1 || echo "groff exited with status $?"
  fi
}
if ! command -v man >/dev/null 2>&1 && ! command -v groff >/dev/null 2>&1; then
  echo "SKIP: neither man (man-db) nor groff is installed (scripts/deps.sh test installs them)"
  exit 77
fi

# The page's text with roff's escapes for minus and fonts taken out, so an
# option written \-\-json or \fB\-v\fP reads as --json, -v.
plain() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' -e 's/\\(..//g' "$1"; }

for page in $pages; do
  name=${page##*/}
  said=$(render_warnings "$page")
  [ -z "$said" ] || fail "$name does not render cleanly:
$said"
  grep -q "man/$name" "$mandir/Makefile.inc" || fail "$name is not installed (add it to dist_man_MANS)"
  # SEE ALSO: our pages and logrotate(8) only (one word each).
  # shellcheck disable=SC2013
  for ref in $(sed -n '/^\.SH SEE ALSO/,$p' "$page" | sed -n 's/^\.BR \([^ ]*\) (\([158]\)).*/\1.\2/p'); do
    [ "$ref" = logrotate.8 ] || [ -f "$mandir/$ref" ] || fail "$name refers to $ref, which does not exist"
  done
done

# Each word of WORDS must appear in PAGE as a word of its own.
expect_words() {  # expect_words PAGE WHAT WORDS...
  page=$1 what=$2
  shift 2
  [ -z "${MAN_TEST_VERBOSE:-}" ] || echo "$page, each $what: $*"
  text=$(plain "$mandir/$page")
  for w in "$@"; do
    printf '%s\n' "$text" | grep -q -e "\(^\|[^A-Za-z0-9_-]\)$w\($\|[^A-Za-z0-9_-]\)" ||
      fail "$page does not mention $what $w"
  done
}

# The usage text of a built tool (its -h/--help or error output, both streams).
usage_of() {  # usage_of PROGRAM ARG
  if [ ! -x "./$1" ]; then
    echo "SKIP: ./$1 is not built: its options are not checked" >&2
    return 1
  fi
  "./$1" "$2" 2>&1
  return 0
}
# -x and --word tokens of a text.
options_in() { printf '%s\n' "$1" | grep -o -e '--[a-z][a-z-]*' -e '\(^\|[[ |	]\)-[A-Za-z]\b' | sed 's/^[[ |	]//' | sort -u; }

# hbd: "Usage: hbd [-dDkMrRsvWlVft] [-c config-dir] [-C ...]": every letter.
if usage=$(usage_of hbd -h); then
  letters=$(printf '%s\n' "$usage" | sed -n 's/^Usage: [^[]*\[-\([A-Za-z]*\)\].*/\1/p' | sed 's/./-& /g')
  [ -n "$letters" ] || fail "hbd -h prints no option letters: $usage"
  # shellcheck disable=SC2046,SC2086 # one word per option
  expect_words hbd.8 "option" $letters $(options_in "$usage")
fi
# hbctl: its sub-commands ("hbctl WORD") and options.
if usage=$(usage_of hbctl --help); then
  subs=$(printf '%s\n' "$usage" | grep -o 'hbctl [a-z][a-z-]*' | sed 's/^hbctl //' | sort -u)
  # shellcheck disable=SC2046,SC2086
  expect_words hbctl.8 "sub-command or option" $subs $(options_in "$usage")
fi
# cl_status: sub-commands (lines that start with a word) and options.
if usage=$(usage_of cl_status -h); then
  subs=$(printf '%s\n' "$usage" | sed -n '/^Sub-commands:/,$p' | sed -n 's/^\([a-z][a-z]*\)\( .*\)\{0,1\}$/\1/p')
  [ -n "$subs" ] || fail "cl_status -h lists no sub-commands"
  # shellcheck disable=SC2046,SC2086
  expect_words cl_status.1 "sub-command or option" $subs $(options_in "$usage")
fi
# hb_standby, hb_takeover: "[all|foreign|local|failback]".
for tool in hb_standby hb_takeover; do
  if usage=$(usage_of $tool --help); then
    words=$(printf '%s\n' "$usage" | sed -n 's/.*\[\([a-z|]*\)\].*/\1/p' | tr '|' ' ')
    [ -n "$words" ] || fail "$tool --help names no argument words"
    # shellcheck disable=SC2086
    expect_words $tool.1 "argument" $words --help
  fi
done

# ha.cf(5): every directive of the parser's tables, and the udp alias.
config=$srcdir/heartbeat/config
directives=$( (sed -n 's/^ *{"\([a-z0-9_]*\)", on_.*/\1/p' "$config/hacf_options.cc"
  grep -o '{"[a-z0-9_]*", *on_[a-z0-9_]*}' "$config/hacf_media.cc" | sed 's/{"\([a-z0-9_]*\)".*/\1/'
  sed -n 's/.*if (name == "\([a-z0-9_]*\)") return on_.*/\1/p' "$config/hacf_media.cc") | sort -u)
[ "$(printf '%s\n' "$directives" | wc -l)" -gt 50 ] ||
  fail "found only $(printf '%s\n' "$directives" | wc -l) directives in $config: the parser tables moved?"
# shellcheck disable=SC2086
expect_words ha.cf.5 "directive" $directives udp

[ "$failures" -eq 0 ] && echo "man: $(echo "$pages" | wc -w) pages render cleanly and name every option and directive"
[ "$failures" -eq 0 ]
