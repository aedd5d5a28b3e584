#!/usr/bin/env bash
# Installs the host tools that building images and running the tests need, when any is missing.
# Debian and Ubuntu hosts; runs apt-get directly as root, or through sudo.
set -euo pipefail
packages=(mmdebstrap qemu-utils e2fsprogs util-linux fdisk qemu-system-x86 grub-pc-bin openssh-client)
programs=(mmdebstrap qemu-img mke2fs unshare sfdisk qemu-system-x86_64 grub-mkimage ssh-keyscan)
missing=()
for i in "${!programs[@]}"; do
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
