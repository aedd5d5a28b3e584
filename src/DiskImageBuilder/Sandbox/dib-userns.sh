#!/bin/bash
# dib-userns UID SUBUID UIDS GID SUBGID GIDS PROGRAM [ARGS...]: runs PROGRAM in a new user namespace where the
# calling user is root (0 -> UID) and ids 1 to UIDS (GIDS) are the user's subordinate range from SUBUID (SUBGID),
# the way mmdebstrap's unshare mode and podman map them. A build as an ordinary user runs every command through it,
# so all of them see the tree's owners as a root build does (root 0, _apt 42, a dev user 1000) and may chown to them.
#
# This process unshares its user namespace and execs PROGRAM under the same pid, so the build's pid file and kill
# still reach PROGRAM. A child it starts first waits for the new namespace and writes the maps with
# newuidmap/newgidmap (setuid helpers that check /etc/subuid and /etc/subgid); PROGRAM starts once the maps exist.
# No file is written anywhere.
set -eu
uid=$1 subuid=$2 uids=$3 gid=$4 subgid=$5 gids=$6
shift 6
self=$$
outer=$(readlink /proc/self/ns/user)
(
    for _ in $(seq 1 4000); do
        [ "$(readlink "/proc/$self/ns/user" 2>/dev/null || echo "$outer")" = "$outer" ] || break
        sleep 0.005
    done
    if ! newuidmap "$self" 0 "$uid" 1 1 "$subuid" "$uids" || ! newgidmap "$self" 0 "$gid" 1 1 "$subgid" "$gids"; then
        echo "dib-userns: DIB5008: newuidmap/newgidmap could not map uid $uid (+$subuid, $uids ids) and gid $gid (+$subgid, $gids ids); check /etc/subuid and /etc/subgid (this process: $(id))" >&2
        kill -KILL "$self" 2>/dev/null || true
    fi
) &
exec unshare --user -- /bin/bash -c 'until read -r _ < /proc/self/gid_map; do sleep 0.005; done; exec "$@"' dib-userns "$@"
