#!/bin/bash
# Makes the Ubuntu fixture the Ubuntu tests serve on the loopback interface, from packages this host can get:
#   OUT/archive/          an apt archive laid out like Ubuntu's: dists/RELEASE{,-updates,-security,-backports}
#                         with main and universe, InRelease signed with a key made here. Its packages are
#                         Debian's (from the host's apt sources), plus small packages under Ubuntu's names that
#                         Debian lacks: linux-image-virtual and linux-image-generic (depending on Debian's cloud
#                         kernel) and ubuntu-keyring (holding the keyring the ubuntu-common element ships).
#   OUT/cloud/good/       a cloud image folder: RELEASE-server-cloudimg-ARCH.squashfs (a root tree bootstrapped
#                         from that archive with cloud-init, as Ubuntu's has), SHA256SUMS, SHA256SUMS.gpg.
#   OUT/cloud/badsig/     the same with SHA256SUMS changed after signing.
#   OUT/cloud/tampered/   the same with the image changed after SHA256SUMS was signed.
#   OUT/archive-key.gpg   the public key (binary keyring), for DIB_APT_KEYRING and DIB_CLOUD_IMAGES_KEYRING.
# Usage: ubuntu-fixture.sh OUT DEB_CACHE RELEASE KEYRINGS_DIR
# DEB_CACHE keeps the downloaded .deb files across runs. Needs root (mmdebstrap), gpg, dpkg-dev, squashfs-tools.
set -eu -o pipefail
out=$1 debs=$2 release=$3 keyrings=$4
arch=$(dpkg --print-architecture)
mkdir -p "$out" "$debs"
out=$(realpath "$out") debs=$(realpath "$debs")

# 1. The signing key, made for this run only.
export GNUPGHOME="$out/gnupg"
mkdir -p -m 0700 "$GNUPGHOME"
# gpg starts an agent for the key; it must not outlive the script.
trap 'gpgconf --kill gpg-agent 2>/dev/null || true' EXIT
gpg --batch --quiet --passphrase '' --quick-gen-key "DiskImageBuilder.Sdk test archive <test-archive@example.invalid>" ed25519 sign never
gpg --batch --export > "$out/archive-key.gpg"

# 2. Debian's packages: the Essential set and what the elements install, with all dependencies, resolved
# by apt against an empty system with the host's apt sources, into a private state folder.
state="$debs/apt-state"
mkdir -p "$state/lists/partial" "$state/archives/partial"
: > "$state/status"
apt_opts=(-o "Dir::State::Lists=$state/lists" -o "Dir::State::status=$state/status" -o "Dir::Cache=$state"
    -o "Dir::Cache::archives=$debs" -o "APT::Architecture=$arch" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
apt-get -q "${apt_opts[@]}" update > "$out/apt-update.log"
essential=$(apt-cache "${apt_opts[@]}" dumpavail | awk -v RS= '/\nEssential: yes/ { match($0, /^Package: [^\n]+/); print substr($0, 10, RLENGTH - 9) }' | sort -u)
case $arch in amd64) kernel=linux-image-cloud-amd64 ;; arm64) kernel=linux-image-cloud-arm64 ;; *) kernel=linux-image-$arch ;; esac
# shellcheck disable=SC2086
apt-get -q -y "${apt_opts[@]}" --download-only --no-install-recommends install \
    $essential apt gpgv systemd-sysv udev busybox sudo initramfs-tools "$kernel" grub-pc-bin cloud-init \
    apt-transport-https software-properties-common open-iscsi \
    > "$out/apt-download.log"

# Priority and Section come from the archive's override file, not from the packages: mmdebstrap's minbase
# installs the Priority: required set (apt among it), so the indexes must carry Debian's values.
apt-cache "${apt_opts[@]}" dumpavail | awk -v RS= '{
        p = ""; pr = ""; se = ""
        n = split($0, lines, "\n")
        for (i = 1; i <= n; i++) {
            if (lines[i] ~ /^Package: /) p = substr(lines[i], 10)
            else if (lines[i] ~ /^Priority: /) pr = substr(lines[i], 11)
            else if (lines[i] ~ /^Section: /) se = substr(lines[i], 10)
        }
        if (p != "" && pr != "" && !(p in seen)) { seen[p] = 1; print p, pr, (se == "" ? "misc" : se) }
    }' > "$out/override"
archive="$out/archive"
mkdir -p "$archive/pool/main" "$archive/pool/universe"
for deb in "$debs"/*.deb; do
    ln -f "$deb" "$archive/pool/main/" 2>/dev/null || cp "$deb" "$archive/pool/main/"
done

# 3. Ubuntu's names that Debian does not have, as small packages of their own.
meta() {
    local name=$1 depends=$2 dir="$out/meta/$1"
    mkdir -p "$dir/DEBIAN"
    printf 'Package: %s\nVersion: 1.0-dibtest\nArchitecture: %s\nMaintainer: DiskImageBuilder.Sdk tests <tests@example.invalid>\nPriority: optional\nSection: kernel\n%sDescription: %s for the Ubuntu fixture of DiskImageBuilder.Sdk\n' \
        "$name" "${3:-$arch}" "${depends:+Depends: $depends
}" "$name" > "$dir/DEBIAN/control"
    dpkg-deb --root-owner-group --build "$dir" "$archive/pool/main/${name}_1.0-dibtest_${3:-$arch}.deb" > /dev/null
}
meta linux-image-virtual "$kernel"
meta linux-image-generic "$kernel"
mkdir -p "$out/meta/ubuntu-keyring/usr/share/keyrings"
cp "$keyrings/ubuntu-archive-keyring.gpg" "$keyrings/ubuntu-cloudimage-keyring.gpg" "$out/meta/ubuntu-keyring/usr/share/keyrings/"
meta ubuntu-keyring "" all

# 4. The indexes and the signed InRelease of each suite (the pockets are empty, as on a fresh release).
index() {
    local suite=$1 dir
    for component in main universe; do
        dir="$archive/dists/$suite/$component/binary-$arch"
        mkdir -p "$dir"
        if [ "$suite" = "$release" ]; then
            (cd "$archive" && dpkg-scanpackages -m "pool/$component" "$out/override" 2>/dev/null) > "$dir/Packages"
        else
            : > "$dir/Packages"
        fi
        gzip -9nc "$dir/Packages" > "$dir/Packages.gz"
    done
    (
        cd "$archive/dists/$suite"
        printf 'Origin: Ubuntu\nLabel: Ubuntu\nSuite: %s\nCodename: %s\nDate: %s\nArchitectures: %s\nComponents: main universe\nDescription: DiskImageBuilder.Sdk test fixture in the layout of Ubuntu %s\nSHA256:\n' \
            "$suite" "$release" "$(LC_ALL=C date -u -R)" "$arch" "$release"
        find . -type f -name 'Packages*' | sed 's|^\./||' | sort | while read -r f; do
            printf ' %s %16d %s\n' "$(sha256sum "$f" | cut -d' ' -f1)" "$(stat -c %s "$f")" "$f"
        done
    ) > "$out/Release.$suite"
    mv "$out/Release.$suite" "$archive/dists/$suite/Release"
    gpg --batch --yes --quiet --clearsign -o "$archive/dists/$suite/InRelease" "$archive/dists/$suite/Release"
}
for suite in "$release" "$release-updates" "$release-security" "$release-backports"; do
    index "$suite"
done

# 5. The cloud image root: bootstrapped from the fixture archive, with Ubuntu's sources layout (deb822), whose
# URIs name a host that does not exist (.invalid): the ubuntu element must rewrite them to the mirror given.
root="$out/cloud-root"
mmdebstrap --quiet --mode=root --variant=minbase --arch="$arch" --components=main,universe \
    --keyring="$out/archive-key.gpg" --include=ubuntu-keyring,systemd-sysv,udev,sudo,cloud-init \
    --customize-hook='rm -f "$1"/etc/apt/sources.list; mkdir -p "$1"/etc/apt/sources.list.d' \
    --customize-hook='ln -sf ../run/systemd/resolve/stub-resolv.conf "$1"/etc/resolv.conf' \
    --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
    "$release" "$root" "file://$archive" > "$out/cloud-root.log" 2>&1
printf 'Types: deb\nURIs: http://archive.ubuntu-fixture.invalid/ubuntu\nSuites: %s %s-updates %s-backports\nComponents: main universe\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n\nTypes: deb\nURIs: http://security.ubuntu-fixture.invalid/ubuntu\nSuites: %s-security\nComponents: main universe\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n' \
    "$release" "$release" "$release" "$release" > "$root/etc/apt/sources.list.d/ubuntu.sources"
echo ubuntu > "$root/etc/hostname"
image="$release-server-cloudimg-$arch.squashfs"
good="$out/cloud/good"
mkdir -p "$good"
mksquashfs "$root" "$good/$image" -comp zstd -noappend -quiet > /dev/null 2>&1
rm -rf "$root"
(cd "$good" && sha256sum "$image" > SHA256SUMS && printf '%s  %s-server-cloudimg-%s.img\n' "$(printf x | sha256sum | cut -d' ' -f1)" "$release" "$arch" >> SHA256SUMS)
gpg --batch --yes --quiet --detach-sign -o "$good/SHA256SUMS.gpg" "$good/SHA256SUMS"

mkdir -p "$out/cloud/badsig" "$out/cloud/tampered"
cp "$good/SHA256SUMS.gpg" "$out/cloud/badsig/"
sed '2s/^\(.\)/0/' "$good/SHA256SUMS" > "$out/cloud/badsig/SHA256SUMS"
ln "$good/$image" "$out/cloud/badsig/$image"
cp "$good/SHA256SUMS" "$good/SHA256SUMS.gpg" "$out/cloud/tampered/"
cp "$good/$image" "$out/cloud/tampered/$image"
printf 'tampered' >> "$out/cloud/tampered/$image"
echo "fixture ready: $(ls "$archive/pool/main" | wc -l) packages, image $(stat -c %s "$good/$image") bytes"
