#!/usr/bin/env bash
# Side-by-side benchmark, one run of each per round, alternating, so both see the same machine:
#   sdk-cold   dotnet build samples/debian-vm from empty obj/ and bin/
#   sdk-noop   the same build again, nothing changed
#   bare       bench/bare-pipeline.sh, the hand-made baseline
# Prints medians of wall time and of peak memory: the peak of the summed resident anonymous memory
# (total_rss) of every process of the run, sampled every 100 ms from a memory cgroup of its own
# (page cache not counted), and the qcow2 sizes. Run as root after ./build.sh. ROUNDS=3 by default.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sample=$root/samples/debian-vm
rounds=${ROUNDS:-3}
work=$(mktemp -d)

cgroup=/sys/fs/cgroup/memory/dib-bench-$$
measure() { # name, command...: appends "name seconds kib" to the results
    local name=$1; shift
    mkdir -p "$cgroup"
    local start peak=0 rss
    start=$(date +%s.%N)
    ( echo "$BASHPID" > "$cgroup/cgroup.procs"; exec "$@" ) > "$work/$name.log" 2>&1 &
    local pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        rss=$(awk '$1 == "total_rss" { print $2 }' "$cgroup/memory.stat")
        [ "${rss:-0}" -gt "$peak" ] && peak=$rss
        sleep 0.1
    done
    wait "$pid" || { echo "$name failed, see $work/$name.log" >&2; exit 1; }
    echo "$name $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }') $((peak / 1024))" >> "$work/results"
    rmdir "$cgroup" 2>/dev/null || true
}

for round in $(seq 1 "$rounds"); do
    rm -rf "$sample/bin" "$sample/obj"
    measure sdk-cold dotnet build "$sample/debian-vm.imgproj" -nr:false
    measure sdk-noop dotnet build "$sample/debian-vm.imgproj" -nr:false
    measure bare "$root/bench/bare-pipeline.sh" "$work/bare"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-10s %12s %16s\n' run "median s" "median peak MiB"
for name in sdk-cold sdk-noop bare; do
    s=$(awk -v n="$name" '$1 == n { print $2 }' "$work/results" | median)
    m=$(awk -v n="$name" '$1 == n { print $3 / 1024 }' "$work/results" | median)
    printf '%-10s %12.1f %16.0f\n' "$name" "$s" "$m"
done
awk -v a="$(stat -c %s "$sample/bin/Debug/amd64/debian-vm.qcow2")" -v b="$(stat -c %s "$work/bare/disk.qcow2")" \
    'BEGIN { printf "qcow2 MiB: sdk %.1f, bare %.1f\n", a / 1048576, b / 1048576 }'
echo "rounds: $rounds; raw results: $work/results"
rm -rf "$work/bare"
