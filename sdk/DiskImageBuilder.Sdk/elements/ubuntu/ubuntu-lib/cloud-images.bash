# Helpers of the ubuntu element for its root.d scripts (sourced, not run).

# ubuntu_default_cloud_images: the folder of DIB_RELEASE's current cloud images on the server that the host's
# ubuntu-cloudimg-query (Debian's cloud-image-utils) asks by default, laid out as diskimage-builder expects
# (<server>/<release>/current). UBUNTU_CLOUDIMG_QUERY_BASEURL moves it, as it moves that tool. Prints nothing
# when the tool is not installed or names no http(s) server, so that the caller can say what to set.
ubuntu_default_cloud_images() {
    local tool base
    tool=$(command -v ubuntu-cloudimg-query 2>/dev/null) || return 0
    base=${UBUNTU_CLOUDIMG_QUERY_BASEURL:-}
    if [ -z "$base" ]; then
        # The tool's default is one shell assignment: burl="${UBUNTU_CLOUDIMG_QUERY_BASEURL:-<server>/query}".
        base=$(sed -n 's/^[[:space:]]*burl="\${UBUNTU_CLOUDIMG_QUERY_BASEURL:-\([^}]*\)}".*/\1/p' "$tool" | head -n 1)
    fi
    base=${base%/}
    base=${base%/query}
    [[ $base =~ ^https?://[^/]+ ]] || return 0
    echo "$base/$DIB_RELEASE/current"
}
