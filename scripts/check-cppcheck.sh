#!/usr/bin/env bash
# check-cppcheck.sh DIR: cppcheck over core/, zero findings at warning level.
set -u
dir=${1:?usage: check-cppcheck.sh DIR}
cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability,performance \
  --inline-suppr -I "$dir/include" --suppress=missingIncludeSystem "$dir" 2>&1 | head -40
rc=${PIPESTATUS[0]}
[ "$rc" -eq 0 ] && echo "cppcheck: $dir clean"
exit "$rc"
