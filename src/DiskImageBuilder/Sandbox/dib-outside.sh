#!/bin/bash
# dib-outside SANDBOX ENVDIR SCRIPT: runs an outside-chroot element script. It is started by
# `unshare --mount --ipc --uts --pid --fork --kill-child`, so any mount the script makes (debootstrap,
# mmdebstrap) stays in a private namespace and is gone when the script ends.
set -eu
exec /bin/bash "$1/dib-exec" "$1/env" "$2" "$3"
