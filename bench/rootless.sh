#!/usr/bin/env bash
# What building without root costs: samples/debian-vm built as root and as an ordinary user, alternating (one of each
# per round, so both see the same machine): a cold build (stage cache emptied, download cache warm), a no-op build, and
# a build after one install.d script of a project element changed (the stage cache restores the cache point before it).
# Prints the median wall time of each, per mode, and rootless / root. Run as root after ./build.sh; USER_NAME (default
# dib-bench) is created with a subordinate id range if missing, as README's "Building without root" says.
# ROUNDS=3 by default; a round takes about five minutes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-3}
user=${USER_NAME:-dib-bench}
work=$(mktemp -d)
chmod 0755 "$work"

id -u "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
if ! grep -q "^$user:" /etc/subuid || ! grep -q "^$user:" /etc/subgid; then
    start=$(cat /etc/subuid /etc/subgid 2>/dev/null | awk -F: 'BEGIN { e = 100000 } { if ($2 + $3 > e) e = $2 + $3 } END { print e }')
    usermod --add-subuids "$start-$((start + 65535))" --add-subgids "$start-$((start + 65535))" "$user"
fi
home=$(getent passwd "$user" | cut -d: -f6)

# One copy of the sample per mode, each with an element whose install.d script a round changes.
for mode in root rootless; do
    mkdir -p "$work/$mode"
    cp -a "$root/samples/debian-vm/." "$work/$mode/"
    cp "$root/samples/global.json" "$work/$mode/"
    rm -rf "$work/$mode/bin" "$work/$mode/obj"
    printf '<configuration><packageSources><add key="local" value="%s" /></packageSources></configuration>\n' \
        "$root/artifacts/packages" > "$work/$mode/nuget.config"
    mkdir -p "$work/$mode/elements/bench-step/install.d"
    printf '#!/bin/bash\necho bench step 0\n' > "$work/$mode/elements/bench-step/install.d/90-bench-step"
    chmod +x "$work/$mode/elements/bench-step/install.d/90-bench-step"
    sed -i 's|<Element Include="vm" />|<Element Include="vm" /><Element Include="bench-step" />|' "$work/$mode/debian-vm.imgproj"
    sed -i 's|<Project Sdk="DiskImageBuilder.Sdk">|<Project Sdk="DiskImageBuilder.Sdk"><PropertyGroup><ElementsPath>elements</ElementsPath></PropertyGroup>|' "$work/$mode/debian-vm.imgproj"
done
chown -R "$user:" "$work/rootless"

run() { # mode, what
    local mode=$1 what=$2 start
    start=$(date +%s.%N)
    if [ "$mode" = root ]; then
        (cd "$work/root" && dotnet build -nr:false -v:n > "$work/$mode-$what.log" 2>&1)
    else
        (cd "$work/rootless" && setpriv --reuid="$user" --regid="$user" --init-groups env HOME="$home" USER="$user" \
            dotnet build -nr:false -v:n > "$work/$mode-$what.log" 2>&1)
    fi || { echo "$mode $what failed, see $work/$mode-$what.log" >&2; exit 1; }
    echo "$mode $what $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')" >> "$work/results"
}

cold() { # mode: empties the mode's stage cache and the project's work folder, keeps the downloads
    local mode=$1 cache
    cache=$([ "$mode" = root ] && echo "$HOME" || echo "$home")/.cache/diskimagebuilder/stages
    rm -rf "$cache" "$work/$mode/bin" "$work/$mode/obj"
}

step() { # mode, round: changes the script, so install.d runs from the cache point before it
    printf '#!/bin/bash\necho bench step %s\n' "$2" > "$work/$1/elements/bench-step/install.d/90-bench-step"
}

for mode in root rootless; do run "$mode" warm-up; done
for round in $(seq 1 "$rounds"); do
    for mode in root rootless; do
        cold "$mode"
        run "$mode" cold
        run "$mode" no-op
        step "$mode" "$round"
        run "$mode" one-script
    done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-12s %10s %10s %10s\n' build "root s" "rootless s" ratio
for what in cold no-op one-script; do
    r=$(awk -v w="$what" '$1 == "root" && $2 == w { print $3 }' "$work/results" | median)
    u=$(awk -v w="$what" '$1 == "rootless" && $2 == w { print $3 }' "$work/results" | median)
    awk -v w="$what" -v r="$r" -v u="$u" 'BEGIN { printf "%-12s %10.1f %10.1f %10.3f\n", w, r, u, u / r }'
done
echo "medians of $rounds rounds; raw results and logs: $work"
