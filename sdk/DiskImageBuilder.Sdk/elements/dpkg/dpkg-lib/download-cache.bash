# The apt download cache's folders, for extra-data.d and cleanup.d (sourced, host side).

# apt_download_cache_shared: the folder all builds of this distribution, release and architecture share.
apt_download_cache_shared() {
    echo "${DIB_IMAGE_CACHE%/}/apt/${DISTRO_NAME:-debian}-${DIB_RELEASE:-unknown}-$ARCH"
}

# apt_download_cache_own: the folder of this build that dib-chroot mounts for an "own" bind of the shared
# folder (the same name it gives it: the shared folder's, ".builds/", then the first 16 hex digits of the
# sha256 of TMP_BUILD_DIR).
apt_download_cache_own() {
    echo "$(apt_download_cache_shared).builds/$(printf '%s' "$TMP_BUILD_DIR" | sha256sum | cut -c1-16)"
}

# apt_download_cache_store: links each package of this build's folder that the shared cache does not
# have into it (a hard link appears whole or not at all, so a build reading the shared folder never
# sees half a file), then removes this build's folder, and the folders of builds killed before this
# step that are older than a day.
apt_download_cache_store() {
    local shared own deb added=0
    shared=$(apt_download_cache_shared)
    own=$(apt_download_cache_own)
    if [ -d "$own" ]; then
        for deb in "$own"/*.deb; do
            [ -f "$deb" ] || continue
            if [ ! -e "$shared/${deb##*/}" ] && ln "$deb" "$shared/" 2>/dev/null; then
                added=$((added + 1))
            fi
        done
        rm -rf "$own"
        echo "apt download cache: $added new packages kept in $shared"
    fi
    find "$shared.builds" -mindepth 1 -maxdepth 1 -type d -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
}
