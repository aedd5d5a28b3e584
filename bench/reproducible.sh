#!/usr/bin/env bash
# What reproducibility costs: cold builds of samples/debian-vm with and without SOURCE_DATE_EPOCH, alternating
# (one of each per round) so both see the same machine. Stage cache off, download cache warm (a first build
# that is not counted fills it). "with" clamps the tree, seeds the identifiers and fixes the archives' times;
# "without" sets SourceDateEpochFromGit=false and no epoch, the clock build. Prints the median wall time of
# each and their ratio. Run as root after ./build.sh. ROUNDS=3 by default; each build takes a few minutes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sample=$root/samples/debian-vm
rounds=${ROUNDS:-3}
formats=${FORMATS:-qcow2;raw;tar}
work=$(mktemp -d)
unset SOURCE_DATE_EPOCH

build() { # name, extra properties...
    local name=$1; shift
    rm -rf "$sample/bin" "$sample/obj"
    local start
    start=$(date +%s.%N)
    dotnet build "$sample/debian-vm.imgproj" -nr:false -v:q -p:DiskImageCache=false "-p:ImageFormats=${formats//;/%3B}" "$@" \
        > "$work/$name.log" 2>&1 || { echo "$name failed, see $work/$name.log" >&2; exit 1; }
    echo "$name $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')" >> "$work/results"
}

build warm-up -p:SourceDateEpochFromGit=false
for round in $(seq 1 "$rounds"); do
    build without -p:SourceDateEpochFromGit=false
    build with -p:SourceDateEpoch=1700000000
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
with=$(awk '$1 == "with" { print $2 }' "$work/results" | median)
without=$(awk '$1 == "without" { print $2 }' "$work/results" | median)
printf '%-8s %10s\n' build "median s"
printf '%-8s %10.1f\n' without "$without" with "$with"
awk -v a="$with" -v b="$without" 'BEGIN { printf "with / without: %.3f (%+.1f %%)\n", a / b, (a / b - 1) * 100 }'
echo "formats: $formats; rounds: $rounds; raw results: $work/results"
