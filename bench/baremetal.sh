#!/usr/bin/env bash
# Bare-metal outputs against the disk image, on the samples: build time and size of samples/debian-vm (qcow2) and
# of samples/debian-ramdisk (kernel, initramfs, iso, ipxe), each from empty obj/ and bin/ with the stage cache off
# (the apt download cache stays, as on a developer's machine), then the time from QEMU's
# start to the `login:` prompt for every boot path, one path at a time so that none competes for the CPUs:
#   disk-bios      debian-vm.qcow2, SeaBIOS, GRUB from the disk
#   ramdisk        -kernel debian-ramdisk.kernel -initrd debian-ramdisk.initramfs, no disk
#   iso-bios-cd    debian-ramdisk.iso as a CD-ROM, SeaBIOS        iso-uefi-cd    the same with OVMF
#   iso-bios-disk  the ISO as a disk, SeaBIOS                     iso-uefi-disk  the same with OVMF
#   pxe-bios       no disk; iPXE fetches debian-ramdisk.ipxe and the two files from QEMU's TFTP server
# BOOTS=3 boots each path three times and prints the median. Plain emulation (TCG), 2 GiB, as in the tests.
# Run as root after ./build.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
boots=${BOOTS:-1}
work=$(mktemp -d)

build() { # sample, extra arguments: prints seconds
    local sample=$1; shift
    rm -rf "$root/samples/$sample/bin" "$root/samples/$sample/obj"
    local start
    start=$(date +%s.%N)
    dotnet build "$root/samples/$sample/$sample.imgproj" -nr:false -v:m -p:DiskImageCache=false "$@" > "$work/build-$sample.log" 2>&1 \
        || { echo "building $sample failed, see $work/build-$sample.log" >&2; exit 1; }
    awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }'
}

boot() { # name, qemu arguments: prints seconds to login:, or "none"
    local name=$1; shift
    local log=$work/boot-$name.log start
    start=$(date +%s.%N)
    timeout 300 qemu-system-x86_64 -accel tcg -m 2048 -nographic -serial mon:stdio -no-reboot "$@" > "$log" 2>&1 < /dev/null &
    local pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        if grep -q "login:" "$log"; then
            awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }'
            kill "$pid"; wait "$pid" 2>/dev/null || true
            return
        fi
        sleep 0.5
    done
    echo none
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR == 0 ? "none" : a[int((NR + 1) / 2)]) }'; }

mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.0f", b / 1048576 }'; }

vm_seconds=$(build debian-vm)
ramdisk_seconds=$(build debian-ramdisk "-p:ImageFormats=iso%3Bipxe")
vm=$root/samples/debian-vm/bin/Debug/amd64
rd=$root/samples/debian-ramdisk/bin/Debug/amd64
printf '%-34s %8s %8s\n' build seconds MiB
printf '%-34s %8s %8s\n' "debian-vm (qcow2)" "$vm_seconds" "$(mib "$vm/debian-vm.qcow2")"
printf '%-34s %8s %8s\n' "debian-ramdisk (all four files)" "$ramdisk_seconds" "-"
for file in kernel initramfs iso; do
    printf '%-34s %8s %8s\n' "  debian-ramdisk.$file" "" "$(mib "$rd/debian-ramdisk.$file")"
done
grep -h "initramfs: .* of files" "$work/build-debian-ramdisk.log" | head -n 1 | sed 's/^ */  /'

uefi() { # a fresh variable store per boot
    cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"
    echo "-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd -drive if=pflash,format=raw,file=$work/vars.fd"
}
declare -A paths=(
    [disk-bios]="-drive file=$vm/debian-vm.qcow2,format=qcow2,if=virtio,snapshot=on -nic none"
    [ramdisk]="-kernel $rd/debian-ramdisk.kernel -initrd $rd/debian-ramdisk.initramfs -append console=ttyS0 -nic none"
    [iso-bios-cd]="-cdrom $rd/debian-ramdisk.iso -nic none"
    [iso-bios-disk]="-drive file=$rd/debian-ramdisk.iso,format=raw,if=virtio,snapshot=on -nic none"
    [iso-uefi-cd]="-cdrom $rd/debian-ramdisk.iso -nic none UEFI"
    [iso-uefi-disk]="-drive file=$rd/debian-ramdisk.iso,format=raw,if=virtio,snapshot=on -nic none UEFI"
    [pxe-bios]="-boot n -nic user,model=virtio-net-pci,tftp=$rd,bootfile=debian-ramdisk.ipxe"
)
printf '\n%-16s %s\n' "boot path" "seconds to login: (median of $boots)"
for name in disk-bios ramdisk iso-bios-cd iso-bios-disk iso-uefi-cd iso-uefi-disk pxe-bios; do
    args=${paths[$name]}
    for _ in $(seq "$boots"); do
        # shellcheck disable=SC2046,SC2086
        if [[ $args == *UEFI ]]; then boot "$name" ${args% UEFI} $(uefi); else boot "$name" $args; fi
        echo
    done | median | xargs printf '%-16s %s\n' "$name"
done
rm -rf "$work"
