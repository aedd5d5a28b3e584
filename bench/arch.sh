#!/usr/bin/env bash
# Each architecture side by side, in one run: the cold build time of samples/debian-vm per TargetArch (empty obj/,
# bin/, stage cache and download cache), a second cold build with the download cache kept (what the apt cache
# saves, and proof that it works for that architecture), and the time from QEMU's start to the login prompt
# under plain emulation (TCG) with the machine and firmware the tests use. Also prints, per build, the three
# slowest element scripts from the build's timing table: under emulation, that says which phase costs the most.
# Run as root after ./build.sh and eng/install-host-tools.sh (which registers qemu-user for foreign architectures).
#   ARCHS="amd64 arm64 ppc64el i386" (default) bench/arch.sh
# WARM=0 skips the second build (about halves the run). DIB_BENCH_KEEP=DIR keeps the build logs and boot consoles there. The architectures run one after another, so each
# gets the whole machine; the load averages at the start and the end show other work on it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
archs=${ARCHS:-amd64 arm64 ppc64el i386}
feed=${DIB_BENCH_FEED:-$root/artifacts/packages}
version=${DIB_BENCH_VERSION:-$(sed -n 's/.*"DiskImageBuilder.Sdk": "\(.*\)".*/\1/p' "$root/samples/global.json")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NUGET_PACKAGES=$work/packages DiskImageCacheDir=$work/cache
sed "s#\"DiskImageBuilder.Sdk\": \"[^\"]*\"#\"DiskImageBuilder.Sdk\": \"$version\"#" "$root/samples/global.json" > "$work/global.json"
sed "s#artifacts/packages#$feed#" "$root/nuget.config" > "$work/nuget.config"

build() { # arch, name: a cold build of a fresh copy of the sample; prints seconds
    local arch=$1 name=$2 start
    rm -rf "$work/debian-vm" "$DiskImageCacheDir/stages"
    cp -a "$root/samples/debian-vm" "$work/debian-vm"
    rm -rf "$work/debian-vm/bin" "$work/debian-vm/obj"
    start=$(date +%s.%N)
    dotnet build "$work/debian-vm/debian-vm.imgproj" -nr:false -v:n -p:TargetArch="$arch" -p:ImageFormats=raw > "$work/$arch-$name.log" 2>&1 \
        || { echo "$arch $name failed: /tmp/dib-bench-failed.log" >&2; cp "$work/$arch-$name.log" /tmp/dib-bench-failed.log; exit 1; }
    awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
    if [ -n "${DIB_BENCH_KEEP:-}" ]; then mkdir -p "$DIB_BENCH_KEEP"; cp "$work/$arch-$name.log" "$DIB_BENCH_KEEP/"; fi
}

slowest() { # arch, name: the two slowest phases and three slowest scripts of the build's timing table
    awk '$1 ~ /^[a-z-]+\.d$/ && NF == 2 && $2 ~ /^[0-9.]+$/ { print $2, $1 }' "$work/$1-$2.log" | sort -rn | head -n 2 | awk '{ printf "%s %s s, ", $2, $1 }'
    awk 'NF == 3 && $2 ~ /^\(.*\)$/ && $3 ~ /^[0-9.]+$/ { print $3, $1 }' "$work/$1-$2.log" | sort -rn | head -n 3 | awk '{ printf "%s %s s, ", $2, $1 }'
}

boot() { # arch: seconds from QEMU's start to "login:" on the serial console, or "none" after 15 minutes
    local arch=$1 image=$work/debian-vm/bin/Debug/$1/debian-vm.raw console=$work/$1-console.log pid start
    local -a machine
    case "$arch" in
        amd64) machine=(qemu-system-x86_64) ;;
        i386) machine=(qemu-system-i386) ;;
        arm64) cp /usr/share/AAVMF/AAVMF_VARS.fd "$work/vars.fd"
               machine=(qemu-system-aarch64 -M virt -cpu cortex-a57
                        -drive if=pflash,format=raw,readonly=on,file=/usr/share/AAVMF/AAVMF_CODE.fd -drive "if=pflash,format=raw,file=$work/vars.fd") ;;
        ppc64el) machine=(qemu-system-ppc64 -M pseries) ;;
    esac
    : > "$console"
    start=$(date +%s.%N)
    "${machine[@]}" -accel tcg -m 1024 -display none -monitor none -serial "file:$console" -no-reboot -snapshot -nic none \
        -drive "file=$image,format=raw,if=virtio" & pid=$!
    for _ in $(seq 1 900); do
        grep -q 'login:' "$console" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    if grep -q 'login:' "$console"; then awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; else printf none; fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ -n "${DIB_BENCH_KEEP:-}" ]; then cp "$console" "$DIB_BENCH_KEEP/"; fi
}

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %10s %14s %10s   %s\n' arch cold warm-apt login "slowest scripts (cold)"
for arch in $archs; do
    rm -rf "$DiskImageCacheDir"
    cold=$(build "$arch" cold)
    login=$(boot "$arch")
    warm=skipped
    if [ "${WARM:-1}" != 0 ]; then warm=$(build "$arch" warm-apt); fi
    printf '%-8s %8s s %12s s %8s s   %s\n' "$arch" "$cold" "$warm" "$login" "$(slowest "$arch" cold)"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
