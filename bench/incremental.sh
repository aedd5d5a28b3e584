#!/usr/bin/env bash
# Incremental builds of samples/debian-vm with the stage cache, in order, ROUNDS times (3 by default):
#   cold      empty obj/, bin/ and an empty stage cache
#   noop      nothing changed
#   script    one install.d script of a copied element changed (the root stage comes from the cache)
#   formats   only ImageFormats changed (qcow2 -> qcow2;vmdk)
# Prints each run's time and stage lines, then the medians. Run as root after ./build.sh.
# To measure another build of the SDK, pack it with its own version into its own feed:
#   DIB_BENCH_FEED=/tmp/a/feed DIB_BENCH_VERSION=0.1.0-a bench/incremental.sh
# (each feed gets its own package folder); bench/compare.sh runs this for two feeds side by side.
# DIB_BENCH_KEEP=DIR keeps the build logs there; DIB_BENCH_ARGS adds arguments to every build (e.g. "-v:n -clp:PerformanceSummary").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-3}
feed=${DIB_BENCH_FEED:-$root/artifacts/packages}
version=${DIB_BENCH_VERSION:-$(sed -n 's/.*"DiskImageBuilder.Sdk": "\(.*\)".*/\1/p' "$root/samples/global.json")}
read -r -a extra <<< "${DIB_BENCH_ARGS:-}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A package folder of this feed's own, so that no other copy of the same version is used.
export NUGET_PACKAGES=$work/packages

prepare() { # a fresh copy of the sample with a probe element, and an empty cache
    rm -rf "$work/debian-vm" "$work/cache"
    cp -a "$root/samples/debian-vm" "$work/debian-vm"
    rm -rf "$work/debian-vm/bin" "$work/debian-vm/obj"
    sed "s#\"DiskImageBuilder.Sdk\": \"[^\"]*\"#\"DiskImageBuilder.Sdk\": \"$version\"#" "$root/samples/global.json" > "$work/global.json"
    sed "s#artifacts/packages#$feed#" "$root/nuget.config" > "$work/nuget.config"
    mkdir -p "$work/debian-vm/elements/bench-probe/install.d"
    printf '#!/bin/bash\necho bench-probe 1 > /etc/bench-probe\n' > "$work/debian-vm/elements/bench-probe/install.d/60-bench-probe"
    chmod +x "$work/debian-vm/elements/bench-probe/install.d/60-bench-probe"
    sed -i 's#<Element Include="vm" />#<Element Include="vm" />\n    <Element Include="bench-probe" />\n    <ElementsPath Include="elements" />#' "$work/debian-vm/debian-vm.imgproj"
}
export DiskImageCacheDir=$work/cache

build() { # round, name, extra args
    local round=$1 name=$2; shift 2
    local start seconds; start=$(date +%s.%N)
    dotnet build "$work/debian-vm/debian-vm.imgproj" -nr:false "${extra[@]}" "$@" > "$work/$name.log" 2>&1 \
        || { echo "$name failed: $work/$name.log" >&2; cp "$work/$name.log" /tmp/dib-bench-failed.log; exit 1; }
    seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    echo "$name $seconds" >> "$work/results"
    printf '%-8s %8.1f s   %s\n' "$name" "$seconds" "$(grep -Eo 'stage [a-z-]+: [a-z]+' "$work/$name.log" | tr '\n' ' ')"
    if [ -n "${DIB_BENCH_KEEP:-}" ]; then mkdir -p "$DIB_BENCH_KEEP"; cp "$work/$name.log" "$DIB_BENCH_KEEP/$round-$name.log"; fi
}

for round in $(seq 1 "$rounds"); do
    prepare
    build "$round" cold
    build "$round" noop
    sed -i 's/bench-probe 1/bench-probe 2/' "$work/debian-vm/elements/bench-probe/install.d/60-bench-probe"
    build "$round" script
    build "$round" formats "-p:ImageFormats=qcow2%3Bvmdk"
    if [ -n "${DIB_BENCH_KEEP:-}" ]; then cp "$work/debian-vm/bin/Debug/amd64/debian-vm.qcow2" "$DIB_BENCH_KEEP/debian-vm.qcow2"; fi
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "medians of $rounds (SDK $version from $feed):"
for name in cold noop script formats; do
    printf '%-8s %8.1f s\n' "$name" "$(awk -v n="$name" '$1 == n { print $2 }' "$work/results" | median)"
done
