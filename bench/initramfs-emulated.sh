#!/bin/bash
# Measures what the initramfs costs under qemu-user: builds an arm64 (or ARCH=...) Debian minbase tree with the
# cloud kernel once, then times mkinitramfs in it with MODULES=most (Debian's default) and MODULES=list (no
# extra modules), side by side in one run. Root; needs mmdebstrap and qemu-user-static with binfmt registered.
# Usage: bench/initramfs-emulated.sh [WORKDIR]   (ARCH=arm64 KERNEL=linux-image-cloud-arm64 by default)
set -euo pipefail
arch=${ARCH:-arm64}
kernel=${KERNEL:-linux-image-cloud-$arch}
work=${1:-$(mktemp -d /tmp/dib-bench-initramfs.XXXXXX)}
root=$work/root
if [ ! -d "$root/lib/modules" ]; then
    start=$(date +%s)
    unshare -m --propagation private mmdebstrap --mode=root --variant=minbase --arch="$arch" \
        --include="initramfs-tools,zstd,$kernel" --dpkgopt='path-exclude=/usr/share/doc/*' bookworm "$root"
    echo "bootstrap with kernel ($arch): $(( $(date +%s) - start )) s"
fi
echo "modules in the tree: $(find "$root/lib/modules" -name '*.ko*' | wc -l)"
time_one() { # label, extra initramfs.conf lines
    local label=$1; shift
    unshare -m --propagation private bash -c '
        root=$1; label=$2; shift 2
        mount -t proc proc "$root/proc"
        trap "umount \"$root/proc\"; rm -rf \"$root/tmp/conf\" \"$root/tmp/bench.img\"" EXIT
        mkdir -p "$root/tmp/conf"; cp -a "$root/etc/initramfs-tools/." "$root/tmp/conf/"
        for kv in "$@"; do echo "$kv" >> "$root/tmp/conf/initramfs.conf"; done
        v=$(ls "$root/lib/modules")
        s=$(date +%s.%N)
        chroot "$root" mkinitramfs -d /tmp/conf -o /tmp/bench.img "$v" > /dev/null 2>&1
        e=$(date +%s.%N)
        printf "%-12s %8.1f s %10s bytes\n" "$label" "$(echo "$e - $s" | bc)" "$(stat -c %s "$root/tmp/bench.img")"' \
        _ "$root" "$label" "$@"
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
time_one most
time_one list MODULES=list
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tree kept in $work (remove it when done)"
