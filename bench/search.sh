#!/usr/bin/env bash
# Measures facet's full-text search on a generated corpus.
#
#   bench/search.sh [-pages N] [-seed S] [-runs R]
#
# Generates an N-page corpus (bench/gen, default 10000), builds it with
# `facet build` (verification on) under GNU time, then runs bench/search
# on the output: the search index's size per build, and in headless
# Chromium the bytes a two-word query fetches and the time to rank once
# its shards are there (median of R runs). Needs chromium on PATH.
set -euo pipefail
pages=10000
seed=1
runs=5
while [ $# -gt 0 ]; do
	case "$1" in
	-pages) pages=${2:?}; shift 2 ;;
	-seed) seed=${2:?}; shift 2 ;;
	-runs) runs=${2:?}; shift 2 ;;
	*) sed -n '2,10s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/facet-search.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/gen" ./bench/gen && go build -o "$work/facet" ./cmd/facet &&
	go build -o "$work/search" ./bench/search)
"$work/gen" -pages "$pages" -seed "$seed" -out "$work/corpus" >/dev/null
/usr/bin/time -f "facet build: wall %e s, cpu %U+%S s, peak %M KB" \
	"$work/facet" build --site "$work/corpus" --out "$work/out" >/dev/null
"$work/search" -out "$work/out" -runs "$runs"
