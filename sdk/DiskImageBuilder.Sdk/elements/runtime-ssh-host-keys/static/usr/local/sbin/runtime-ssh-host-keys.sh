#!/bin/bash
# Generates each SSH host key that is missing, at boot: the image ships none, so every machine gets
# its own. Existing keys (from an earlier boot, or written by cloud-init) are never replaced.
# No pipefail: `yes` ends on a broken pipe whenever ssh-keygen asks nothing.
set -eu
for type in dsa ecdsa ed25519 rsa; do
    key=/etc/ssh/ssh_host_${type}_key
    [ -f "$key" ] && continue
    # OpenSSH 9.8 and later cannot make DSA keys any more; that is no reason to fail the boot.
    if ! /usr/bin/yes n | /usr/bin/ssh-keygen -q -f "$key" -N '' -t "$type"; then
        echo "runtime-ssh-host-keys: ssh-keygen could not make a $type key" >&2
        [ "$type" = dsa ] || exit 1
    fi
done
