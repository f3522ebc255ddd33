#!/usr/bin/env bash
# Fetches Debian arm64 artefacts with `apt-get download` + `dpkg -x`
# (never `apt-get install` of an arm64 package: on amd64 that removes gcc, see
# shared/reference/platform-facts.md) and caches them between runs.
#
#   scripts/debian-arm64-fetch.sh WHAT...
#     WHAT: kernel headers busybox libfdt dtbs-mediatek
# dtbs-mediatek: the MediaTek DTBs (83 .dtb) of bookworm-backports' 6.12
# kernel package (bookworm's 6.1 is built without ARCH_MEDIATEK), or of
# trixie's with HV_DEBIAN_KERNEL=trixie.
#
# The kernel (WHAT kernel, headers): HV_DEBIAN_KERNEL chooses it,
#   bookworm            (default) bookworm's 6.1, through the system's apt
#   bookworm-backports  the 6.12 of bookworm-backports
#   trixie              Debian 13's 6.12
# or HV_KABI names one (6.1.0-NN-arm64 is bookworm's, 6.12.N+deb12-arm64
# bookworm-backports', 6.12.N+deb13-arm64 trixie's). The suites beyond
# bookworm are read through a private apt configuration in the cache
# (sources list, package lists, downloads): the system's sources are never
# changed. trixie's linux-kbuild host tools need trixie's glibc: they are
# replaced by those of bookworm-backports' kbuild of the same 6.12 series,
# which run here (makefiles, headers and the module's vermagic stay trixie's).
#
# Prints one KEY=VALUE line per artefact on stdout (nothing else), e.g.
#   HV_KABI=6.1.0-50-arm64
#   HV_KERNEL_IMAGE=/root/.cache/hvcore/debian-arm64/6.1.0-50-arm64/image/boot/vmlinuz-6.1.0-50-arm64
#   HV_KERNEL_HEADERS=.../headers/usr/src/linux-headers-6.1.0-50-arm64   (ready for M= builds)
#   HV_BUSYBOX=.../busybox/bin/busybox                                    (static aarch64)
#   HV_LIBFDT_A=.../libfdt/usr/lib/aarch64-linux-gnu/libfdt.a
#   HV_LIBFDT_INCLUDE=.../libfdt/usr/include
#   HV_MEDIATEK_DTBS=.../6.12.95+deb12-arm64/image/usr/lib/linux-image-6.12.95+deb12-arm64/mediatek
# Exits non-zero with a clear message on stderr when the archive cannot be
# reached and nothing is cached. Cache: $HV_CACHE_DIR, default
# ${XDG_CACHE_HOME:-$HOME/.cache}/hvcore/debian-arm64. Concurrent callers are
# serialized with a lock on the cache directory.
set -euo pipefail

cache=${HV_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hvcore/debian-arm64}
mkdir -p "$cache"
if [ -z "${HV_FETCH_LOCKED:-}" ]; then
  exec 9>"$cache/.lock"
  flock 9
  export HV_FETCH_LOCKED=1 # a nested call (dtbs-mediatek) runs under this lock
fi

die() {
  echo "debian-arm64-fetch: $*" >&2
  exit 1
}

[ $# -gt 0 ] || die "usage: $0 kernel|headers|busybox|libfdt ..."

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  die "arm64 is not a dpkg foreign architecture: run scripts/bootstrap.sh first"
fi

# The kernel choice: HV_KABI's suffix names its suite, else HV_DEBIAN_KERNEL.
choice=${HV_DEBIAN_KERNEL:-bookworm}
case ${HV_KABI:-} in
  "") ;;
  *+deb13-arm64) choice=trixie ;;
  *+deb12-arm64) choice=bookworm-backports ;;
  *-arm64) choice=bookworm ;;
  *) die "HV_KABI '$HV_KABI' is not a Debian arm64 kernel ABI" ;;
esac
case $choice in
  bookworm | bookworm-backports | trixie) ;;
  *) die "HV_DEBIAN_KERNEL '$choice': bookworm, bookworm-backports or trixie" ;;
esac

# apt options: the system's configuration for bookworm; for the other suites
# a private one under $cache/apt (bookworm-backports and trixie main, amd64
# and arm64), its lists refreshed when older than a day (an offline run
# keeps the last ones).
apt_opts=()
if [ "$choice" != bookworm ]; then
  papt=$cache/apt
  mkdir -p "$papt/lists/partial" "$papt/archives/partial" "$papt/preferences.d"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  mirror=$(sed -n 's/^URIs:[[:space:]]*\(http[^ ]*\/debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  mirror=${mirror:-http://deb.debian.org/debian}
  printf 'deb [signed-by=%s] %s %s main\n' "$keyring" "$mirror" bookworm-backports "$keyring" "$mirror" trixie \
    >"$papt/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$papt/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$papt/lists" -o "Dir::Cache=$papt" -o Dir::Cache::pkgcache=
    -o Dir::Cache::srcpkgcache= -o Dir::Etc::Preferences=/dev/null
    -o "Dir::Etc::PreferencesParts=$papt/preferences.d"
    -o APT::Architectures::=amd64 -o APT::Architectures::=arm64)
  if [ -z "$(find "$papt/lists" -maxdepth 1 -name '*_Packages' -mmin -1440 2>/dev/null | head -1)" ]; then
    apt-get "${apt_opts[@]}" update -q >"$papt/update.log" 2>&1 ||
      [ -n "$(find "$papt/lists" -maxdepth 1 -name '*_Packages' | head -1)" ] ||
      die "cannot read the $choice package lists ($(tail -1 "$papt/update.log"))"
  fi
fi

# download PKG DEST: fetch PKG's .deb into $cache/debs and extract it into DEST
# (once; a marker file per package records success; several packages may
# share one DEST).
download() {
  local pkg=$1 dest=$2
  local marker="$dest/.extracted-${pkg%%:*}"
  [ -f "$marker" ] && return 0
  mkdir -p "$cache/debs"
  (cd "$cache/debs" && apt-get "${apt_opts[@]}" download -q "$pkg" >/dev/null 2>"$cache/debs/.err") ||
    die "cannot download $pkg from the Debian archive ($(tail -1 "$cache/debs/.err"))"
  local deb
  deb=$(ls -t "$cache/debs/${pkg%%:*}"_*.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || die "apt-get download $pkg left no .deb"
  mkdir -p "$dest"
  dpkg -x "$deb" "$dest"
  touch "$marker"
}

# headers_dep VERSION_PATTERN: the ABI that linux-headers-arm64:arm64 of the
# version matching the pattern depends on (6.1.0-NN-arm64, 6.12.N+debNN-arm64).
headers_dep() {
  apt-cache "${apt_opts[@]}" show linux-headers-arm64:arm64 2>/dev/null |
    awk -v pat="$1" '/^Version:/ { ok = ($2 ~ pat) } ok && /^Depends:/ { print; exit }' |
    sed -n 's/^Depends:.*linux-headers-\(6[^ ,]*-arm64\).*/\1/p'
}

# The kernel ABI of the chosen kernel, from the metapackage's dependency;
# cached per choice so an offline run reuses the last one.
resolve_kabi() {
  local kabi="" pat
  if [ -n "${HV_KABI:-}" ]; then
    echo "$HV_KABI"
    return
  fi
  case $choice in
    bookworm) pat='^6\.1\.' ;;
    bookworm-backports) pat='bpo12' ;;
    trixie) pat='^6\.12\.[0-9]+-[0-9]+$' ;;
  esac
  kabi=$(headers_dep "$pat" || true)
  if [ -z "$kabi" ] && [ -f "$cache/kabi-$choice" ]; then
    kabi=$(cat "$cache/kabi-$choice")
  fi
  [ -n "$kabi" ] || die "cannot resolve the $choice arm64 kernel ABI (apt-get update, network?)"
  echo "$kabi" >"$cache/kabi-$choice"
  echo "$kabi"
}

# The linux-kbuild package of the chosen kernel (amd64 host tools and
# Kbuild's makefiles): bookworm's is linux-kbuild-6.1, the others are named
# after the ABI.
kbuild_package() {
  case $choice in
    bookworm) echo linux-kbuild-6.1 ;;
    *) echo "linux-kbuild-${1%-arm64}" ;;
  esac
}

# trixie's kbuild binaries need glibc 2.38 (bookworm has 2.36): replace each
# of its ELF host tools by the same file of bookworm-backports' kbuild of the
# same 6.12 series, built for bookworm; its makefiles and scripts stay trixie's.
kbuild_runnable_here() {
  local hdr=$1 kbuild=$2
  [ "$choice" = trixie ] || return 0
  [ -f "$hdr/.kbuild-host-tools" ] && return 0
  local bpo
  bpo=$(headers_dep bpo12 || true)
  [ -n "$bpo" ] || die "cannot resolve bookworm-backports' kbuild for trixie's host tools"
  local bkb="linux-kbuild-${bpo%-arm64}"
  download "$bkb" "$hdr/bpo-kbuild"
  local f rel
  while IFS= read -r -d '' f; do
    rel=${f#"$hdr/usr/lib/$kbuild/"}
    if [ "$(head -c4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ]; then
      [ -f "$hdr/bpo-kbuild/usr/lib/$bkb/$rel" ] || die "$bkb has no $rel for trixie's kbuild"
      cp "$hdr/bpo-kbuild/usr/lib/$bkb/$rel" "$f"
    fi
  done < <(find "$hdr/usr/lib/$kbuild" -type f -print0)
  touch "$hdr/.kbuild-host-tools"
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
      hdr=$cache/$kabi/headers
      download "linux-headers-$kabi:arm64" "$hdr"
      download "linux-headers-$common" "$hdr"
      kbuild=$(kbuild_package "$kabi")
      download "$kbuild" "$hdr"
      kbuild_runnable_here "$hdr" "$kbuild"
      kdir="$hdr/usr/src/linux-headers-$kabi"
      [ -f "$kdir/Makefile" ] || die "no $kdir/Makefile"
      # The arm64 tree's Makefile includes the -common tree by an absolute
      # path (/usr/src/...): point it at the extracted copy. Idempotent (the
      # whole include line is rewritten, whatever an earlier run left).
      sed -i "1,5s|^include .*/usr/src/linux-headers-$common/|include $hdr/usr/src/linux-headers-$common/|" \
        "$kdir/Makefile"
      # scripts/ and tools/ of both trees are relative symlinks into the
      # extracted usr/lib/linux-kbuild-* (as packaged; an older cache may
      # hold rewritten ones).
      [ -d "$hdr/usr/lib/$kbuild" ] || die "no usr/lib/$kbuild in $kbuild"
      for link in "$kdir/scripts" "$kdir/tools" "$hdr/usr/src/linux-headers-$common/scripts" \
        "$hdr/usr/src/linux-headers-$common/tools"; do
        if [ -L "$link" ]; then ln -sfn "../../lib/$kbuild/$(basename "$link")" "$link"; fi
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
    dtbs-mediatek)
      if [ "$choice" = bookworm ]; then
        fetched=$(HV_DEBIAN_KERNEL=bookworm-backports HV_KABI='' "$0" kernel) || exit 1
      else
        fetched=$(HV_KABI="$(resolve_kabi)" "$0" kernel) || exit 1
      fi
      dkabi=$(echo "$fetched" | sed -n 's/^HV_KABI=//p')
      dtbs=$cache/$dkabi/image/usr/lib/linux-image-$dkabi/mediatek
      [ -n "$(ls "$dtbs"/*.dtb 2>/dev/null | head -1)" ] || die "no MediaTek DTBs in linux-image-$dkabi"
      echo "HV_MEDIATEK_DTBS=$dtbs"
      ;;
    *) die "unknown artefact '$what' (kernel headers busybox libfdt dtbs-mediatek)" ;;
  esac
done
