#!/bin/bash
# dib-exec ENVFILE ENVDIR SCRIPT: runs one element script with exactly the environment in ENVFILE
# (nothing inherited from the build process), after sourcing every environment.d file in
# `LC_ALL=C sort -n` order, as diskimage-builder's dib-run-parts does.
exec /usr/bin/env -i /bin/bash --noprofile --norc -c '
set -ue -o pipefail
set -a
source "$0"
set +a
if [ -d "$1" ]; then
    for env_file in $(find "$1" -maxdepth 1 -type f | LC_ALL=C sort -n); do
        source "$env_file"
    done
fi
set +ue +o pipefail
exec "$2"
' "$1" "$2" "$3"
