#!/usr/bin/env bash
# Conversion time and size per format, side by side with plain qemu-img on the same raw disk:
# for each format, `dotnet build -t:_DibConvert`-equivalent work is measured by rebuilding the sample
# with only that format (the tree and disk are up to date, so only conversion and checksums run),
# then the same conversion by hand with qemu-img. Run as root after ./build.sh. Prints a table.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sample=$root/samples/debian-vm
raw=$sample/obj/Debug/amd64/dib/debian-vm.raw
work=$(mktemp -d)
dotnet build "$sample/debian-vm.imgproj" -nr:false -v:q -p:ImageFormats=raw > /dev/null
printf '%-8s %10s %10s %12s %12s\n' format "sdk s" "qemu-img s" "sdk MiB" "qemu-img MiB"
declare -A hand=(
    [qcow2]="-O qcow2 -c -o compression_type=zlib -m 2 -W"
    [qcow2-zstd]="-O qcow2 -c -o compression_type=zstd -m 2 -W"
    [vhd]="-O vpc -o subformat=dynamic,force_size=on"
    [vhdx]="-O vhdx -o subformat=dynamic"
    [vmdk]="-O vmdk -o subformat=streamOptimized"
    [vdi]="-O vdi"
)
for format in qcow2 qcow2-zstd vhd vhdx vmdk vdi; do
    name=${format%-zstd}
    extra=()
    [ "$format" = qcow2 ] && extra=(-p:Qcow2Compression=zlib)
    [ "$format" = qcow2-zstd ] && extra=(-p:Qcow2Compression=zstd)
    rm -f "$sample/bin/Debug/amd64/debian-vm.$name"
    start=$(date +%s.%N)
    dotnet build "$sample/debian-vm.imgproj" -nr:false -v:q "-p:ImageFormats=$name" "${extra[@]}" > "$work/$format.log"
    sdk=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    qemu-img convert -f raw ${hand[$format]} "$raw" "$work/hand.$format"
    plain=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
    printf '%-8s %10.1f %10.1f %12.1f %12.1f\n' "$format" "$sdk" "$plain" \
        "$(awk -v b="$(stat -c %s "$sample/bin/Debug/amd64/debian-vm.$name")" 'BEGIN { print b / 1048576 }')" \
        "$(awk -v b="$(stat -c %s "$work/hand.$format")" 'BEGIN { print b / 1048576 }')"
    rm -f "$work/hand.$format"
done
echo "sdk s includes dotnet build's own start-up and the up-to-date checks (measure a no-op build for that share)."
rm -rf "$work"
