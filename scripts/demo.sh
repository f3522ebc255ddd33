#!/usr/bin/env bash
# The main job: installs what is missing, builds everything, and shows it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j "${HV_JOBS:-2}"
if [ -x scripts/demo-guests.sh ]; then
  exec bash scripts/demo-guests.sh
fi
echo
echo "Built (no guest runner yet):"
find build/dev -maxdepth 2 -type f -perm -u+x -name 'unit.*' -printf '  %p\n' | sort
find build/dev -name 'libhv*.a' -printf '  %p\n' | sort
