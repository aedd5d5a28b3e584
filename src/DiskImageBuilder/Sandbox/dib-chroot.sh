#!/bin/bash
# dib-chroot ROOT HOOKS SANDBOX SCRIPT: runs SCRIPT (a path inside ROOT) in a chroot of ROOT.
# It is started by `unshare --mount --ipc --uts --pid --fork --kill-child`, so every mount below
# lives in a private mount namespace and vanishes with its last process, even after kill -9 of the
# build. The chroot gets a /dev of its own (never the host's), a fresh proc for its own PID
# namespace, a read-only sysfs, the host's resolv.conf read-only, and the merged hooks at
# /tmp/in_target.d.
#
# What keeps a script inside the tree, although it runs as root:
# - the tree is bind-mounted onto itself nodev: a device node found in it (left by a tarball or a
#   package) opens nothing; only the nodes made here, on /dev, work;
# - the host-wide knobs of proc (/proc/sys, /proc/sysrq-trigger, /proc/bus, /proc/fs, /proc/irq)
#   are read-only;
# - the script starts with a bounding set without the capabilities that reach past the tree:
#   making device nodes, modules, raw I/O, mounts and the rest of sys_admin, chroot (the classic
#   way out of a chroot), reboot, the clock, network configuration, raw sockets, open-by-handle;
# - every path of the tree made, or mounted on, here must be a real folder: no component may be a
#   symbolic link, which an earlier script could have planted to send a mkdir or a mount to the host.
set -eu -o pipefail
root=$1 hooks=$2 sandbox=$3 script=$4

refuse() {
    echo "dib-chroot: DIB5050: $*" >&2
    exit 1
}

# tree_dir PATH: makes ROOT/PATH a folder, walking it one component at a time and refusing a
# component that is a symbolic link or not a folder.
tree_dir() {
    local path=$root part
    local -a parts
    IFS=/ read -r -a parts <<< "$1"
    for part in "${parts[@]}"; do
        case $part in "" | .) continue ;; ..) refuse "'$1' contains '..'" ;; esac
        path=$path/$part
        if [ -L "$path" ]; then
            refuse "$path is a symbolic link (to $(readlink "$path")); the sandbox never creates or mounts through a link in the tree"
        fi
        [ -e "$path" ] || mkdir -m 0755 "$path"
        [ -d "$path" ] || refuse "$path is not a folder"
    done
}

# A build as an ordinary user runs this inside its user namespace (dib-userns), as root of that namespace: what
# differs there is marked "rootless". The uid map of the host's own namespace is the identity over every id.
rootless=1
read -r inside outside count < /proc/self/uid_map
[ "$inside $outside $count" != "0 0 4294967295" ] || rootless=0

for dir in proc sys dev tmp/in_target.d tmp/dib-sandbox; do
    tree_dir "$dir"
done

mount --bind "$root" "$root"
mount -o remount,bind,nodev "$root"

mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
for knob in sys sysrq-trigger bus fs irq; do
    if [ -e "$root/proc/$knob" ]; then
        mount --bind "$root/proc/$knob" "$root/proc/$knob"
        mount -o remount,bind,ro,nosuid,nodev,noexec "$root/proc/$knob"
    fi
done
if [ "$rootless" = 0 ]; then
    mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"
else
    # A user namespace may mount no sysfs of its own (the network namespace is the host's): the host's, read-only.
    mount --rbind /sys "$root/sys"
    mount -o remount,bind,ro,nosuid,nodev,noexec "$root/sys"
fi

mount -t tmpfs -o mode=0755,nosuid,size=65536k dib-dev "$root/dev"
for node in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r name major minor <<< "$node"
    if [ "$rootless" = 0 ]; then
        mknod -m 0666 "$root/dev/$name" c "$major" "$minor"
    else
        # No mknod in a user namespace: the host's node of the same name is bound on an empty file, one by one.
        : > "$root/dev/$name"
        mount --bind "/dev/$name" "$root/dev/$name"
    fi
done
mkdir -m 0755 "$root/dev/pts" "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,nosuid,noexec devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"
ln -s /proc/self/fd/2 "$root/dev/stderr"

mount --bind "$hooks" "$root/tmp/in_target.d"
mount -o remount,bind,ro,nodev "$root/tmp/in_target.d"
mount --bind "$sandbox" "$root/tmp/dib-sandbox"
mount -o remount,bind,ro,nodev "$root/tmp/dib-sandbox"

# Name resolution for apt inside the chroot, without changing the tree's own file.
if [ -e /etc/resolv.conf ] && [ -d "$root/etc" ] && [ ! -L "$root/etc" ] && [ ! -L "$root/etc/resolv.conf" ]; then
    [ -e "$root/etc/resolv.conf" ] || : > "$root/etc/resolv.conf.dib-created"
    [ -e "$root/etc/resolv.conf" ] || : > "$root/etc/resolv.conf"
    mount --bind /etc/resolv.conf "$root/etc/resolv.conf"
    mount -o remount,bind,ro,nodev "$root/etc/resolv.conf"
fi

# Caches that elements share between builds (e.g. dpkg's downloaded packages): each line of
# $hooks/chroot-binds is "HOST_DIR PATH_IN_TREE [own PATTERN]". Both must be absolute without "..", and the
# host folder must lie under DIB_IMAGE_CACHE: nothing else of the host is ever mounted into the chroot.
# With "own", the tree gets a folder of this build's own, HOST_DIR.builds/<first 16 hex digits of the
# sha256 of TMP_BUILD_DIR>, holding hard links to the files of HOST_DIR whose names match PATTERN (dpkg:
# *.deb; never a lock file, which a link would share): a program that locks its folder or writes partial
# files there (apt) never meets another build doing the same at the same time. The element that asked for
# it links what the build added back into HOST_DIR (dpkg's cleanup.d).
if [ -f "$hooks/chroot-binds" ]; then
    cache=$(sed -n 's/^DIB_IMAGE_CACHE=//p' "$sandbox/env" | tr -d "'")
    cache=${cache%/}
    build_dir=$(sed -n 's/^TMP_BUILD_DIR=//p' "$sandbox/env" | tr -d "'")
    while read -r host_dir tree_dir mode pattern; do
        [ -n "$host_dir" ] || continue
        case "$host_dir/$tree_dir" in *..*) echo "dib-chroot: refusing bind '$host_dir' -> '$tree_dir' (..)" >&2; exit 1 ;; esac
        case "$host_dir" in "$cache"/*) ;; *) echo "dib-chroot: refusing bind of '$host_dir': not under DIB_IMAGE_CACHE ($cache)" >&2; exit 1 ;; esac
        case "$tree_dir" in /*) ;; *) echo "dib-chroot: refusing bind target '$tree_dir': not absolute" >&2; exit 1 ;; esac
        mkdir -p "$host_dir"
        if [ "${mode:-}" = own ]; then
            shared=$host_dir
            host_dir=$shared.builds/$(printf '%s' "$build_dir" | sha256sum | cut -c1-16)
            mkdir -p "$host_dir"
            # ln goes on past names the folder has already; those are the same files.
            find "$shared" -maxdepth 1 -type f -name "${pattern:-*}" -exec ln -t "$host_dir" -- {} + 2>/dev/null || true
        fi
        tree_dir "$tree_dir"
        mount --bind "$host_dir" "$root$tree_dir"
        mount -o remount,bind,nodev,nosuid "$root$tree_dir"
    done < "$hooks/chroot-binds"
fi

# Capabilities dropped from the bounding set; the script keeps chown, fowner, fsetid, dac_override,
# setuid, setgid, setfcap, setpcap, kill, sys_nice, ipc_lock, net_bind_service and audit_write,
# which package scripts use. capsh drops them, then chroots, then starts bash: the chroot(2) call
# is its own, so sys_chroot is gone from everything that runs in the tree.
drop=cap_mknod,cap_sys_module,cap_sys_rawio,cap_sys_admin,cap_sys_boot,cap_sys_time,cap_sys_chroot
drop=$drop,cap_sys_ptrace,cap_sys_pacct,cap_sys_tty_config,cap_syslog,cap_net_admin,cap_net_raw
drop=$drop,cap_dac_read_search,cap_linux_immutable,cap_mac_admin,cap_mac_override,cap_ipc_owner
drop=$drop,cap_audit_control,cap_audit_read,cap_wake_alarm,cap_block_suspend,cap_lease
# perfmon (38), bpf (39) and checkpoint_restore (40) exist on newer kernels only.
last_cap=$(cat /proc/sys/kernel/cap_last_cap)
[ "$last_cap" -lt 38 ] || drop=$drop,cap_perfmon
[ "$last_cap" -lt 39 ] || drop=$drop,cap_bpf
[ "$last_cap" -lt 40 ] || drop=$drop,cap_checkpoint_restore

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
exec capsh --drop="$drop" --chroot="$root" -- /tmp/dib-sandbox/dib-exec /tmp/dib-sandbox/env /tmp/in_target.d/environment.d "$script"
