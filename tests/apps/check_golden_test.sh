#!/usr/bin/env bash
# `headroom check --json` on a fixed fleet must print exactly the bytes it printed before the
# performance work of issue 13 (golden/*.json were written by commit d941364's binary):
# faster reading and detection may not change a single output byte.
# Usage: check_golden_test.sh HEADROOM GOLDEN_DIR
set -euo pipefail
headroom=$1
golden=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$headroom" check "$golden/fleet.json" --json > "$out/check.json"
"$headroom" check "$golden/fleet.json" --adjust --json > "$out/check-adjust.json"
status=0
for f in check.json check-adjust.json; do
  if ! cmp -s "$golden/$f" "$out/$f"; then
    echo "check_golden_test: $f differs from $golden/$f:" >&2
    cmp "$golden/$f" "$out/$f" >&2 || true
    status=1
  fi
done
[ $status -eq 0 ] && echo "check_golden_test: check.json and check-adjust.json byte-identical"
exit $status
