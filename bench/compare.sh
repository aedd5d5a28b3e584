#!/usr/bin/env bash
# Two builds of the SDK side by side, in one run: bench/incremental.sh's sequence (cold, noop,
# script, formats) for feed A and for feed B in every round, A first in odd rounds and B first in
# even rounds, so both see the same machine. Each run is bench/incremental.sh with ROUNDS=1 (so each
# gets its own NuGet package folder, its own empty stage cache and a fresh copy of the sample of this
# checkout); its per-run lines are collected and, at the end, a table prints for each step the median
# of A, the median of B and the ratio B/A (below 1: B is faster). Run as root after installing the
# host tools (eng/install-host-tools.sh).
#
# Pack each SDK with its own version into its own feed, e.g. the baseline and the change:
#   (cd ../base-checkout && dotnet pack sdk/DiskImageBuilder.Sdk/DiskImageBuilder.Sdk.csproj -c Release \
#        -o /work/bench-feeds/base -p:DiskImageBuilderVersion=0.1.0-base -nr:false)
#   (cd ../new-checkout && dotnet pack sdk/DiskImageBuilder.Sdk/DiskImageBuilder.Sdk.csproj -c Release \
#        -o /work/bench-feeds/new -p:DiskImageBuilderVersion=0.1.0-new -nr:false)
# then
#   DIB_BENCH_A_FEED=/work/bench-feeds/base DIB_BENCH_A_VERSION=0.1.0-base \
#   DIB_BENCH_B_FEED=/work/bench-feeds/new  DIB_BENCH_B_VERSION=0.1.0-new  ROUNDS=3 bench/compare.sh
#
# ROUNDS: 3 by default; one round takes about twice as long as one incremental.sh round (a few
# minutes each on 2 cores). DIB_BENCH_KEEP=DIR keeps the build logs under DIR/round<N>-<A|B>/;
# DIB_BENCH_ARGS is passed on to every build. Both feeds build the same sample (samples/debian-vm of
# this checkout) with the same incremental.sh, so only the SDK differs. The load averages at the start
# and the end are printed: other work on the machine shows in the figures.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${ROUNDS:-3}
: "${DIB_BENCH_A_FEED:?feed A: DIB_BENCH_A_FEED=DIR (a folder with DiskImageBuilder.Sdk.<version>.nupkg)}"
: "${DIB_BENCH_A_VERSION:?feed A: DIB_BENCH_A_VERSION=the package version in that feed}"
: "${DIB_BENCH_B_FEED:?feed B: DIB_BENCH_B_FEED=DIR}"
: "${DIB_BENCH_B_VERSION:?feed B: DIB_BENCH_B_VERSION=the package version in that feed}"
for side in A B; do
    feed_var=DIB_BENCH_${side}_FEED version_var=DIB_BENCH_${side}_VERSION
    feed=$(cd "${!feed_var}" && pwd) || { echo "feed $side: no folder ${!feed_var}" >&2; exit 1; }
    printf -v "$feed_var" '%s' "$feed"
    [ -f "$feed/DiskImageBuilder.Sdk.${!version_var}.nupkg" ] \
        || { echo "feed $side: no DiskImageBuilder.Sdk.${!version_var}.nupkg in $feed" >&2; exit 1; }
done
results=$(mktemp)
trap 'rm -f "$results"' EXIT

run() { # round, side: one incremental.sh round; appends "side step seconds" to the results
    local round=$1 side=$2 feed_var=DIB_BENCH_${2}_FEED version_var=DIB_BENCH_${2}_VERSION keep=
    [ -n "${DIB_BENCH_KEEP:-}" ] && keep=$DIB_BENCH_KEEP/round$round-$side
    echo "== round $round, $side: SDK ${!version_var} from ${!feed_var}"
    # incremental.sh prints one line per run ("step seconds s stage lines"), then its medians.
    ROUNDS=1 DIB_BENCH_FEED=${!feed_var} DIB_BENCH_VERSION=${!version_var} DIB_BENCH_KEEP=$keep \
        "$here/incremental.sh" | awk -v side="$side" -v out="$results" '
            /^medians of/ { done = 1 }
            !done && $1 ~ /^(cold|noop|script|formats)$/ && $3 == "s" { print side, $1, $2 >> out }
            !done { print "   " $0; fflush() }'
    [ "$(awk -v s="$side" '$1 == s' "$results" | wc -l)" -eq $((4 * round)) ] \
        || { echo "round $round, $side: incremental.sh did not report the four steps" >&2; exit 1; }
}

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then run "$round" A; run "$round" B; else run "$round" B; run "$round" A; fi
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
runs() { awk -v s="$1" -v n="$2" '$1 == s && $2 == n { printf "%s%s", sep, $3; sep = " " }' "$results"; }
echo
echo "medians of $rounds round(s); A = SDK $DIB_BENCH_A_VERSION from $DIB_BENCH_A_FEED"
echo "                         B = SDK $DIB_BENCH_B_VERSION from $DIB_BENCH_B_FEED"
printf '%-8s %10s %10s %7s   %s\n' step "median A" "median B" "B/A" "runs A | runs B (s)"
for name in cold noop script formats; do
    a=$(awk -v n="$name" '$1 == "A" && $2 == n { print $3 }' "$results" | median)
    b=$(awk -v n="$name" '$1 == "B" && $2 == n { print $3 }' "$results" | median)
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }')
    printf '%-8s %8.1f s %8.1f s %7s   %s | %s\n' "$name" "$a" "$b" "$ratio" "$(runs A "$name")" "$(runs B "$name")"
done
