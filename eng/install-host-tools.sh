#!/usr/bin/env bash
# Installs the host tools that building images and running the tests need, when any is missing.
# Debian and Ubuntu hosts; runs apt-get directly as root, or through sudo.
set -euo pipefail
# Building images: mmdebstrap, qemu-utils, e2fsprogs, util-linux, squashfs-tools, attr (getfattr reads
# file capabilities for tar and container outputs), zstd (the stage cache).
# Tests and benchmarks: fdisk (sfdisk), gdisk (sgdisk), qemu-system-x86 (boots), grub-pc-bin (the baseline pipeline),
# libcap2-bin, skopeo, umoci and podman (container outputs), openssh-client (ssh-keyscan).
# Filesystems of block-device layouts: dosfstools and mtools (vfat), xfsprogs, btrfs-progs. UEFI boot tests: ovmf.
# A program that starts with / is a file to look for.
packages=(mmdebstrap qemu-utils e2fsprogs util-linux squashfs-tools attr zstd fdisk gdisk qemu-system-x86 grub-pc-bin libcap2-bin skopeo umoci podman openssh-client
          dosfstools mtools xfsprogs btrfs-progs ovmf)
programs=(mmdebstrap qemu-img mke2fs unshare mksquashfs getfattr zstd sfdisk sgdisk qemu-system-x86_64 grub-mkimage setcap skopeo umoci podman ssh-keyscan
          mkfs.fat mcopy mkfs.xfs mkfs.btrfs /usr/share/OVMF/OVMF_CODE_4M.fd)
missing=()
for i in "${!programs[@]}"; do
    if [[ ${programs[$i]} == /* ]]; then
        [ -e "${programs[$i]}" ] || missing+=("${packages[$i]}")
        continue
    fi
    command -v "${programs[$i]}" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "${programs[$i]}" >/dev/null 2>&1 \
        || missing+=("${packages[$i]}")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "Host tools: all present."
    exit 0
fi
echo "Host tools: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error DIB5001: missing host tools; as root run: apt-get install -y --no-install-recommends ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
