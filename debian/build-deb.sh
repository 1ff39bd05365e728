#!/bin/sh
# make deb: builds hbd's Debian package from a copy of the source tree's
# tracked files (committed or staged, with their working-tree contents), so
# the build tree is not disturbed, and puts hbd_VERSION_ARCH.deb in OUTDIR.
#   build-deb.sh SRCDIR OUTDIR
# Installs the build dependencies it lacks (scripts/deps.sh deb: Debian 12's
# debhelper, dpkg-dev, fakeroot and hbd's libraries, --no-install-recommends).
set -eu
srcdir=$(cd "$1" && pwd)
outdir=$(cd "$2" && pwd)

sh "$srcdir/scripts/deps.sh" deb

work=$(mktemp -d "${TMPDIR:-/tmp}/hbd-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
version=$(dpkg-parsechangelog -l "$srcdir/debian/changelog" -S Version)
tree=$work/hbd-$version
mkdir "$tree"
if git -C "$srcdir" rev-parse --git-dir >/dev/null 2>&1; then
  git -C "$srcdir" ls-files -z | (cd "$srcdir" && tar --null -T - --ignore-failed-read -cf -) |
    tar -C "$tree" -xf -
else
  echo "hbd: $srcdir is not a git checkout: make deb copies the tracked files" >&2
  exit 1
fi

# Two cores: build in parallel, and leave the tests to make check/check-deb.
: "${DEB_BUILD_OPTIONS:=nocheck noddebs parallel=2}"
export DEB_BUILD_OPTIONS
echo "hbd: building the package in $tree (DEB_BUILD_OPTIONS=$DEB_BUILD_OPTIONS)"
(cd "$tree" && dpkg-buildpackage -us -uc -b)
for f in "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes; do
  [ -e "$f" ] && cp "$f" "$outdir/"
done
ls "$outdir"/hbd_"$version"_*.deb
