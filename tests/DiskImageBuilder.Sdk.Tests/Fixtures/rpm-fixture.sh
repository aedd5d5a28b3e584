#!/bin/bash
# Makes the RPM-family fixture the container element tests serve on the loopback interface, from what this host
# can get (Debian's archive only; no Fedora, Rocky or AlmaLinux mirror or registry is reachable):
#   OUT/layout/          an OCI layout, tag "image" (and "image-arm64", the same said to be arm64): an RPM-family
#                        userland in one layer. Its programs are Debian's
#                        (the Essential set, with Debian's dnf and rpm from MIRROR), with apt and dpkg's programs
#                        taken out, /etc/os-release of Fedora RELEASE, and rpm's database in /var/lib/rpm, so that
#                        dnf runs in the chroot as it does in Fedora's own image.
#   OUT/repo/            an RPM repository (createrepo_c) of small noarch packages built here with rpmbuild, each
#                        holding /usr/share/dib-fixture/NAME, signed with a key made for this run:
#                        the packages the RPM-family elements install, and dib-fixture-probe; the release packages
#                        fedora-minimal bootstraps from (fedora-release-identity-cloud with Fedora's os-release,
#                        fedora-release-common with the system-release(releasever) it provides, fedora-repos, fedora-gpg-keys with this run's key);
#                        and dib-fixture-userland, the same userland as the image's (with rpm's database at
#                        /usr/lib/sysimage/rpm, as Fedora has it), which the fixture's dnf package requires;
#                        openSUSE's release package (Leap 15.6) and base pattern, and a zypper package that requires
#                        the same userland (which has Debian's zypper). Its metadata is signed too (repomd.xml.asc).
#   OUT/repo/RPM-GPG-KEY-dib-fixture   that key, for the .repo file's gpgkey.
#   OUT/badsig/          the same repository with every package signed by another key.
#   OUT/badmeta/         the good repository with its metadata signed by another key.
# Usage: rpm-fixture.sh OUT MIRROR RELEASE [DEB_CACHE]
# DEB_CACHE: a folder of .deb files (the test run's apt download cache) linked into the bootstrap, so that only what
# it lacks is downloaded; nothing is written to it.
# Needs root (mmdebstrap), gpg, rpm (rpmbuild, rpmsign), createrepo-c, umoci.
set -eu -o pipefail
out=$1 mirror=$2 release=$3 debs=${4:-}
# The openSUSE release of the fixture's openSUSE-release package.
suse_release=15.6
mkdir -p "$out"
out=$(realpath "$out")
# rpmbuild and rpmsign read and write ~/.rpmdb and ~/.rpmmacros: a home of the fixture's own.
export HOME="$out/home"
mkdir -p "$HOME"

# 1. The userland, bootstrapped without device nodes (a registry image has none).
cat > "$out/os-release" <<EOF
NAME="Fedora Linux"
ID=fedora
VERSION_ID=$release
PRETTY_NAME="Fedora Linux $release (DiskImageBuilder.Sdk fixture)"
EOF
echo "%_dbpath /var/lib/rpm" > "$out/rpm-macros"
cache_hooks=()
if [ -n "$debs" ] && compgen -G "$debs/*.deb" > /dev/null; then
    cache_hooks=(--skip=download/empty --setup-hook="mkdir -p \"\$1\"/var/cache/apt/archives && cp -l $debs/*.deb \"\$1\"/var/cache/apt/archives/ 2>/dev/null || cp $debs/*.deb \"\$1\"/var/cache/apt/archives/ 2>/dev/null || true")
fi
mmdebstrap --quiet --variant=essential --include=dnf,rpm,zypper,ca-certificates --skip=output/dev "${cache_hooks[@]}" \
    --customize-hook='rm -f "$1"/usr/bin/apt "$1"/usr/bin/apt-* "$1"/usr/bin/dpkg "$1"/usr/bin/dpkg-* "$1"/etc/os-release "$1"/usr/lib/os-release' \
    --customize-hook='mkdir -p "$1"/etc/rpm "$1"/var/lib/rpm "$1"/etc/yum.repos.d' \
    --customize-hook="upload $out/os-release /etc/os-release" \
    --customize-hook="upload $out/rpm-macros /etc/rpm/macros" \
    --customize-hook='rpm --root "$1" --dbpath /var/lib/rpm --initdb' \
    --customize-hook='rm -rf "$1"/var/cache/apt "$1"/var/lib/apt/lists' \
    bookworm "$out/userland.tar" "$mirror" > "$out/mmdebstrap.log" 2>&1
rm -rf "$out/layout"
umoci init --layout "$out/layout"
umoci new --image "$out/layout:image"
umoci raw add-layer --image "$out/layout:image" "$out/userland.tar"
umoci config --image "$out/layout:image" --os linux --architecture "$(dpkg --print-architecture)" \
    --config.cmd /bin/bash --config.label "org.opencontainers.image.title=DiskImageBuilder.Sdk RPM-family fixture"
# The same image described as arm64 only (tag image-arm64), for the test of an image of another architecture.
umoci config --image "$out/layout:image" --tag image-arm64 --architecture arm64


# 2. Two signing keys, made for this run only: the repository's, and another one for badsig.
export GNUPGHOME="$out/gnupg"
rm -rf "$GNUPGHOME"
mkdir -p -m 0700 "$GNUPGHOME"
trap 'gpgconf --kill gpg-agent 2>/dev/null || true' EXIT
gpg --batch --quiet --passphrase '' --quick-gen-key "DiskImageBuilder.Sdk test RPM repository <test-rpm@example.invalid>" rsa2048 sign never
gpg --batch --quiet --passphrase '' --quick-gen-key "Somebody else <other@example.invalid>" rsa2048 sign never

# 3. The packages: what redhat-common and base install on the Red Hat family, and a probe for pkg-map.
build="$out/rpmbuild"
rm -rf "$build"
mkdir -p "$build/SPECS"
# The userland as a package: the image's tree without its os-release (fedora-release-common's), device, proc and sys
# folders, and rpm database (made by the element before anything is installed).
mkdir -p "$build/userland"
tar -xf "$out/userland.tar" -C "$build/userland"
rm -f "$out/userland.tar"
rm -rf "$build/userland"/{dev,proc,sys,var/lib/rpm,etc/os-release,usr/lib/os-release}
echo "%_dbpath /usr/lib/sysimage/rpm" > "$build/userland/etc/rpm/macros"
(cd "$build/userland" && find . -mindepth 1 -maxdepth 1 | sed 's|^\.||') > "$build/userland.files"
cat > "$build/SPECS/dib-fixture-userland.spec" <<EOF
Name: dib-fixture-userland
Version: 1.0
Release: 1
Summary: DiskImageBuilder.Sdk test fixture userland
License: MIT
BuildArch: noarch
AutoReqProv: no
%global __os_install_post %{nil}
%global _build_id_links none
%global _binary_payload w1.gzdio
%global _binaries_in_noarch_packages_terminate_build 0
%global __check_files %{nil}
%description
The programs of the DiskImageBuilder.Sdk tests' RPM-family tree (Debian's, with dnf and rpm).
%install
mkdir -p %{buildroot}
cp -a $build/userland/. %{buildroot}/
%files -f $build/userland.files
%defattr(-,root,root,-)
EOF
rpmbuild --quiet --nodeps --define "_topdir $build" -bb "$build/SPECS/dib-fixture-userland.spec" > /dev/null
rm -rf "$build/userland"

# The release packages' files.
mkdir -p "$build/files"
cat > "$build/files/os-release" <<EOF
NAME="Fedora Linux"
ID=fedora
VERSION_ID=$release
PRETTY_NAME="Fedora Linux $release (DiskImageBuilder.Sdk fixture, bootstrapped)"
EOF
# Fedora's own fedora.repo names Fedora's mirrors; the fixture's names a port nothing listens on, so that a build
# that used it instead of the bootstrap repositories would fail.
cat > "$build/files/fedora.repo" <<'EOF'
[fedora]
name=Fedora $releasever - $basearch (the fixture's release repository)
baseurl=http://127.0.0.1:9/fedora/$releasever/$basearch/
enabled=1
gpgcheck=1
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-fedora-$releasever-$basearch
EOF
gpg --batch --armor --export test-rpm@example.invalid > "$build/files/release-key"
cat > "$build/files/suse-os-release" <<EOF
NAME="openSUSE Leap"
ID="opensuse-leap"
ID_LIKE="suse opensuse"
VERSION_ID="$suse_release"
PRETTY_NAME="openSUSE Leap $suse_release (DiskImageBuilder.Sdk fixture, bootstrapped)"
EOF
# extra NAME: the spec lines a package needs besides its marker file.
extra() {
    case $1 in
        dnf | zypper) echo "Requires: dib-fixture-userland" ;;
        patterns-openSUSE-base) echo "Requires: openSUSE-release" ;;
        util-linux) echo "Provides: util-linux-ng" ;;
        fedora-release-identity-cloud) echo "Provides: fedora-release-identity = 1.0-1" ;;
        fedora-release-common) printf '%s\n' "Requires: fedora-release-identity" "Provides: system-release" "Provides: system-release($release)" "Provides: system-release(releasever) = $release" ;;
    esac
}
# files NAME: the %install lines and %files entries of a package's files besides its marker.
install_files() {
    case $1 in
        fedora-release-identity-cloud) echo "mkdir -p %{buildroot}/usr/lib %{buildroot}/etc; cp $build/files/os-release %{buildroot}/usr/lib/os-release; ln -s ../usr/lib/os-release %{buildroot}/etc/os-release" ;;
        openSUSE-release) echo "mkdir -p %{buildroot}/usr/lib %{buildroot}/etc; cp $build/files/suse-os-release %{buildroot}/usr/lib/os-release; ln -s ../usr/lib/os-release %{buildroot}/etc/os-release" ;;
        fedora-repos) echo "mkdir -p %{buildroot}/etc/yum.repos.d; cp $build/files/fedora.repo %{buildroot}/etc/yum.repos.d/fedora.repo" ;;
        fedora-gpg-keys) echo "mkdir -p %{buildroot}/etc/pki/rpm-gpg; cp $build/files/release-key %{buildroot}/etc/pki/rpm-gpg/RPM-GPG-KEY-fedora-$release-x86_64" ;;
    esac
}
list_files() {
    case $1 in
        fedora-release-identity-cloud | openSUSE-release) printf '%s\n' /usr/lib/os-release /etc/os-release ;;
        fedora-repos) echo "%config(noreplace) /etc/yum.repos.d/fedora.repo" ;;
        fedora-gpg-keys) echo "/etc/pki/rpm-gpg/RPM-GPG-KEY-fedora-$release-x86_64" ;;
    esac
}
# redhat-common's, base's, yum-minimal's and the cloud image elements' packages, Fedora's release packages, and the probe.
for name in lsof tcpdump traceroute which gettext ca-certificates iscsi-initiator-utils dib-fixture-probe \
        basesystem filesystem setup fedora-release-cloud fedora-release-identity-cloud fedora-release-common fedora-repos fedora-gpg-keys \
        dnf dnf-plugins-core curl glibc-minimal-langpack glibc-langpack-en coreutils \
        systemd passwd findutils sudo util-linux systemd-udev \
        audit dracut dracut-config-generic grubby kernel initscripts man-pages redhat-lsb-core redhat-rpm-config \
        NetworkManager dhcp-client pyOpenSSL vim-minimal kernel-modules device-mapper-multipath \
        openSUSE-release patterns-openSUSE-base zypper grep gzip xz python3 ca-certificates-mozilla \
        kernel-default glibc-locale bash lsb-release openssl sed tar open-iscsi; do
    cat > "$build/SPECS/$name.spec" <<EOF
Name: $name
Version: 1.0
Release: 1
Summary: DiskImageBuilder.Sdk test fixture package $name
License: MIT
BuildArch: noarch
AutoReqProv: no
$(extra "$name")
%description
A package of the DiskImageBuilder.Sdk tests' RPM repository.
%install
mkdir -p %{buildroot}/usr/share/dib-fixture
echo "$name from the fixture repository" > %{buildroot}/usr/share/dib-fixture/$name
$(install_files "$name")
%files
/usr/share/dib-fixture/$name
$(list_files "$name")
EOF
    rpmbuild --quiet --nodeps --define "_topdir $build" -bb "$build/SPECS/$name.spec" > /dev/null
done
for repo in repo badsig; do
    rm -rf "${out:?}/$repo"
    mkdir -p "$out/$repo"
    cp "$build"/RPMS/noarch/*.rpm "$out/$repo/"
done
sign() {
    local name=$1
    shift
    rpmsign --addsign --define "_gpg_name $name" --define "_gpg_path $GNUPGHOME" --define "__gpg /usr/bin/gpg" "$@" > /dev/null 2>&1
}
sign test-rpm@example.invalid "$out"/repo/*.rpm
sign other@example.invalid "$out"/badsig/*.rpm
gpg --batch --armor --export test-rpm@example.invalid > "$out/repo/RPM-GPG-KEY-dib-fixture"
cp "$out/repo/RPM-GPG-KEY-dib-fixture" "$out/badsig/"
for repo in repo badsig; do
    createrepo_c --quiet "$out/$repo"
    # zypper checks the metadata's signature (repomd.xml.asc) as well: both are signed with the repository's key, so
    # that badsig fails on its packages' signatures.
    gpg --batch --yes --local-user test-rpm@example.invalid --armor --detach-sign --output "$out/$repo/repodata/repomd.xml.asc" "$out/$repo/repodata/repomd.xml"
    cp "$out/repo/RPM-GPG-KEY-dib-fixture" "$out/$repo/repodata/repomd.xml.key"
done
# badmeta: the good packages, with metadata signed by the other key (hard links; the signature is a new file).
rm -rf "${out:?}/badmeta"
cp -al "$out/repo" "$out/badmeta"
rm -f "$out/badmeta/repodata/repomd.xml.asc"
gpg --batch --yes --local-user other@example.invalid --armor --detach-sign --output "$out/badmeta/repodata/repomd.xml.asc" "$out/badmeta/repodata/repomd.xml"
