#!/bin/bash
# Makes the vendor cloud images the fedora, centos and rhel element tests read, from the RPM-family fixture of
# rpm-fixture.sh (its OCI layout's userland and its signing keys), laid out as the vendors lay theirs out:
#   OUT/cloud-images/fedora/      Fedora-Cloud-Base-Generic-RELEASE-1.6.x86_64.qcow2: GPT with a BIOS boot partition,
#                                 an EFI system partition (vfat), /boot (ext4, label boot) and a btrfs filesystem
#                                 (label fedora) whose subvolume root is the tree and subvolume home holds /home,
#                                 placed by the tree's /etc/fstab (UUIDs); Fedora-Cloud-RELEASE-1.6-x86_64-CHECKSUM
#                                 listing it, clearsigned with the fixture's key (and an older compose's file, 1.2,
#                                 listing an image that is not there, to show that the newest is taken).
#   OUT/cloud-images/fedora-badsig/  the same image, its CHECKSUM clearsigned by another key.
#   OUT/cloud-images/centos/      CentOS-Stream-GenericCloud-9-latest.x86_64.qcow2: BIOS boot, EFI (vfat), /boot (XFS,
#                                 label boot) and / (XFS, label root, a partition name that mimics sfdisk's fields),
#                                 and its .SHA256SUM; its fstab also names mount points that must not be read (//, /.,
#                                 /../../tmp, /srv a link to /etc, a subvol= option on XFS).
#   OUT/cloud-images/centos-badsum/  the same image with a .SHA256SUM that names another SHA-256.
#   OUT/cloud-images/backing/     a qcow2 whose backing file is a file of the host, and its .SHA256SUM.
# Every file of the tree that the tests look for names where it came from (/usr/share/dib-fixture/cloud-image-*).
# Usage: cloud-image-fixture.sh OUT RELEASE   (OUT as rpm-fixture.sh made it; run as root in a private mount namespace:
# the XFS and btrfs filesystems are filled through loop mounts, which end with the script)
set -eu -o pipefail
out=$(realpath "$1") release=$2
dir="$out/cloud-images"
work="$out/cloud-work"
rm -rf "$dir" "$work"
mkdir -p "$dir"/{fedora,fedora-badsig,centos,centos-badsum,backing} "$work/mnt"
export GNUPGHOME="$out/gnupg"
cleanup() {
    umount -R "$work/mnt" 2> /dev/null || true
    gpgconf --kill gpg-agent 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The userland of the registry image, as the root of both images.
umoci raw unpack --image "$out/layout:image" "$work/tree" > /dev/null
mkdir -p "$work/tree/usr/share/dib-fixture" "$work/tree/boot" "$work/tree/home"
echo "from the cloud image's root filesystem" > "$work/tree/usr/share/dib-fixture/cloud-image-root"

# fill FS_IMAGE TYPE SOURCE [SUBVOLUME]: copies SOURCE into the filesystem (a subvolume of a btrfs).
fill() {
    local image=$1 type=$2 source=$3 subvol=${4:-} target=$work/mnt
    mount -t "$type" -o loop "$image" "$work/mnt"
    if [ -n "$subvol" ]; then
        btrfs subvolume create "$work/mnt/$subvol" > /dev/null
        target=$work/mnt/$subvol
    fi
    tar -C "$source" --numeric-owner -cf - . | tar -C "$target" --numeric-owner -xpf -
    umount "$work/mnt"
}
uuid_of() { blkid -o value -s UUID "$1"; }
# disk OUT_RAW ROOT_TYPE BOOT_IMAGE ROOT_IMAGE: GPT of BIOS boot, EFI, boot and root, each image written at its offset.
disk() {
    local raw=$1 efi=$2 boot=$3 root=$4 boot_mib root_mib
    boot_mib=$(($(stat -c %s "$boot") / 1048576))
    root_mib=$(($(stat -c %s "$root") / 1048576))
    truncate -s $((1 + 1 + 32 + boot_mib + root_mib + 1))M "$raw"
    sgdisk -n 1:2048:+1M -t 1:EF02 -c 1:bios \
        -n 2:0:+32M -t 2:EF00 -c 2:efi \
        -n 3:0:+${boot_mib}M -t 3:8300 -c 3:boot \
        -n 4:0:+${root_mib}M -t 4:8300 -c 4:root "$raw" > /dev/null
    local part=2 image start
    for image in "$efi" "$boot" "$root"; do
        start=$(sgdisk -i $part "$raw" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
        dd if="$image" of="$raw" bs=512 seek="$start" conv=notrunc,sparse status=none
        part=$((part + 1))
    done
}
efi() {
    local image=$1 vendor=$2
    truncate -s 32M "$image"
    mkfs.vfat -n EFI "$image" > /dev/null
    echo "from the cloud image's EFI system partition" > "$work/efi-marker"
    mmd -i "$image" ::EFI "::EFI/$vendor"
    mcopy -i "$image" "$work/efi-marker" "::EFI/$vendor/dib-fixture-efi"
}
boot_tree() {
    rm -rf "$work/boot"
    # /boot/efi is a folder of the /boot filesystem, where the EFI system partition is mounted.
    mkdir -p "$work/boot/loader/entries" "$work/boot/efi"
    echo "from the cloud image's /boot partition" > "$work/boot/dib-fixture-boot"
    printf 'title Fixture\nversion 6.0.0-1.fc%s.x86_64\nlinux /vmlinuz-6.0.0\n' "$release" \
        > "$work/boot/loader/entries/0123456789abcdef0123456789abcdef-6.0.0-1.x86_64.conf"
}

# Fedora: ext4 /boot, btrfs with subvolumes root and home.
boot_tree
efi "$work/fedora-efi.img" fedora
mke2fs -q -t ext4 -L boot -d "$work/boot" "$work/fedora-boot.img" 64M
truncate -s 1G "$work/fedora-root.img"
mkfs.btrfs -q -L fedora "$work/fedora-root.img" > /dev/null
mkdir -p "$work/home/fedora"
echo "from the btrfs subvolume home" > "$work/home/fedora/dib-fixture-home"
cat > "$work/tree/etc/fstab" <<EOF
# The fixture's Fedora Cloud layout.
UUID=$(uuid_of "$work/fedora-root.img") / btrfs compress=zstd:1,subvol=root 0 0
UUID=$(uuid_of "$work/fedora-boot.img") /boot ext4 defaults 1 2
UUID=$(uuid_of "$work/fedora-root.img") /home btrfs compress=zstd:1,subvol=home 0 0
UUID=$(uuid_of "$work/fedora-efi.img") /boot/efi vfat umask=0077,shortname=winnt 0 2
EOF
fill "$work/fedora-root.img" btrfs "$work/tree" root
fill "$work/fedora-root.img" btrfs "$work/home" home
disk "$work/fedora.raw" "$work/fedora-efi.img" "$work/fedora-boot.img" "$work/fedora-root.img"
fedora=Fedora-Cloud-Base-Generic-$release-1.6.x86_64.qcow2
qemu-img convert -f raw -O qcow2 "$work/fedora.raw" "$dir/fedora/$fedora"
ln "$dir/fedora/$fedora" "$dir/fedora-badsig/$fedora"
sum=$(sha256sum < "$dir/fedora/$fedora" | cut -d' ' -f1)
printf '# Fedora-Cloud-%s-1.6-x86_64-CHECKSUM (fixture)\nSHA256 (%s) = %s\n' "$release" "$fedora" "$sum" > "$work/CHECKSUM"
gpg --batch --yes --local-user test-rpm@example.invalid --clearsign --output "$dir/fedora/Fedora-Cloud-$release-1.6-x86_64-CHECKSUM" "$work/CHECKSUM"
gpg --batch --yes --local-user other@example.invalid --clearsign --output "$dir/fedora-badsig/Fedora-Cloud-$release-1.6-x86_64-CHECKSUM" "$work/CHECKSUM"
printf 'SHA256 (Fedora-Cloud-Base-Generic-%s-1.2.x86_64.qcow2) = %064d\n' "$release" 0 > "$work/CHECKSUM.old"
gpg --batch --yes --local-user test-rpm@example.invalid --clearsign --output "$dir/fedora/Fedora-Cloud-$release-1.2-x86_64-CHECKSUM" "$work/CHECKSUM.old"
rm -f "$work"/fedora*.img "$work/fedora.raw"

# CentOS Stream: XFS /boot and XFS / (each at least the 300 MiB mkfs.xfs allows).
boot_tree
efi "$work/centos-efi.img" centos
truncate -s 300M "$work/centos-boot.img"
mkfs.xfs -q -L boot "$work/centos-boot.img"
truncate -s 1G "$work/centos-root.img"
mkfs.xfs -q -L root "$work/centos-root.img"
sed -i 's/^ID=.*/ID="centos"/; s/^NAME=.*/NAME="CentOS Stream"/; s/^VERSION_ID=.*/VERSION_ID="9"/' "$work/tree/etc/os-release"
# Besides CentOS's own lines, mount points a hostile image could write, which must not be read: the root itself
# (//, /.), a way out (/../..), a link out of the image (/srv -> /etc), and a subvolume option on XFS.
rm -rf "$work/tree/srv"
ln -s /etc "$work/tree/srv"
cat > "$work/tree/etc/fstab" <<EOF
UUID=$(uuid_of "$work/centos-root.img") / xfs defaults 0 0
UUID=$(uuid_of "$work/centos-boot.img") /boot xfs defaults 0 0
UUID=$(uuid_of "$work/centos-efi.img") /boot/efi vfat defaults,uid=0,gid=0,umask=077,shortname=winnt 0 2
UUID=$(uuid_of "$work/centos-boot.img") // xfs defaults 0 0
UUID=$(uuid_of "$work/centos-boot.img") /. xfs defaults 0 0
UUID=$(uuid_of "$work/centos-boot.img") /../../tmp xfs defaults 0 0
UUID=$(uuid_of "$work/centos-boot.img") /srv xfs defaults 0 0
UUID=$(uuid_of "$work/centos-root.img") /home xfs subvol=home 0 0
EOF
fill "$work/centos-root.img" xfs "$work/tree"
fill "$work/centos-boot.img" xfs "$work/boot"
disk "$work/centos.raw" "$work/centos-efi.img" "$work/centos-boot.img" "$work/centos-root.img"
# A partition name that looks like sfdisk's fields (the name comes after them in sfdisk's dump and must not be read).
sgdisk -c '4:root start=09, size=1' "$work/centos.raw" > /dev/null
centos=CentOS-Stream-GenericCloud-9-latest.x86_64.qcow2
qemu-img convert -f raw -O qcow2 "$work/centos.raw" "$dir/centos/$centos"
ln "$dir/centos/$centos" "$dir/centos-badsum/$centos"
sum=$(sha256sum < "$dir/centos/$centos" | cut -d' ' -f1)
printf 'SHA256 (%s) = %s\n' "$centos" "$sum" > "$dir/centos/$centos.SHA256SUM"
printf 'SHA256 (%s) = %s\n' "$centos" "$(printf '%s' "$sum" | tr '0-9a-f' '1-9a-f0')" > "$dir/centos-badsum/$centos.SHA256SUM"
rm -f "$work"/centos*.img "$work/centos.raw"

# A qcow2 that would read a host file through its backing file.
qemu-img create -q -f qcow2 -F raw -b /etc/hostname "$dir/backing/$centos"
printf 'SHA256 (%s) = %s\n' "$centos" "$(sha256sum < "$dir/backing/$centos" | cut -d' ' -f1)" > "$dir/backing/$centos.SHA256SUM"
