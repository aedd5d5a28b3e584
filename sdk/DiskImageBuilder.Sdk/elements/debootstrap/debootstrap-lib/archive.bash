# Helpers of the debootstrap element for its root.d scripts (sourced, not run).

# debootstrap_fail CODE MESSAGE: stops the build with a coded error (see docs/errors.md) instead of DIB2101.
debootstrap_fail() {
    local code=$1
    shift
    echo "$code: $*" >&2
    exit 1
}

# debootstrap_keyring: the keyring the archive is checked against: DIB_APT_KEYRING (diskimage-builder's
# name; DIB_DEBIAN_KEYRING is its older spelling), else the distribution element's own (DIB_DEBOOTSTRAP_KEYRING),
# else nothing (the bootstrap tool's default, the host's keyrings).
debootstrap_keyring() {
    echo "${DIB_APT_KEYRING:-${DIB_DEBIAN_KEYRING:-${DIB_DEBOOTSTRAP_KEYRING:-}}}"
}

# debootstrap_default_mirror: the mirror mmdebstrap chooses for DIB_RELEASE and ARCH when none is given
# (its own table: the distribution's archive, or its ports archive for some architectures). It is read from the
# sources mmdebstrap writes before it downloads anything, in a scratch folder of the build; prints nothing
# when mmdebstrap is not installed.
debootstrap_default_mirror() {
    command -v mmdebstrap >/dev/null || return 0
    local scratch
    scratch=$(mktemp -d "${TMP_BUILD_DIR:-/tmp}/debootstrap-probe.XXXXXX")
    mmdebstrap --mode=root --variant=minbase --arch="$ARCH" --quiet \
        --setup-hook='cat "$1"/etc/apt/sources.list > "$1"/../sources; exit 3' \
        "$DIB_RELEASE" "$scratch/tree" >/dev/null 2>&1 || true
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; exit } }' "$scratch/sources" 2>/dev/null || true
    rm -rf "$scratch"
}

# debootstrap_check_archive MIRROR SUITE KEYRING: fetches MIRROR/dists/SUITE/InRelease and verifies it
# with KEYRING (when given), before anything is written into the tree. Fails with DIB2402 when the mirror
# does not answer or has no such suite, DIB2403 when the signature does not verify.
debootstrap_check_archive() {
    local mirror=${1%/} suite=$2 keyring=$3 url status scratch
    url="$mirror/dists/$suite/InRelease"
    case $mirror in
        http://*|https://*) ;;
        file://*)
            [ -f "${url#file://}" ] || debootstrap_fail DIB2402 "The $DISTRO_NAME archive $mirror has no release '$suite' ($url does not exist). Fix DistributionMirror (DIB_DISTRIBUTION_MIRROR) or DistroRelease (DIB_RELEASE)."
            ;;
        *) debootstrap_fail DIB2402 "DIB_DISTRIBUTION_MIRROR '$mirror' is not an http://, https:// or file:// URL. Set DistributionMirror to the archive's URL, e.g. http://mirror.example/ubuntu." ;;
    esac
    scratch=$(mktemp -d "${TMP_BUILD_DIR:-/tmp}/debootstrap-check.XXXXXX")
    # The curl exit code tells "does not answer" (connection, name, timeout) from an HTTP error status.
    status=0
    curl --silent --show-error --location --fail --retry 2 --connect-timeout 20 --max-time 120 \
        --output "$scratch/InRelease" "$url" 2> "$scratch/curl.err" || status=$?
    if [ "$status" -ne 0 ]; then
        local why
        why=$(tail -n 1 "$scratch/curl.err")
        rm -rf "$scratch"
        if [ "$status" -eq 22 ]; then
            debootstrap_fail DIB2402 "The $DISTRO_NAME archive at $mirror has no release '$suite' for this build: $url failed ($why). Check DistroRelease (DIB_RELEASE) and that DistributionMirror (DIB_DISTRIBUTION_MIRROR) is the archive's root (the folder that holds dists/)."
        fi
        debootstrap_fail DIB2402 "The $DISTRO_NAME archive at $mirror does not answer: $url failed ($why). Check the address in DistributionMirror (DIB_DISTRIBUTION_MIRROR), the network and any proxy."
    fi
    if [ -n "$keyring" ]; then
        [ -r "$keyring" ] || { rm -rf "$scratch"; debootstrap_fail DIB2403 "The keyring '$keyring' (DIB_APT_KEYRING) cannot be read. Give the path of a binary OpenPGP keyring (gpg --export KEY > FILE.gpg)."; }
        if ! gpgv --keyring "$keyring" "$scratch/InRelease" > "$scratch/gpgv.out" 2>&1; then
            local detail
            detail=$(grep -E 'Signature made|key|BAD|No public' "$scratch/gpgv.out" | tr '\n' ' ')
            rm -rf "$scratch"
            debootstrap_fail DIB2403 "The signature of $url does not verify with the keyring $keyring ($detail). The mirror may be tampered with or not the $DISTRO_NAME archive; if it is your own mirror signed with your own key, give that key in DIB_APT_KEYRING."
        fi
        echo "Archive check: $url is signed by a key of $keyring"
    else
        echo "Archive check: $url answers (its signature is checked by the bootstrap tool with the host's keyrings)"
    fi
    rm -rf "$scratch"
}

# debootstrap_cached_tarball MIRROR KEYRING INCLUDE SCRIPT: the path of the cached bootstrap for these inputs, or
# nothing when DIB_DEBOOTSTRAP_CACHE is off (and DIB_OFFLINE unset) or there is no image cache. The name carries a
# hash of the tool and its version, the distribution, release, architecture, components, mirror, included packages,
# SOURCE_DATE_EPOCH (the bootstrap writes it into the tree: the password change day of /etc/shadow), the keyring's
# bytes and this element's bootstrap script, so a change to any of them bootstraps afresh.
debootstrap_cached_tarball() {
    local mirror=$1 keyring=$2 include=$3 script=$4 tool key
    [ "${DIB_DEBOOTSTRAP_CACHE:-0}" = 1 ] || [ -n "${DIB_OFFLINE:-}" ] || return 0
    [ -n "${DIB_IMAGE_CACHE:-}" ] || return 0
    tool=debootstrap
    command -v mmdebstrap >/dev/null && tool="mmdebstrap $(mmdebstrap --version 2>/dev/null)"
    key=$( {
        printf '%s\n' "$tool" "$DISTRO_NAME" "$DIB_RELEASE" "$ARCH" "$DIB_DEBIAN_COMPONENTS" "$mirror" "$include" \
            "epoch:${SOURCE_DATE_EPOCH:-}"
        if [ -n "$keyring" ] && [ -f "$keyring" ]; then sha256sum < "$keyring"; else echo "keyring:$keyring"; fi
        sha256sum < "$script"
    } | sha256sum | cut -c1-16)
    echo "${DIB_IMAGE_CACHE%/}/debootstrap/$DISTRO_NAME-$DIB_RELEASE-$ARCH-$key.tar"
}

# debootstrap_cache_usable TARBALL: true when the tarball is there and younger than DIB_DEBOOTSTRAP_CACHE_DAYS
# (default 7; with DIB_OFFLINE any age will do).
debootstrap_cache_usable() {
    local tarball=$1 days=${DIB_DEBOOTSTRAP_CACHE_DAYS:-7}
    [ -f "$tarball" ] || return 1
    [ -n "${DIB_OFFLINE:-}" ] && return 0
    case $days in
        ''|*[!0-9]*) debootstrap_fail DIB2351 "debootstrap: DIB_DEBOOTSTRAP_CACHE_DAYS='$days' is not a whole number of days. Set it to 0 or more (7 is the default)." ;;
    esac
    [ -z "$(find "$tarball" -mmin +$((days * 24 * 60)))" ]
}

# debootstrap_cache_store TREE TARBALL: writes the freshly bootstrapped TREE to TARBALL (owners as numbers, modes,
# extended attributes and ACLs kept), under a temporary name first, so a cancelled build never leaves half a tarball.
debootstrap_cache_store() {
    local tree=$1 tarball=$2 partial
    [ "${DIB_DEBOOTSTRAP_CACHE:-0}" = 1 ] || return 0
    mkdir -p "$(dirname "$tarball")"
    partial="$tarball.partial.$$"
    tar -C "$tree" --numeric-owner --xattrs --xattrs-include='*' --acls -cpf "$partial" .
    mv -f "$partial" "$tarball"
    echo "Bootstrap kept for the next build: $tarball ($(du -m "$tarball" | cut -f1) MiB)"
}

# debootstrap_cache_restore TARBALL TREE: unpacks a kept bootstrap into the empty TREE as it was written.
debootstrap_cache_restore() {
    tar -C "$2" --numeric-owner --xattrs --xattrs-include='*' --acls -xpf "$1"
}
