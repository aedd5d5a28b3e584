# Sourced by the root.d scripts that take the tree from an image someone else made (container-root,
# cloud-image-root, containerfile); they run on the host, and the tree is then the image's.

# in_tree WHO PATH: every component of PATH, walked from the tree's root, is a real folder or file, never a link (an
# image's etc -> /etc would lead a write from the host to the host); else DIB5050 and the script stops.
in_tree() {
    local who=$1 path=$TARGET_ROOT part
    local -a parts
    IFS=/ read -r -a parts <<< "${2#/}"
    for part in "${parts[@]}"; do
        [ -n "$part" ] || continue
        path=$path/$part
        if [ -L "$path" ] || [ "$part" = .. ]; then
            echo "DIB5050: $who: refusing to write /${2#/} of the image from the host: $path is a symbolic link to '$(readlink "$path")'. The image must have real folders there." >&2
            exit 1
        fi
    done
}

# resolv_conf_aside WHO: the chroot phases need a plain /etc/resolv.conf (the sandbox mounts the host's over it); an
# image's link (systemd-resolved's) is kept aside, read and removed, never followed, and the image-tree element's
# cleanup.d puts it back.
resolv_conf_aside() {
    in_tree "$1" /etc
    mkdir -p "$TARGET_ROOT/etc"
    rm -f "$TARGET_ROOT/etc/resolv.conf.dib-link"
    if [ -L "$TARGET_ROOT/etc/resolv.conf" ]; then
        readlink "$TARGET_ROOT/etc/resolv.conf" > "$TARGET_ROOT/etc/resolv.conf.dib-link"
        rm -f "$TARGET_ROOT/etc/resolv.conf"
    fi
    [ -f "$TARGET_ROOT/etc/resolv.conf" ] || install -m 0644 /dev/null "$TARGET_ROOT/etc/resolv.conf"
}

# drop_device_nodes: a device node of the image outside /dev would let a later host-side step (a script, an output
# writer) reach a host device through the tree; each is removed and named in the log.
drop_device_nodes() {
    find "$TARGET_ROOT" -xdev \( -type b -o -type c \) ! -path "$TARGET_ROOT/dev/*" -print -delete | sed 's/^/  removed device node /'
}
