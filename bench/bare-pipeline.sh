#!/usr/bin/env bash
# The baseline the SDK is measured against: the same Debian VM made by hand with no framework:
# mmdebstrap with the same packages, mke2fs -d into a partition of a raw file, GRUB placed with dd,
# qemu-img zlib compression. Usage: bare-pipeline.sh OUTDIR. Prints nothing but the tools' output.
set -euo pipefail
out=$1
tree=$out/tree
rm -rf "$out"; mkdir -p "$out"
mmdebstrap --mode=root --variant=minbase \
    --include=systemd-sysv,udev,initramfs-tools,ifupdown,isc-dhcp-client,netbase,linux-image-cloud-amd64,grub-pc-bin \
    --customize-hook='echo "LABEL=cloudimg-rootfs / ext4 defaults 0 1" > "$1/etc/fstab"' \
    --customize-hook='mkdir -p "$1/boot/grub" && cp -r "$1/usr/lib/grub/i386-pc" "$1/boot/grub/"' \
    --customize-hook='printf "set timeout=1\nlinux /vmlinuz root=LABEL=cloudimg-rootfs ro console=ttyS0,115200\ninitrd /initrd.img\nboot\n" > "$1/boot/grub/grub.cfg"' \
    bookworm "$tree"
size_mib=$(( $(du -sxm "$tree" | cut -f1) * 13 / 10 + 128 ))
truncate -s $(( (size_mib + 1) * 1024 * 1024 )) "$out/disk.raw"
printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$out/disk.raw"
mke2fs -q -t ext4 -L cloudimg-rootfs -d "$tree" -E offset=1048576 "$out/disk.raw" "${size_mib}M"
grub-mkimage -O i386-pc -d "$tree/usr/lib/grub/i386-pc" -o "$out/core.img" -p '(hd0,msdos1)/boot/grub' biosdisk part_msdos ext2
dd if="$tree/usr/lib/grub/i386-pc/boot.img" of="$out/disk.raw" bs=440 count=1 conv=notrunc status=none
dd if="$out/core.img" of="$out/disk.raw" bs=512 seek=1 conv=notrunc status=none
qemu-img convert -c -O qcow2 "$out/disk.raw" "$out/disk.qcow2"
