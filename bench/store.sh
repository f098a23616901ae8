#!/usr/bin/env bash
# Figures of the object store: facet publish of the bench corpus cold and
# after a one-page edit (time, objects and bytes uploaded), and facet gateway
# from the store (warm caches) against the gateway from disk, same process.
#   bench/store.sh [-pages 10000] [-rounds 5] [-d 5s] [-c 8] [-keep]
set -euo pipefail
cd "$(dirname "$0")/.."
pages=10000 rounds=5 d=5s c=8 keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	-pages) pages=$2; shift 2 ;;
	-rounds) rounds=$2; shift 2 ;;
	-d) d=$2; shift 2 ;;
	-c) c=$2; shift 2 ;;
	-keep) keep=1; shift ;;
	*) echo "usage: bench/store.sh [-pages N] [-rounds R] [-d DURATION] [-c CLIENTS] [-keep]" >&2; exit 2 ;;
	esac
done
.ci/build-weed
work=$(mktemp -d "${TMPDIR:-/tmp}/facet-store-bench-XXXXXX")
[ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
go run ./bench/gen -pages "$pages" -out "$work/site" >/dev/null
go run ./bench/store -site "$work/site" -rounds "$rounds" -d "$d" -c "$c"
