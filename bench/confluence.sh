#!/usr/bin/env bash
# Times `facet import confluence` on a generated space export.
#
#   bench/confluence.sh [-pages N] [-seed S]
#
# Generates an N-page export (bench/confluence, default 10000) and imports
# it under GNU time: wall and CPU time, and peak memory (the targets for
# 10,000 pages: under 30 s and under 300 MiB).
set -euo pipefail
pages=10000
seed=1
while [ $# -gt 0 ]; do
	case "$1" in
	-pages) pages=${2:?}; shift 2 ;;
	-seed) seed=${2:?}; shift 2 ;;
	*) sed -n '2,8s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/facet-confluence.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/gen" ./bench/confluence && go build -o "$work/facet" ./cmd/facet)
"$work/gen" -pages "$pages" -seed "$seed" -out "$work/export.zip"
echo "export: $(du -h "$work/export.zip" | cut -f1) zipped, $pages pages"
/usr/bin/time -f "facet import confluence: wall %e s, cpu %U+%S s, peak %M KB" \
	"$work/facet" import confluence "$work/export.zip" --into "$work/site" >/dev/null
