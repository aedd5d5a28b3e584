#!/usr/bin/env bash
# Measures samples/debian-vm: cold build (empty obj/ and bin/, warm NuGet cache), immediate no-op
# rebuild, qcow2 size, and peak memory (GNU time's maximum resident set size: the largest single
# process of the build, MSBuild or a tool it ran). Run as root after ./build.sh. Prints a table.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sample="$root/samples/debian-vm"
runs=${RUNS:-1}
command -v /usr/bin/time >/dev/null || apt-get install -y -q --no-install-recommends time >/dev/null

measure() { # label, then the command; prints "label seconds maxrss_kib"
    local label=$1; shift
    local out; out=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$out" "$@" > "$sample/bench-$label.log" 2>&1
    echo "$label $(cat "$out")"
    rm -f "$out"
}

for i in $(seq 1 "$runs"); do
    rm -rf "$sample/bin" "$sample/obj"
    measure cold dotnet build "$sample/debian-vm.imgproj" -nr:false
    measure noop dotnet build "$sample/debian-vm.imgproj" -nr:false
done | awk -v qcow2="$sample/bin/Debug/amd64/debian-vm.qcow2" '
    { t[$1] = t[$1] " " $2; m[$1] = ($3 > m[$1] ? $3 : m[$1]) }
    END {
        "stat -c %s " qcow2 | getline size
        printf "%-8s %-30s %s\n", "build", "wall seconds (each run)", "peak RSS MiB"
        for (k in t) printf "%-8s %-30s %.0f\n", k, t[k], m[k] / 1024
        printf "qcow2 size: %.1f MiB (%d bytes)\n", size / 1048576, size
    }'
