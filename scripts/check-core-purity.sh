#!/usr/bin/env bash
# check-core-purity.sh DIR: fails if DIR (core/) contains architecture:
# inline assembly, a header beyond stdint/stddef/stdbool and the core's own
# <hv/...>, or tests of __aarch64__/__x86_64__ and friends.
set -u
dir=${1:?usage: check-core-purity.sh DIR}
[ -d "$dir" ] || { echo "purity: no directory $dir"; exit 2; }
bad=0
report() { echo "purity: $1"; bad=1; }

files=$(find "$dir" -type f \( -name '*.c' -o -name '*.h' \) | sort)
[ -n "$files" ] || { echo "purity: no sources under $dir"; exit 2; }
for f in $files; do
  # Strip // and /* */ comments so a citation in prose does not trip the check.
  body=$(sed -e 's://.*$::' "$f" | perl -0pe 's{/\*.*?\*/}{}gs')
  if grep -nE '(__asm__|__asm|\basm\b)[[:space:]]*(volatile|__volatile__|goto)?[[:space:]]*\(' <<<"$body" >/dev/null; then
    report "$f: inline assembly"
  fi
  if grep -nE '__(aarch64|arm|x86_64|i386|amd64|riscv|ARM_ARCH)[A-Za-z0-9_]*__?' <<<"$body" >/dev/null; then
    report "$f: tests an architecture macro"
  fi
  while IFS= read -r inc; do
    case "$inc" in
      *'<stdint.h>'*|*'<stddef.h>'*|*'<stdbool.h>'*|*'<hv/'*) ;;
      *'"'*) ;; # quoted includes resolve inside core/
      *) report "$f: forbidden include: $inc" ;;
    esac
  done < <(grep -E '^[[:space:]]*#[[:space:]]*include' <<<"$body")
  if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"\.\./\.\./' <<<"$body" >/dev/null; then
    report "$f: includes outside core/"
  fi
done
if [ $bad -eq 0 ]; then
  echo "purity: $(wc -w <<<"$files") files clean"
fi
exit $bad
