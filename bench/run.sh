#!/usr/bin/env bash
# Side-by-side benchmark, one run of each per round, alternating, so both see the same machine:
#   sdk-cold   dotnet build samples/debian-vm from empty obj/ and bin/
#   sdk-noop   the same build again, nothing changed
#   bare       bench/bare-pipeline.sh, the hand-made baseline
# Prints medians of wall time and peak RSS (GNU time's maximum resident set size: the largest single
# process of the run) and the qcow2 sizes. Run as root after ./build.sh. ROUNDS=3 by default.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sample=$root/samples/debian-vm
rounds=${ROUNDS:-3}
work=$(mktemp -d)
command -v /usr/bin/time >/dev/null || apt-get install -y -q --no-install-recommends time >/dev/null

measure() { # name, command...: appends "name seconds kib" to the results
    local name=$1; shift
    /usr/bin/time -f "$name %e %M" -a -o "$work/results" "$@" > "$work/$name.log" 2>&1 \
        || { echo "$name failed, see $work/$name.log" >&2; exit 1; }
}

for round in $(seq 1 "$rounds"); do
    rm -rf "$sample/bin" "$sample/obj"
    measure sdk-cold dotnet build "$sample/debian-vm.imgproj" -nr:false
    measure sdk-noop dotnet build "$sample/debian-vm.imgproj" -nr:false
    measure bare "$root/bench/bare-pipeline.sh" "$work/bare"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-10s %12s %14s\n' run "median s" "median RSS MiB"
for name in sdk-cold sdk-noop bare; do
    s=$(awk -v n="$name" '$1 == n { print $2 }' "$work/results" | median)
    m=$(awk -v n="$name" '$1 == n { print $3 / 1024 }' "$work/results" | median)
    printf '%-10s %12.1f %14.0f\n' "$name" "$s" "$m"
done
awk -v a="$(stat -c %s "$sample/bin/Debug/amd64/debian-vm.qcow2")" -v b="$(stat -c %s "$work/bare/disk.qcow2")" \
    'BEGIN { printf "qcow2 MiB: sdk %.1f, bare %.1f\n", a / 1048576, b / 1048576 }'
echo "rounds: $rounds; raw results: $work/results"
rm -rf "$work/bare"
