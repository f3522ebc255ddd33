#!/usr/bin/env bash
# Fetches Debian bookworm arm64 artefacts with `apt-get download` + `dpkg -x`
# (never `apt-get install` of an arm64 package: on amd64 that removes gcc, see
# shared/reference/platform-facts.md) and caches them between runs.
#
#   scripts/debian-arm64-fetch.sh WHAT...     WHAT: kernel headers busybox libfdt
#
# Prints one KEY=VALUE line per artefact on stdout (nothing else), e.g.
#   HV_KABI=6.1.0-50-arm64
#   HV_KERNEL_IMAGE=/root/.cache/hvcore/debian-arm64/6.1.0-50-arm64/image/boot/vmlinuz-6.1.0-50-arm64
#   HV_KERNEL_HEADERS=.../headers/usr/src/linux-headers-6.1.0-50-arm64   (ready for M= builds)
#   HV_BUSYBOX=.../busybox/bin/busybox                                    (static aarch64)
#   HV_LIBFDT_A=.../libfdt/usr/lib/aarch64-linux-gnu/libfdt.a
#   HV_LIBFDT_INCLUDE=.../libfdt/usr/include
# Exits non-zero with a clear message on stderr when the archive cannot be
# reached and nothing is cached. Cache: $HV_CACHE_DIR, default
# ${XDG_CACHE_HOME:-$HOME/.cache}/hvcore/debian-arm64. Concurrent callers are
# serialized with a lock on the cache directory.
set -euo pipefail

cache=${HV_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hvcore/debian-arm64}
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

die() {
  echo "debian-arm64-fetch: $*" >&2
  exit 1
}

[ $# -gt 0 ] || die "usage: $0 kernel|headers|busybox|libfdt ..."

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  die "arm64 is not a dpkg foreign architecture: run scripts/bootstrap.sh first"
fi

# download PKG DEST: fetch PKG's .deb into $cache/debs and extract it into DEST
# (once; a marker file per package records success; several packages may
# share one DEST).
download() {
  local pkg=$1 dest=$2
  local marker="$dest/.extracted-${pkg%%:*}"
  [ -f "$marker" ] && return 0
  mkdir -p "$cache/debs"
  (cd "$cache/debs" && apt-get download -q "$pkg" >/dev/null 2>"$cache/debs/.err") ||
    die "cannot download $pkg from the Debian archive ($(tail -1 "$cache/debs/.err"))"
  local deb
  deb=$(ls -t "$cache/debs/${pkg%%:*}"_*.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || die "apt-get download $pkg left no .deb"
  mkdir -p "$dest"
  dpkg -x "$deb" "$dest"
  touch "$marker"
}

# The kernel ABI of the current bookworm arm64 kernel (6.1.0-NN-arm64), from
# the metapackage's dependency; cached so an offline run reuses the last one.
resolve_kabi() {
  local kabi=""
  if [ -n "${HV_KABI:-}" ]; then
    echo "$HV_KABI"
    return
  fi
  kabi=$(apt-cache show --no-all-versions linux-headers-arm64:arm64 2>/dev/null |
    sed -n 's/^Depends:.*linux-headers-\(6[^ ,]*-arm64\).*/\1/p' | head -1 || true)
  if [ -z "$kabi" ] && [ -f "$cache/kabi" ]; then
    kabi=$(cat "$cache/kabi")
  fi
  [ -n "$kabi" ] || die "cannot resolve the arm64 kernel ABI (apt-get update, network?)"
  echo "$kabi" >"$cache/kabi"
  echo "$kabi"
}

kabi=""
for what in "$@"; do
  case $what in
    kernel)
      [ -n "$kabi" ] || kabi=$(resolve_kabi)
      download "linux-image-$kabi-unsigned:arm64" "$cache/$kabi/image"
      img="$cache/$kabi/image/boot/vmlinuz-$kabi"
      [ -f "$img" ] || die "no $img in linux-image-$kabi-unsigned"
      echo "HV_KABI=$kabi"
      echo "HV_KERNEL_IMAGE=$img"
      ;;
    headers)
      [ -n "$kabi" ] || kabi=$(resolve_kabi)
      common=${kabi%-arm64}-common
      download "linux-headers-$kabi:arm64" "$cache/$kabi/headers"
      download "linux-headers-$common" "$cache/$kabi/headers"
      download "linux-kbuild-6.1" "$cache/$kabi/headers"
      kdir="$cache/$kabi/headers/usr/src/linux-headers-$kabi"
      [ -f "$kdir/Makefile" ] || die "no $kdir/Makefile"
      # The arm64 tree's Makefile includes the -common tree by an absolute
      # path (/usr/src/...): point it at the extracted copy. Idempotent (the
      # whole include line is rewritten, whatever an earlier run left).
      sed -i "1,5s|^include .*/usr/src/linux-headers-$common/|include $cache/$kabi/headers/usr/src/linux-headers-$common/|" \
        "$kdir/Makefile"
      # scripts/ and tools/ are symlinks into /usr/lib/linux-kbuild-6.1.
      for link in "$kdir/scripts" "$kdir/tools"; do
        if [ -L "$link" ]; then
          target=$(readlink "$link")
          case $target in
            /*) ln -sfn "$cache/$kabi/headers$target" "$link" ;;
          esac
        fi
      done
      echo "HV_KABI=$kabi"
      echo "HV_KERNEL_HEADERS=$kdir"
      ;;
    busybox)
      download "busybox-static:arm64" "$cache/busybox"
      echo "HV_BUSYBOX=$cache/busybox/bin/busybox"
      ;;
    libfdt)
      download "libfdt-dev:arm64" "$cache/libfdt"
      echo "HV_LIBFDT_A=$cache/libfdt/usr/lib/aarch64-linux-gnu/libfdt.a"
      echo "HV_LIBFDT_INCLUDE=$cache/libfdt/usr/include"
      ;;
    *) die "unknown artefact '$what' (kernel headers busybox libfdt)" ;;
  esac
done
