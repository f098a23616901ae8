#!/usr/bin/env bash
# Measures `facet gateway` serving a signed-in member a typical ~17 KB page,
# beside a plain net/http file server (no auth) and nginx serving the same
# build folder, all on loopback, with wrk. A fourth server, "memory", answers
# with the page's bytes from memory and nothing else: the most any net/http
# server can do here, so the gateway's distance to nginx can be told apart
# from net/http's. A fifth, "replay", answers from memory with the page and
# the gateway's own response headers (security headers, caching, ETag):
# the gateway's answer without the gateway's work, so that the cost of the
# headers it must send is told apart from the cost of its own work.
#
#   bench/gateway.sh [-pages N] [-runs R] [-d 10s] [-c 50] [-t 2] [-keep]
#
# It generates a site (bench/gen, N pages, default 300), builds it with
# facet build, mints a real session cookie for a member in eng and ops by
# walking the sign-in flow against an in-process OpenID provider
# (bench/gateway -mint), picks the page of that member's build closest to
# 17 KB (15-19 KB), then runs `wrk -tT -cC -dD --latency` against the
# gateway (with the cookie), the plain file server, nginx and memory,
# in R rounds (default 5) after a short warm-up of each, every round running
# each server once, and prints the median requests/s and p99 latency of each
# and, for each other server, the median over the rounds of the gateway's
# requests/s to that server's in the same round (so that both ran under the
# same load of the machine). It also reads each server's CPU time over
# each run from /proc and prints its CPU per request, and the same ratios
# in requests per second of the server's own CPU: on a shared machine
# these move less with the load of the rest of it (no target).
# Targets: gateway >= plain, >= 0.85x memory (the gateway's own work costs
# at most 15%), p99 < 10 ms at 50 connections; gateway/nginx is reported.
#
# Needs wrk, nginx and curl (Debian: apt-get install -y wrk nginx curl).
# -keep leaves the work folder (site, builds, logs, wrk outputs) in place.
set -euo pipefail

pages=300
runs=5
duration=10s
conns=50
threads=2
keep=0

usage() {
	sed -n '2,35s/^# \{0,1\}//p' "$0"
}

die() {
	echo "gateway.sh: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	-pages) pages=${2:?-pages needs a number}; shift 2 ;;
	-runs) runs=${2:?-runs needs a number}; shift 2 ;;
	-d) duration=${2:?-d needs a duration}; shift 2 ;;
	-c) conns=${2:?-c needs a number}; shift 2 ;;
	-t) threads=${2:?-t needs a number}; shift 2 ;;
	-keep) keep=1; shift ;;
	-h | -help | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done
[[ $pages =~ ^[1-9][0-9]*$ ]] || die "-pages wants a positive number, not '$pages'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "-runs wants a positive number, not '$runs'"

nginx_bin=$(command -v nginx || true)
[ -z "$nginx_bin" ] && [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx
missing=""
command -v wrk >/dev/null || missing="$missing wrk"
[ -n "$nginx_bin" ] || missing="$missing nginx"
command -v curl >/dev/null || missing="$missing curl"
[ -z "$missing" ] || die "missing:$missing (Debian: apt-get install -y wrk nginx curl)"

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/facet-gwbench.XXXXXX")
pids=()
cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	if [ "$keep" = 1 ]; then
		echo "work folder kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

# --- 1. binaries, site, build ----------------------------------------------
echo "building binaries..."
mkdir -p "$work/bin"
(cd "$root" && go build -o "$work/bin/facet" ./cmd/facet) || die "cannot build ./cmd/facet"
(cd "$root" && go build -o "$work/bin/gen" ./bench/gen) || die "cannot build ./bench/gen"
(cd "$root" && go build -o "$work/bin/gwbench" ./bench/gateway) || die "cannot build ./bench/gateway"
bin=$work/bin

"$bin/gen" -pages "$pages" -out "$work/site" >/dev/null
"$bin/facet" build --site "$work/site" --out "$work/public" >"$work/build.log" ||
	{ cat "$work/build.log" >&2; die "facet build failed"; }

# --- 2. settings and a real session cookie ----------------------------------
ports=$("$bin/gwbench" -ports 5) || die "cannot find free ports"
read -r gw_port plain_port nginx_port memory_port replay_port <<<"$(echo $ports)"
gw=http://127.0.0.1:$gw_port
cat >"$work/site/config/gateway.toml" <<EOF
listen = "127.0.0.1:$gw_port"
public_url = "$gw"
client_id = "facet-bench"
session = "12h"
EOF
FACET_COOKIE_SECRET=$(head -c 32 /dev/urandom | base64)
FACET_CLIENT_SECRET=$(head -c 24 /dev/urandom | base64)
export FACET_COOKIE_SECRET FACET_CLIENT_SECRET
# kept with -keep, to start the same gateway again by hand
printf 'FACET_COOKIE_SECRET=%q\nFACET_CLIENT_SECRET=%q\n' "$FACET_COOKIE_SECRET" "$FACET_CLIENT_SECRET" >"$work/secrets.env"

"$bin/gwbench" -mint -site "$work/site" -out "$work/public" -email bench@example.com -groups eng,ops \
	>"$work/mint.env" 2>"$work/mint.log" || { cat "$work/mint.log" >&2; die "cannot mint a session cookie"; }
ISSUER= COOKIE= KIND= BUILD=
# shellcheck disable=SC1091
. "$work/mint.env"
[ "$KIND" = member ] && [ -n "$BUILD" ] || die "minted a session for '$KIND', build '$BUILD'"
echo "issuer = \"$ISSUER\"" >>"$work/site/config/gateway.toml"

# --- 3. the page: the one of the member's build closest to 17 KB -------------
# among those the anonymous build lacks (the gateway must answer an
# anonymous request for it with a sign-in redirect)
build_dir=$work/public/$BUILD
page_file=$(find "$build_dir" -name index.html -size +14k -size -20k -printf '%s %P\n' |
	while read -r size rel; do [ -e "$work/public/anonymous/$rel" ] || echo "$size $rel"; done | awk '
	$1 >= 15000 && $1 <= 19000 {
		d = $1 - 17408; if (d < 0) d = -d
		if (best == "" || d < best || (d == best && $2 < pick)) { best = d; pick = $2 }
	}
	END { print pick }')
[ -n "$page_file" ] || die "no page of 15-19 KB in $BUILD that anonymous visitors lack; try more -pages"
page=/${page_file%index.html}
page_bytes=$(stat -c %s "$build_dir/$page_file")

# --- 4. the other servers ----------------------------------------------------
wait_up() { # URL
	for _ in $(seq 100); do
		curl -s -o /dev/null "$1" && return 0
		sleep 0.1
	done
	die "nothing answers at $1"
}

declare -A spid # server -> the pid whose CPU time (and children's) counts
(cd "$work/site" && exec "$bin/facet" gateway --site . --out "$work/public") >"$work/gateway.out" 2>"$work/gateway.log" &
pids+=($!)
spid[gateway]=$!
wait_up "$gw/healthz"

"$bin/gwbench" -plain "$build_dir" -listen "127.0.0.1:$plain_port" 2>"$work/plain.log" &
pids+=($!)
spid[plain]=$!
wait_up "http://127.0.0.1:$plain_port/"

"$bin/gwbench" -memory "$build_dir/$page_file" -listen "127.0.0.1:$memory_port" 2>"$work/memory.log" &
pids+=($!)
spid[memory]=$!
wait_up "http://127.0.0.1:$memory_port/"

# replay sends the headers the gateway sends the member for the page
curl -s -o /dev/null -D "$work/gateway.headers" -H "Cookie: $COOKIE" "$gw$page"
"$bin/gwbench" -memory "$build_dir/$page_file" -headers "$work/gateway.headers" -listen "127.0.0.1:$replay_port" 2>"$work/replay.log" &
pids+=($!)
spid[replay]=$!
wait_up "http://127.0.0.1:$replay_port/"

mkdir -p "$work/nginx"
mime=""
[ -f /etc/nginx/mime.types ] && mime="include /etc/nginx/mime.types;"
# As the current user: "user" matters only when that is root, whose
# workers would otherwise run as nobody and could not read the work folder.
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
user $(id -un) $(id -gn);
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
	$mime
	default_type application/octet-stream;
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	open_file_cache max=10000 inactive=60s;
	open_file_cache_valid 60s;
	client_body_temp_path $work/nginx/body;
	proxy_temp_path $work/nginx/proxy;
	fastcgi_temp_path $work/nginx/fastcgi;
	uwsgi_temp_path $work/nginx/uwsgi;
	scgi_temp_path $work/nginx/scgi;
	server {
		listen 127.0.0.1:$nginx_port;
		root $build_dir;
		index index.html;
	}
}
EOF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
pids+=($!)
spid[nginx]=$!
wait_up "http://127.0.0.1:$nginx_port/"

declare -A url=(
	[gateway]=$gw$page
	[plain]=http://127.0.0.1:$plain_port$page
	[nginx]=http://127.0.0.1:$nginx_port$page
	[memory]=http://127.0.0.1:$memory_port$page
	[replay]=http://127.0.0.1:$replay_port$page
)

# Each must serve the page itself; the gateway only with the cookie.
check() { # NAME [curl args...]
	local name=$1
	shift
	local got
	got=$(curl -s -o "$work/check-$name.html" -w '%{http_code} %{size_download}' "$@" "${url[$name]}")
	[ "$got" = "200 $page_bytes" ] || die "$name answers '$got' for $page, want '200 $page_bytes'"
	cmp -s "$work/check-$name.html" "$build_dir/$page_file" || die "$name serves other bytes for $page"
}
check gateway -H "Cookie: $COOKIE"
check plain
check nginx
check memory
check replay
anon=$(curl -s -o /dev/null -w '%{http_code}' "${url[gateway]}")
[ "$anon" = 302 ] || die "the gateway answers $anon to an anonymous request for $page, want 302"
whoami=$(curl -s -H "Cookie: $COOKIE" "$gw/_facet/whoami")
case $whoami in
*'"kind":"member"'*) ;;
*) die "the gateway does not take the cookie for a member: $whoami" ;;
esac

# --- 5. wrk, alternating ------------------------------------------------------
# ticks PID: the CPU time (user + system, in clock ticks) of PID and of its
# children (nginx's workers), from /proc.
ticks() {
	local total=0 p
	for p in "$1" $(pgrep -P "$1" || true); do
		[ -r "/proc/$p/stat" ] || continue
		total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
	done
	echo "$total"
}

# bench NAME OUTPUT DURATION: one wrk run; beside OUTPUT (.txt), OUTPUT's
# .cpu file gets the server's CPU time over the run, in clock ticks, and
# the ticks per second: the CPU each request cost the server, a figure the
# rest of the machine's load disturbs less than requests/s.
bench() {
	local args=(-t"$threads" -c"$conns" -d"$3" --latency)
	[ "$1" = gateway ] && args+=(-H "Cookie: $COOKIE")
	local before after
	before=$(ticks "${spid[$1]}")
	wrk "${args[@]}" "${url[$1]}" >"$2"
	after=$(ticks "${spid[$1]}")
	echo "$((after - before)) $(getconf CLK_TCK)" >"${2%.txt}.cpu"
}

echo
echo "page:     $page ($page_bytes bytes, build $BUILD of a $pages-page site)"
echo "identity: $whoami"
echo "machine:  $(nproc) CPUs, $(uname -sr), $(go version | cut -d' ' -f3), $("$nginx_bin" -v 2>&1 | cut -d' ' -f3), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "load:     wrk -t$threads -c$conns -d$duration --latency, $runs runs each, alternating"
echo
mkdir -p "$work/wrk"
servers="gateway plain nginx memory replay"
for name in $servers; do
	bench "$name" "$work/wrk/warmup-$name" 2s
done
for run in $(seq "$runs"); do
	for name in $servers; do
		bench "$name" "$work/wrk/$name-$run.txt" "$duration"
		printf '  run %d %-8s %s req/s\n' "$run" "$name" "$(awk '/^Requests\/sec/ {print $2}' "$work/wrk/$name-$run.txt")"
	done
done
echo
"$bin/gwbench" -report -page-bytes "$page_bytes" "$work"/wrk/*-[0-9]*.txt
