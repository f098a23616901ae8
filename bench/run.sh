#!/usr/bin/env bash
# Compares `facet build` with the plain goldmark baseline (bench/plain) on
# generated corpora (bench/gen).
#
#   bench/run.sh [-n RUNS] [-sizes "1000 10000"] [-seed S] [-corpus default|hard]
#                [-verify-cost] [-warm] [-plain-only] [-keep]
#
# For each size it generates a corpus, then runs the baseline and facet
# alternately, RUNS times each, under GNU time (/usr/bin/time -v), with a
# fresh output folder every run. It prints the median wall time, CPU time
# (user + sys) and peak memory (max RSS) of each, the facet/plain ratios per
# size, and how each scales from the smallest size to the largest.
#
# facet runs with --no-cache (a cold build). -warm also times, per run,
# `facet build` with an empty cache folder (cold, writing the cache) and
# a cached `facet build` after a one-page body edit into an empty output
# folder (the cache primed once, before the runs; each run appends a line
# to the same page): what CI that keeps only the cache gets, not a warm
# build, which needs the output the last build wrote (bench/warm.sh). It
# prints that build's share of the cold one.
#
# -corpus hard generates the hard corpus (short, repeated, date-like titles,
# dense cross-links, URLs in code, attachments); -verify-cost also times
# `facet build --no-verify` and prints the verifier's share of the build;
# -plain-only measures the baseline alone (while cmd/facet cannot build);
# -keep leaves the work folder (binaries, corpora, time logs) in place.
set -euo pipefail

runs=5
sizes="1000 10000"
seed=1
plain_only=0
keep=0
corpus=default
verify_cost=0
warm=0

usage() {
	sed -n '2,18s/^# \{0,1\}//p' "$0"
}

die() {
	echo "run.sh: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	-n) runs=${2:?-n needs a number}; shift 2 ;;
	-sizes) sizes=${2:?-sizes needs a list}; shift 2 ;;
	-seed) seed=${2:?-seed needs a number}; shift 2 ;;
	-corpus) corpus=${2:?-corpus needs default or hard}; shift 2 ;;
	-verify-cost) verify_cost=1; shift ;;
	-warm) warm=1; shift ;;
	-plain-only) plain_only=1; shift ;;
	-keep) keep=1; shift ;;
	-h | -help | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done
[[ $corpus =~ ^(default|hard)$ ]] || die "-corpus wants default or hard, not '$corpus'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "-n wants a positive number, not '$runs'"
for size in $sizes; do
	[[ $size =~ ^[1-9][0-9]*$ ]] || die "-sizes wants page counts, not '$size'"
done
[ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null ||
	die "GNU time is missing (Debian: apt-get install -y time)"

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/facet-bench.XXXXXX")
cleanup() {
	if [ "$keep" = 1 ]; then
		echo "work folder kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

tools="plain facet"
[ "$verify_cost" = 1 ] && tools="plain facet facet-noverify"
[ "$warm" = 1 ] && tools="$tools facet-cachecold facet-warm"
[ "$plain_only" = 1 ] && tools="plain"

# --- 1. binaries ------------------------------------------------------------
echo "building binaries..."
mkdir -p "$work/bin"
(cd "$root" && go build -o "$work/bin/gen" ./bench/gen) || die "cannot build bench/gen"
(cd "$root" && go build -o "$work/bin/plain" ./bench/plain) || die "cannot build bench/plain"
if [ "$plain_only" = 0 ]; then
	if ! (cd "$root" && go build -o "$work/bin/facet" ./cmd/facet) 2>"$work/facet-build.log"; then
		cat "$work/facet-build.log" >&2
		die "cannot build ./cmd/facet (see above); -plain-only measures the baseline alone"
	fi
fi

# --- 2. corpora -------------------------------------------------------------
for size in $sizes; do
	"$work/bin/gen" -pages "$size" -seed "$seed" -corpus "$corpus" -out "$work/corpus-$size"
done

# --- 3. measurements --------------------------------------------------------

# timed TOOL SIZE: one run under GNU time; appends "wall cpu rss_kb" to
# $work/results-TOOL-SIZE.
timed() {
	local tool=$1 size=$2
	local corpus="$work/corpus-$size" out="$work/out-$tool" log="$work/time.log"
	local -a cmd
	case $tool in
	plain) cmd=("$work/bin/plain" -site "$corpus" -out "$out") ;;
	facet) cmd=("$work/bin/facet" build --no-cache --site "$corpus" --out "$out") ;;
	facet-noverify) cmd=("$work/bin/facet" build --no-cache --no-verify --site "$corpus" --out "$out") ;;
	facet-cachecold)
		rm -rf "$work/cache-cold-$size"
		cmd=("$work/bin/facet" build --cache "$work/cache-cold-$size" --site "$corpus" --out "$out")
		;;
	facet-warm)
		printf '\nA warm edit, run %s.\n' "$i" >>"$(warm_page "$size")"
		cmd=("$work/bin/facet" build --cache "$work/cache-warm-$size" --site "$corpus" --out "$out")
		;;
	esac
	rm -rf "$out"
	if ! /usr/bin/time -v -o "$log" "${cmd[@]}" >"$work/stdout-$tool-$size" 2>"$work/stderr-$tool-$size"; then
		tail -n 20 "$work/stderr-$tool-$size" >&2
		die "$tool failed on the $size-page corpus: ${cmd[*]}"
	fi
	awk -F': ' '
		/Elapsed \(wall clock\) time/ {
			n = split($2, p, ":")
			wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2]
		}
		/User time \(seconds\)/ { user = $2 }
		/System time \(seconds\)/ { sys = $2 }
		/Maximum resident set size/ { rss = $2 }
		END { printf "%.3f %.3f %d\n", wall, user + sys, rss }
	' "$log" >>"$work/results-$tool-$size"
}

# warm_page SIZE: the page the warm runs edit.
warm_page() {
	find "$work/corpus-$1/content" -name '*.md' ! -name '_index.md' | sort | head -n 1
}

for size in $sizes; do
	if [ "$warm" = 1 ]; then
		echo "priming the cache of $size pages..."
		"$work/bin/facet" build --quiet --cache "$work/cache-warm-$size" --site "$work/corpus-$size" \
			--out "$work/out-prime" || die "priming the cache failed"
		rm -rf "$work/out-prime"
	fi
	echo "measuring $size pages: $runs runs of: $tools"
	for ((i = 1; i <= runs; i++)); do
		for tool in $tools; do
			timed "$tool" "$size"
		done
	done
done
rm -rf "$work"/out-*

# --- 4. report --------------------------------------------------------------

# median TOOL SIZE COLUMN: the median of one column of the results.
median() {
	cut -d' ' -f"$3" "$work/results-$1-$2" | sort -g | awk '
		{ v[NR] = $1 }
		END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ratio A B: A/B with two decimals, "-" when B is zero.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f\n", a / b }'
}

echo
echo "medians of $runs runs; $(nproc) cores; $(go version | cut -d' ' -f3)"
printf '%-8s %-16s %9s %9s %10s\n' pages tool wall_s cpu_s maxrss_MB
for size in $sizes; do
	for tool in $tools; do
		printf '%-8s %-16s %9.3f %9.3f %10.1f\n' "$size" "$tool" \
			"$(median "$tool" "$size" 1)" "$(median "$tool" "$size" 2)" \
			"$(awk -v k="$(median "$tool" "$size" 3)" 'BEGIN { print k / 1024 }')"
	done
	if [ "$plain_only" = 0 ]; then
		printf '%-8s %-16s %9s %9s %10s\n' "$size" "facet/plain" \
			"$(ratio "$(median facet "$size" 1)" "$(median plain "$size" 1)")" \
			"$(ratio "$(median facet "$size" 2)" "$(median plain "$size" 2)")" \
			"$(ratio "$(median facet "$size" 3)" "$(median plain "$size" 3)")"
		echo "         facet says: $(tail -n 1 "$work/stdout-facet-$size")"
		if [ "$warm" = 1 ]; then
			echo "         cached build after a one-page edit, empty output: $(awk -v a="$(median facet-warm "$size" 1)" \
				-v b="$(median facet "$size" 1)" -v c="$(median facet-warm "$size" 2)" -v d="$(median facet "$size" 2)" \
				'BEGIN { printf "%.0f%% of the cold build'"'"'s wall time, %.0f%% of its CPU time\n", 100 * a / b, 100 * c / d }')"
			echo "         facet-warm says: $(grep '^cache ' "$work/stdout-facet-warm-$size" || true)"
		fi
		if [ "$verify_cost" = 1 ]; then
			with=$(median facet "$size" 1) without=$(median facet-noverify "$size" 1)
			echo "         verifier: $(awk -v a="$with" -v b="$without" \
				'BEGIN { if (a == 0) print "-"; else printf "%.0f%% of the wall time (%.3f s)\n", 100 * (a - b) / a, a - b }')"
		fi
	fi
done

read -r -a list <<<"$sizes"
if [ "${#list[@]}" -gt 1 ]; then
	small=${list[0]} large=${list[${#list[@]} - 1]}
	echo
	echo "scaling ${large}/${small} pages (x$(ratio "$large" "$small") the pages):"
	for tool in $tools; do
		printf '  %-6s wall x%s, cpu x%s, maxrss x%s\n' "$tool" \
			"$(ratio "$(median "$tool" "$large" 1)" "$(median "$tool" "$small" 1)")" \
			"$(ratio "$(median "$tool" "$large" 2)" "$(median "$tool" "$small" 2)")" \
			"$(ratio "$(median "$tool" "$large" 3)" "$(median "$tool" "$small" 3)")"
	done
fi
