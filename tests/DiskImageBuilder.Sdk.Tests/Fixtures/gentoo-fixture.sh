#!/bin/bash
# Makes the Gentoo mirror the gentoo element tests build from, from the RPM-family fixture of rpm-fixture.sh (its
# OCI layout's userland and its signing keys); no Gentoo mirror is reachable from the build hosts, and Debian has no
# portage. Laid out as a Gentoo mirror is:
#   OUT/gentoo/releases/amd64/autobuilds/latest-stage3-amd64-openrc.txt   clearsigned with the fixture's key, naming
#       TS/stage3-amd64-openrc-TS.tar.xz, a "stage3": the userland with Gentoo's /etc/os-release, make.conf,
#       /etc/locale.gen, a portage database of one package, and stand-ins for portage's programs (emerge, eselect,
#       locale-gen, etc-update, emaint, portageq, emerge-webrsync) that record each call in
#       /usr/share/dib-fixture/portage-calls; emerge refuses an invalid profile and a package the snapshot does not
#       have, as portage does, and records what it installs in /var/db/pkg and /var/lib/portage/world.
#       Its .asc is a detached signature by the fixture's key.
#   latest-stage3-amd64-desktop-openrc.txt   signed, naming an archive whose .asc is by another key.
#   latest-stage3-amd64-hostile-openrc.txt   signed, naming a signed archive whose /etc is a link to /etc.
#   OUT/gentoo/snapshots/gentoo-latest.tar.xz (.gpgsig): the ebuild repository, gentoo-DATE/ with the profiles
#       default/linux/{amd64,arm64}/23.0 (and amd64's desktop, hostile and systemd) and the packages the tests install.
#   OUT/gentoo-badsig/releases/amd64/autobuilds/latest-stage3-amd64-openrc.txt   clearsigned by another key.
# Usage: gentoo-fixture.sh OUT   (OUT as rpm-fixture.sh made it)
set -eu -o pipefail
out=$(realpath "$1")
mirror="$out/gentoo"
work="$out/gentoo-work"
export GNUPGHOME="$out/gnupg"
rm -rf "$mirror" "$out/gentoo-badsig" "$work"
trap 'gpgconf --kill gpg-agent 2> /dev/null || true; rm -rf "$work"' EXIT
ts=20261201T170000Z
autobuilds="$mirror/releases/amd64/autobuilds"
mkdir -p "$autobuilds/$ts" "$mirror/snapshots" "$out/gentoo-badsig/releases/amd64/autobuilds" "$work"

# 1. The stage3: the userland as Gentoo's.
umoci raw unpack --image "$out/layout:image" "$work/stage3" > /dev/null
root="$work/stage3"
# Small: without the RPM-family fixture's package managers, Python, Perl, ICU and documentation (the element's scripts
# need bash and coreutils). No dpkg or rpm database: a Gentoo tree has portage's only.
rm -rf "$root"/usr/share/{doc,locale,man,perl,augeas} "$root"/usr/lib/python3* "$root"/usr/bin/{dnf*,zypper,rpm*,perl*,python3*} \
    "$root"/usr/lib/x86_64-linux-gnu/{perl,libicu*,libzypp*,libpython*,gconv,libdnf*,librpm*,libsolv*}
rm -rf "$root/etc/os-release" "$root/usr/lib/os-release" "$root/var/lib/dpkg" "$root/var/lib/rpm" "$root/usr/lib/sysimage/rpm"
cat > "$root/usr/lib/os-release" <<'EOF'
NAME=Gentoo
ID=gentoo
PRETTY_NAME="Gentoo Linux (DiskImageBuilder.Sdk fixture)"
VERSION_ID="2.17"
EOF
ln -s ../usr/lib/os-release "$root/etc/os-release"
mkdir -p "$root/etc/portage" "$root/var/db/pkg/sys-apps/baselayout-2.17" "$root/var/lib/portage" "$root/usr/share/dib-fixture" "$root/var/cache/distfiles"
echo x86_64-pc-linux-gnu > "$root/var/db/pkg/sys-apps/baselayout-2.17/CHOST"
echo "sys-apps/baselayout" > "$root/var/lib/portage/world"
cat > "$root/etc/portage/make.conf" <<'EOF'
# The fixture stage3's make.conf
COMMON_FLAGS="-O2 -pipe"
CHOST="x86_64-pc-linux-gnu"
EOF
echo "# /etc/locale.gen of the fixture stage3" > "$root/etc/locale.gen"
echo "made by Fixtures/gentoo-fixture.sh" > "$root/usr/share/dib-fixture/gentoo-stage3"

# The stand-ins. Each records its call; emerge does what the tests look for.
record='echo "$(basename "$0") $*" >> /usr/share/dib-fixture/portage-calls'
for tool in eselect etc-update emaint portageq emerge-webrsync; do
    printf '#!/bin/bash\n%s\n' "$record" > "$root/usr/bin/$tool"
done
cat >> "$root/usr/bin/eselect" <<'EOF'
if [ "$1 $2" = "locale set" ]; then
    mkdir -p /etc/env.d
    echo "LANG=\"$3\"" > /etc/env.d/02locale
fi
EOF
cat > "$root/usr/sbin/locale-gen" <<EOF
#!/bin/bash
$record
grep -v '^#' /etc/locale.gen | grep -q . || { echo "locale-gen: no locales in /etc/locale.gen" >&2; exit 1; }
EOF
cat > "$root/usr/bin/emerge" <<EOF
#!/bin/bash
# A stand-in for portage's emerge (see gentoo-fixture.sh).
$record
echo "  USE=\${USE:-} FEATURES=\${FEATURES:-}" >> /usr/share/dib-fixture/portage-calls
EOF
cat >> "$root/usr/bin/emerge" <<'EOF'
set -eu
repo=/var/db/repos/gentoo
if [ ! -d /etc/portage/make.profile ]; then
    echo "!!! Your current profile is invalid. You must set /etc/portage/make.profile to a valid profile." >&2
    exit 1
fi
deselect=0 depclean=0 oneshot=0 atoms=()
for arg in "$@"; do
    case "$arg" in
        --deselect) deselect=1 ;;
        --depclean) depclean=1 ;;
        --oneshot | -1) oneshot=1 ;;
        -*) ;;
        @*) ;;
        *) atoms+=("$arg") ;;
    esac
done
world=/var/lib/portage/world
for atom in "${atoms[@]}"; do
    if [ "$deselect" = 1 ]; then
        grep -vxF "$atom" "$world" > "$world.new" || true
        mv "$world.new" "$world"
        continue
    fi
    if [ ! -d "$repo/$atom" ]; then
        echo "emerge: there are no ebuilds to satisfy \"$atom\"." >&2
        exit 1
    fi
    mkdir -p "/var/db/pkg/$atom-1.0"
    echo x86_64-pc-linux-gnu > "/var/db/pkg/$atom-1.0/CHOST"
    touch "/var/db/pkg/$atom-1.0/DIB_FIXTURE"
    [ "$oneshot" = 1 ] || grep -qxF "$atom" "$world" || echo "$atom" >> "$world"
done
if [ "$depclean" = 1 ]; then
    for dir in /var/db/pkg/*/*; do
        [ -e "$dir/DIB_FIXTURE" ] || continue
        atom=${dir#/var/db/pkg/}
        grep -qxF "${atom%-1.0}" "$world" || rm -rf "$dir"
    done
fi
EOF
chmod 0755 "$root"/usr/bin/{emerge,eselect,etc-update,emaint,portageq,emerge-webrsync} "$root/usr/sbin/locale-gen"
stage3="$autobuilds/$ts/stage3-amd64-openrc-$ts.tar.xz"
tar -C "$root" --numeric-owner --xattrs -cf - . | xz -T2 -0 > "$stage3"
gpg --batch --yes --local-user test-rpm@example.invalid --armor --detach-sign --output "$stage3.asc" "$stage3"
desktop="$autobuilds/$ts/stage3-amd64-desktop-openrc-$ts.tar.xz"
ln "$stage3" "$desktop"
gpg --batch --yes --local-user other@example.invalid --armor --detach-sign --output "$desktop.asc" "$desktop"
# A signed archive whose /etc is a link to the host's: the element must refuse to write through it.
mkdir -p "$work/hostile/usr"
ln -s /etc "$work/hostile/etc"
hostile="$autobuilds/$ts/stage3-amd64-hostile-openrc-$ts.tar.xz"
tar -C "$work/hostile" --numeric-owner -cf - . | xz -T2 -0 > "$hostile"
gpg --batch --yes --local-user test-rpm@example.invalid --armor --detach-sign --output "$hostile.asc" "$hostile"

# list NAME SIGNER [DIR]: the clearsigned latest-stage3 list of an archive.
list() {
    local flavour=$1 signer=$2 dir=${3:-$autobuilds}
    local file="stage3-amd64-$flavour-$ts.tar.xz"
    printf '# Latest as of Tue, 01 Dec 2026 17:00:00 +0000\n# ts=1796144400\n%s/%s %s\n' \
        "$ts" "$file" "$(stat -c %s "$autobuilds/$ts/$file")" > "$work/list"
    gpg --batch --yes --local-user "$signer" --clearsign --output "$dir/latest-stage3-amd64-$flavour.txt" "$work/list"
}
list openrc test-rpm@example.invalid
list desktop-openrc test-rpm@example.invalid
list hostile-openrc test-rpm@example.invalid
list openrc other@example.invalid "$out/gentoo-badsig/releases/amd64/autobuilds"

# 2. The ebuild repository snapshot.
repo="$work/gentoo-20261201"
for profile in amd64/23.0 amd64/23.0/desktop amd64/23.0/hostile amd64/23.0/systemd arm64/23.0; do
    mkdir -p "$repo/profiles/default/linux/$profile"
    echo "# fixture profile" > "$repo/profiles/default/linux/$profile/make.defaults"
done
echo gentoo > "$repo/profiles/repo_name"
mkdir -p "$repo/metadata"
echo "Tue, 01 Dec 2026 00:45:00 +0000" > "$repo/metadata/timestamp.chk"
for package in app-admin/sudo sys-fs/dosfstools sys-kernel/gentoo-kernel-bin app-misc/dib-fixture-probe app-misc/dib-fixture-removed \
    dev-libs/openssl net-misc/openssh app-eselect/eselect-repository sys-apps/portage dev-lang/python-exec dev-lang/python-exec-conf sys-block/open-iscsi; do
    mkdir -p "$repo/$package"
    echo "# fixture ebuild" > "$repo/$package/${package#*/}-1.0.ebuild"
done
tar -C "$work" --owner=250 --group=250 -cf - gentoo-20261201 | xz -T2 -0 > "$mirror/snapshots/gentoo-latest.tar.xz"
gpg --batch --yes --local-user test-rpm@example.invalid --armor --detach-sign --output "$mirror/snapshots/gentoo-latest.tar.xz.gpgsig" "$mirror/snapshots/gentoo-latest.tar.xz"
