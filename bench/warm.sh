#!/usr/bin/env bash
# Times warm `facet build`s after a one-page body edit, for one facet
# binary or two side by side (an A/B in the same run):
#
#   bench/warm.sh -site DIR [-rounds R] [-work DIR] FACET [FACET2]
#
# For each binary it primes a cache folder of its own with a cold build
# (timed too), then runs R rounds (default 4); in each, every binary in turn
# gets one sentence appended to the same page and a warm build under GNU
# time. It also times one `facet build --no-cache` per binary per round,
# so that the warm build's share of a cold build is measured in the same
# run. It prints each run and the medians of wall and CPU (user + sys),
# and with two binaries the ratios of the second to the first. DIR (a
# bench/gen corpus) is edited and restored at the end; outputs and caches
# go under -work (default a temporary folder in TMPDIR).
set -euo pipefail

rounds=4
site=""
work=""
while [ $# -gt 0 ]; do
	case "$1" in
	-site) site=${2:?-site needs a folder}; shift 2 ;;
	-rounds) rounds=${2:?-rounds needs a number}; shift 2 ;;
	-work) work=${2:?-work needs a folder}; shift 2 ;;
	-h | -help | --help) sed -n '2,15s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) echo "warm.sh: unknown flag $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ -n "$site" ] && [ -d "$site/content" ] || { echo "warm.sh: -site DIR (a bench/gen corpus) is required" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "warm.sh: one or two facet binaries" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "warm.sh: -rounds wants a positive number" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "warm.sh: needs GNU time (apt-get install -y time)" >&2; exit 2; }
bins=("$@")
own_work=0
if [ -z "$work" ]; then
	work=$(mktemp -d "${TMPDIR:-/tmp}/facet-warm.XXXXXX")
	own_work=1
fi
mkdir -p "$work"
page=$(find "$site/content" -name '*.md' ! -name '_index.md' | LC_ALL=C sort | sed -n 1p)
cp "$page" "$work/page.orig"
cleanup() {
	cp "$work/page.orig" "$page"
	[ "$own_work" = 1 ] && rm -rf "$work"
	return 0
}
trap cleanup EXIT

# run LABEL INDEX ARGS...: one timed build of binary INDEX; prints
# "LABEL INDEX wall cpu peakKiB".
run() {
	local label=$1 i=$2
	shift 2
	/usr/bin/time -o "$work/time" -f '%e %U %S %M' "${bins[$i]}" build --quiet --site "$site" "$@" >/dev/null 2>"$work/err.$i" ||
		{ cat "$work/err.$i" >&2; echo "warm.sh: $label build of ${bins[$i]} failed" >&2; exit 1; }
	read -r wall user sys peak <"$work/time"
	awk -v l="$label" -v i="$i" -v w="$wall" -v u="$user" -v s="$sys" -v p="$peak" \
		'BEGIN {printf "%s %d %s %.2f %s\n", l, i, w, u + s, p}' | tee -a "$work/runs"
}

: >"$work/runs"
for i in "${!bins[@]}"; do
	rm -rf "$work/out$i" "$work/cache$i"
	run cold-cache "$i" --out "$work/out$i" --cache "$work/cache$i"
done
for r in $(seq "$rounds"); do
	for i in "${!bins[@]}"; do
		echo "Warm build round $r, binary $i, sentence $RANDOM." >>"$page"
		run warm "$i" --out "$work/out$i" --cache "$work/cache$i"
		run no-cache "$i" --out "$work/cold" --no-cache
		rm -rf "$work/cold" # one cold output at a time: a 10,000-page output is 2-3 GB
	done
done

echo
# summary: medians per binary and kind, the warm/cold shares, and the
# second binary's warm medians against the first's
awk '
function med(list,   n, a, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
$1 != "cold-cache" { wall[$1, $2] = wall[$1, $2] " " $3; cpu[$1, $2] = cpu[$1, $2] " " $4; if ($2 > last) last = $2 }
END {
	for (i = 0; i <= last; i++) {
		for (k = 0; k < 2; k++) {
			l = k ? "no-cache" : "warm"
			W[l, i] = med(wall[l, i]); C[l, i] = med(cpu[l, i])
			printf "binary %d %-8s median %6.2f s wall %6.2f s CPU\n", i, l, W[l, i], C[l, i]
		}
		printf "binary %d warm / cold: %.0f%% of the wall time, %.0f%% of the CPU\n", i, 100 * W["warm", i] / W["no-cache", i], 100 * C["warm", i] / C["no-cache", i]
	}
	if (last == 1) printf "warm, binary 1 / binary 0: %.2f wall, %.2f CPU\n", W["warm", 1] / W["warm", 0], C["warm", 1] / C["warm", 0]
}' "$work/runs"
