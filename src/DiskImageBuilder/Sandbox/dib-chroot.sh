#!/bin/bash
# dib-chroot ROOT HOOKS SANDBOX SCRIPT: runs SCRIPT (a path inside ROOT) in a chroot of ROOT.
# It is started by `unshare --mount --pid --fork --kill-child`, so every mount below lives in a
# private mount namespace and vanishes with its last process, even after kill -9 of the build.
# The chroot gets a /dev of its own (never the host's), a fresh proc for its own PID namespace,
# a read-only sysfs, the host's resolv.conf read-only, and the merged hooks at /tmp/in_target.d.
set -eu -o pipefail
root=$1 hooks=$2 sandbox=$3 script=$4

mkdir -p "$root/proc" "$root/sys" "$root/dev" "$root/tmp/in_target.d" "$root/tmp/dib-sandbox"
mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"

mount -t tmpfs -o mode=0755,nosuid,size=65536k dib-dev "$root/dev"
mknod -m 0666 "$root/dev/null" c 1 3
mknod -m 0666 "$root/dev/zero" c 1 5
mknod -m 0666 "$root/dev/full" c 1 7
mknod -m 0666 "$root/dev/random" c 1 8
mknod -m 0666 "$root/dev/urandom" c 1 9
mknod -m 0666 "$root/dev/tty" c 5 0
mkdir -m 0755 "$root/dev/pts" "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,nosuid,noexec devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"
ln -s /proc/self/fd/2 "$root/dev/stderr"

mount --bind "$hooks" "$root/tmp/in_target.d"
mount -o remount,bind,ro "$root/tmp/in_target.d"
mount --bind "$sandbox" "$root/tmp/dib-sandbox"
mount -o remount,bind,ro "$root/tmp/dib-sandbox"

# Name resolution for apt inside the chroot, without changing the tree's own file.
if [ -e /etc/resolv.conf ] && [ ! -L "$root/etc/resolv.conf" ] && [ -d "$root/etc" ]; then
    [ -e "$root/etc/resolv.conf" ] || : > "$root/etc/resolv.conf.dib-created"
    [ -e "$root/etc/resolv.conf" ] || : > "$root/etc/resolv.conf"
    mount --bind /etc/resolv.conf "$root/etc/resolv.conf"
    mount -o remount,bind,ro "$root/etc/resolv.conf"
fi

# Caches that elements share between builds (e.g. dpkg's downloaded packages): each line of
# $hooks/chroot-binds is "HOST_DIR PATH_IN_TREE". Both must be absolute without "..", and the host
# folder must lie under DIB_IMAGE_CACHE: nothing else of the host is ever mounted into the chroot.
if [ -f "$hooks/chroot-binds" ]; then
    cache=$(sed -n 's/^DIB_IMAGE_CACHE=//p' "$sandbox/env" | tr -d "'")
    cache=${cache%/}
    while read -r host_dir tree_dir; do
        [ -n "$host_dir" ] || continue
        case "$host_dir/$tree_dir" in *..*) echo "dib-chroot: refusing bind '$host_dir' -> '$tree_dir' (..)" >&2; exit 1 ;; esac
        case "$host_dir" in "$cache"/*) ;; *) echo "dib-chroot: refusing bind of '$host_dir': not under DIB_IMAGE_CACHE ($cache)" >&2; exit 1 ;; esac
        case "$tree_dir" in /*) ;; *) echo "dib-chroot: refusing bind target '$tree_dir': not absolute" >&2; exit 1 ;; esac
        mkdir -p "$host_dir" "$root$tree_dir"
        mount --bind "$host_dir" "$root$tree_dir"
    done < "$hooks/chroot-binds"
fi

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
exec chroot "$root" /bin/bash /tmp/dib-sandbox/dib-exec /tmp/dib-sandbox/env /tmp/in_target.d/environment.d "$script"
