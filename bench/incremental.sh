#!/usr/bin/env bash
# Incremental builds of samples/debian-vm with the stage cache, one run each, in order:
#   cold      empty obj/, bin/ and an empty stage cache
#   noop      nothing changed
#   script    one install.d script of a copied element changed (the root stage comes from the cache)
#   formats   only ImageFormats changed (qcow2 -> qcow2;vmdk)
# Run as root after ./build.sh. The cache lives in a temporary folder; the sample is copied there too.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
cp -a "$root/samples/debian-vm" "$work/debian-vm"
cp "$root/global.json" "$root/nuget.config" "$work/"
sed -i "s#artifacts/packages#$root/artifacts/packages#" "$work/nuget.config"
mkdir -p "$work/debian-vm/elements/bench-probe/install.d"
printf '#!/bin/bash\necho bench-probe 1 > /etc/bench-probe\n' > "$work/debian-vm/elements/bench-probe/install.d/60-bench-probe"
chmod +x "$work/debian-vm/elements/bench-probe/install.d/60-bench-probe"
sed -i 's#<Element Include="vm" />#<Element Include="vm" />\n    <Element Include="bench-probe" />\n    <ElementsPath Include="elements" />#' "$work/debian-vm/debian-vm.imgproj"
export DiskImageCacheDir=$work/cache
build() { # name, extra args
    local name=$1; shift
    local start; start=$(date +%s.%N)
    dotnet build "$work/debian-vm/debian-vm.imgproj" -nr:false "$@" > "$work/$name.log" 2>&1 || { echo "$name failed: $work/$name.log" >&2; exit 1; }
    printf '%-8s %8.1f s   %s\n' "$name" "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')" \
        "$(grep -Eo 'stage [a-z-]+: [a-z]+' "$work/$name.log" | tr '\n' ' ')"
}
build cold
build noop
sed -i 's/bench-probe 1/bench-probe 2/' "$work/debian-vm/elements/bench-probe/install.d/60-bench-probe"
build script
build formats "-p:ImageFormats=qcow2%3Bvmdk"
rm -rf "$work"
