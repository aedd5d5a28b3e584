#!/usr/bin/env bash
# Installs the host tools that building images and running the tests need, when any is missing.
# Debian and Ubuntu hosts; runs apt-get directly as root, or through sudo.
set -euo pipefail
# Building images: mmdebstrap, qemu-utils, e2fsprogs, util-linux, squashfs-tools, attr (getfattr reads
# file capabilities for tar and container outputs), zstd (the stage cache).
# Tests and benchmarks: fdisk (sfdisk), gdisk (sgdisk), qemu-system-x86 (boots), grub-pc-bin (the baseline pipeline),
# libcap2-bin, skopeo, umoci and podman (container outputs), openssh-client (ssh-keyscan).
# Filesystems of block-device layouts: dosfstools and mtools (vfat), xfsprogs, btrfs-progs. UEFI boot tests: ovmf.
# Foreign architectures (arm64, ppc64el, and i386 where the kernel does not run it): qemu-user-static and
# binfmt-support run their programs, arch-test tells whether i386 runs natively; their boot tests: qemu-system-arm
# with qemu-efi-aarch64 (AAVMF), qemu-system-ppc (SLOF comes with qemu-system-data).
# The initramfs output's tests: cpio (GNU cpio reads the archive back). The iso output: xorriso, and
# grub-efi-amd64-bin for its UEFI boot (grub-pc-bin and mtools, above, for BIOS and the EFI system image).
# The ubuntu element: cloud-image-utils, whose ubuntu-cloudimg-query knows Ubuntu's cloud image server (the
# default of DIB_CLOUD_IMAGES).
# Pushing to a registry (dotnet publish with ContainerRegistry) is tested against a registry on the loopback interface:
# docker-registry, with apache2-utils' htpasswd for its basic authentication.
# The cloud packages are read back by xmllint (libxml2-utils: the ova's descriptor) and vagrant (`vagrant box add`).
# diskimage-builder's own apt-preferences element (run unmodified by the compatibility tests) reads its manifest with jq.
# Builds as an ordinary user (rootless): uidmap's newuidmap and newgidmap map the user's subordinate ids.
# The RPM family's tests make and sign an RPM repository: rpm (rpmbuild, rpmsign) and createrepo-c; fedora-minimal and
# centos-minimal bootstrap with the host's dnf, opensuse-minimal with the host's zypper (Debian's dnf-plugins-core
# breaks zypper, so neither the elements nor the tests use it).
# A program that starts with / is a file to look for.
packages=(mmdebstrap qemu-utils e2fsprogs util-linux squashfs-tools attr zstd fdisk gdisk qemu-system-x86 grub-pc-bin libcap2-bin skopeo umoci podman openssh-client
          dosfstools mtools xfsprogs btrfs-progs ovmf
          qemu-user-static binfmt-support arch-test qemu-system-arm qemu-efi-aarch64 qemu-system-ppc
          cloud-image-utils cpio xorriso grub-efi-amd64-bin docker-registry apache2-utils libxml2-utils vagrant jq uidmap
          rpm createrepo-c dnf zypper)
programs=(mmdebstrap qemu-img mke2fs unshare mksquashfs getfattr zstd sfdisk sgdisk qemu-system-x86_64 grub-mkimage setcap skopeo umoci podman ssh-keyscan
          mkfs.fat mcopy mkfs.xfs mkfs.btrfs /usr/share/OVMF/OVMF_CODE_4M.fd
          qemu-aarch64-static update-binfmts arch-test qemu-system-aarch64 /usr/share/AAVMF/AAVMF_CODE.fd qemu-system-ppc64
          ubuntu-cloudimg-query cpio xorriso /usr/lib/grub/x86_64-efi/linux.mod docker-registry htpasswd xmllint vagrant jq newuidmap
          rpmbuild createrepo_c dnf zypper)
missing=()
for i in "${!programs[@]}"; do
    if [[ ${programs[$i]} == /* ]]; then
        [ -e "${programs[$i]}" ] || missing+=("${packages[$i]}")
        continue
    fi
    command -v "${programs[$i]}" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "${programs[$i]}" >/dev/null 2>&1 \
        || missing+=("${packages[$i]}")
done
sudo=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then
    sudo=(sudo)
fi
if [ ${#missing[@]} -eq 0 ]; then
    echo "Host tools: all present."
else
    echo "Host tools: installing ${missing[*]}"
    if [ "$(id -u)" -ne 0 ] && [ ${#sudo[@]} -eq 0 ]; then
        echo "error DIB5001: missing host tools; as root run: apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Foreign architectures: the kernel hands their programs to qemu-user through binfmt_misc, registered with the
# fix-binary flag (F) so that a chroot needs no copy of the emulator. binfmt_misc is often not mounted (containers,
# minimal VMs), and Debian registers no qemu-i386 on amd64, whose kernels usually run i386 themselves.
if [ "$(id -u)" -ne 0 ] && [ ${#sudo[@]} -eq 0 ]; then
    echo "Foreign architectures: not set up (needs root); see DIB5004 in docs/errors.md."
    exit 0
fi
binfmt=/proc/sys/fs/binfmt_misc
if [ ! -e "$binfmt/register" ]; then
    "${sudo[@]}" mount -t binfmt_misc binfmt_misc "$binfmt" || { echo "Foreign architectures: cannot mount binfmt_misc; only $(dpkg --print-architecture) images build here." >&2; exit 0; }
fi
for entry in qemu-aarch64 qemu-ppc64le; do
    [ -e "$binfmt/$entry" ] || "${sudo[@]}" update-binfmts --enable "$entry"
done
if [ "$(dpkg --print-architecture)" = amd64 ] && [ ! -e "$binfmt/qemu-i386" ] && ! arch-test -n i386 >/dev/null 2>&1; then
    # QEMU's own magic and mask for i386 ELF programs (e_machine EM_386), with Debian's static emulator.
    echo ':qemu-i386:M::\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00:\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-i386-static:F' \
        | "${sudo[@]}" tee "$binfmt/register" >/dev/null
fi
echo "Foreign architectures: $(arch-test | tr '\n' ' ')"
