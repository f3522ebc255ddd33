#!/usr/bin/env bash
# check-format.sh [--fix]: clang-format over the project's C sources.
set -u
cd "$(dirname "$0")/.."
files=$(git ls-files -co --exclude-standard -- '*.c' '*.h' 2>/dev/null |
        grep -vE '^(build|tests/purity-fixture)/' || true)
[ -n "$files" ] || { echo "format: no files"; exit 0; }
if [ "${1:-}" = "--fix" ]; then
  # shellcheck disable=SC2086
  clang-format -i $files && echo "format: fixed $(wc -w <<<"$files") files"
  exit $?
fi
# shellcheck disable=SC2086
out=$(clang-format --dry-run --Werror $files 2>&1)
rc=$?
if [ $rc -ne 0 ]; then
  echo "$out" | grep -E '^[^ ].*error:' | cut -d: -f1 | sort -u | head -20 |
    sed 's/^/format: needs clang-format: /'
  echo "format: run 'scripts/check-format.sh --fix'"
  exit 1
fi
echo "format: $(wc -w <<<"$files") files clean"
