#!/usr/bin/env bash
# Installs every Debian package the build and the tests need. Idempotent:
# packages already present are skipped. Retries while the dpkg lock is held.
# Never installs an arm64 linux-headers package: on amd64 that removes gcc
# (see shared/reference/platform-facts.md); scripts/debian-arm64-fetch.sh uses
# apt-get download + dpkg -x instead.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross
  qemu-system-arm
  libunicorn-dev libcriterion-dev libfdt-dev device-tree-compiler
  gcovr clang libclang-rt-14-dev llvm
  clang-format cppcheck
  cpio xz-utils python3 zip unzip e2fsprogs
)

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# arm64 as a foreign architecture, so `apt-get download pkg:arm64` works (the
# Debian kernel, busybox-static, libfdt for the EL2 image). Nothing arm64 is
# installed by this script.
need_update=0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $SUDO dpkg --add-architecture arm64
  need_update=1
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ] && [ $need_update -eq 0 ]; then
  echo "bootstrap: all ${#packages[@]} packages present"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive

# apt/dpkg take a lock; another apt (unattended-upgrades, a second job) may
# hold it. Retry for up to ~10 minutes rather than fail.
with_lock_retry() {
  local tries=0
  until $SUDO "$@"; do
    tries=$((tries + 1))
    if [ $tries -ge 60 ]; then
      echo "bootstrap: '$*' failed $tries times" >&2
      return 1
    fi
    echo "bootstrap: apt busy or failed, retry $tries in 10 s" >&2
    sleep 10
  done
}

echo "bootstrap: installing ${missing[*]}"
with_lock_retry apt-get -o DPkg::Lock::Timeout=600 update -q
if [ ${#missing[@]} -gt 0 ]; then
  with_lock_retry apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
fi
echo "bootstrap: done"
