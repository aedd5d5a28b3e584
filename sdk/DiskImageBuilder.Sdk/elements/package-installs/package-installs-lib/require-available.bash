# Sourced by the package-installs scripts. require_available PHASE PACKAGE...: asks apt, without
# changing anything, whether it can install the packages; for each one the distribution does not
# have, prints a DIB2302 line naming the package, the elements that asked for it (from the SDK's
# PHASE.owners list) and the distribution, then exits 1. Any other apt failure is left to the
# install itself, which shows apt's own message.
require_available() {
    local phase=$1; shift
    local owners_file="$TMP_HOOKS_PATH/package-installs.d/$phase.owners"
    local answer missing package owners
    # Without package lists (before the first apt-get update) apt knows no package at all; the
    # install itself then says why.
    compgen -G "/var/lib/apt/lists/*_Packages*" > /dev/null || return 0
    if answer=$(LC_ALL=C apt-get -s -q --no-install-recommends install "$@" 2>&1); then
        return 0
    fi
    missing=$(sed -n -e "s/^E: Unable to locate package \(.*\)$/\1/p" \
                     -e "s/^E: Package '\(.*\)' has no installation candidate$/\1/p" <<<"$answer" | sort -u)
    [ -n "$missing" ] || return 0
    while read -r package; do
        owners=$(awk -v p="$package" -v sep="', '" '$1 == p { $1 = ""; sub(/^ /, ""); gsub(/ /, sep); print }' "$owners_file")
        echo "DIB2302: Element '${owners:-unknown}' needs package '$package', which ${DISTRO_NAME:-the distribution} ${DIB_RELEASE:-} ($ARCH) does not have. Leave the element out, map the package to one that exists in the element's pkg-map, or build a release that has it."
    done <<<"$missing"
    exit 1
}
