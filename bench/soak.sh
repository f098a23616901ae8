#!/usr/bin/env bash
# Holds `facet gateway` under mixed load for a bounded time on loopback and
# checks every answer and the gateway's resident memory (bench/soak).
#
#   bench/soak.sh [-d 5m] [-clients N] [-max-growth MiB] [-max-rss MiB] [-keep]
#
# It builds facet and the soak program, then runs the soak in a fresh work
# folder: a small site built with facet build, an in-process OpenID
# provider, the facet gateway binary as its own process, a member and a
# guest signed in through the real code flow, and for the duration:
# anonymous, member and guest page requests bracketed by whoami, unique
# missing paths, slow and stalled readers of an 8 MiB file, and two
# rebuilds hot-swapped in while serving. It prints requests and failures
# by kind, mixed-generation responses, the rebuilds, and the gateway's
# VmRSS after warm-up, in the middle, at the end and at most, and exits
# non-zero on any failure, memory that grows past -max-growth (32 MiB) by
# the end, or a peak past -max-rss (256 MiB).
# -d 10s makes a smoke run. -keep leaves the work folder (site, output,
# gateway.log) in place.
set -euo pipefail

duration=5m
clients=2
growth=32
ceiling=256
keep=0

usage() {
	sed -n '2,19s/^# \{0,1\}//p' "$0"
}

die() {
	echo "soak.sh: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	-d) duration=${2:?-d needs a duration}; shift 2 ;;
	-clients) clients=${2:?-clients needs a number}; shift 2 ;;
	-max-growth) growth=${2:?-max-growth needs a number}; shift 2 ;;
	-max-rss) ceiling=${2:?-max-rss needs a number}; shift 2 ;;
	-keep) keep=1; shift ;;
	-h | -help | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/facet-soak.XXXXXX")
cleanup() {
	if [ "$keep" = 1 ]; then
		echo "work folder kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

echo "building binaries..."
mkdir -p "$work/bin"
(cd "$root" && go build -o "$work/bin/facet" ./cmd/facet) || die "cannot build ./cmd/facet"
(cd "$root" && go build -o "$work/bin/soak" ./bench/soak) || die "cannot build ./bench/soak"
echo "machine: $(nproc) CPUs, $(uname -sr), $(go version | cut -d' ' -f3)"
"$work/bin/soak" -facet "$work/bin/facet" -work "$work/run" -d "$duration" -clients "$clients" -max-growth "$growth" -max-rss "$ceiling"
