#!/usr/bin/env bash
# Builds DiskImageBuilder.Sdk and DiskImageBuilder.Templates into the local feed artifacts/packages and then the sample image
# samples/debian-vm (bin/Debug/amd64/debian-vm.qcow2). Installs missing host tools first.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
version=$(sed -n 's:.*<DiskImageBuilderVersion[^>]*>\(.*\)</DiskImageBuilderVersion>.*:\1:p' Directory.Build.props)

./eng/install-host-tools.sh
dotnet pack sdk/DiskImageBuilder.Sdk/DiskImageBuilder.Sdk.csproj -c Release -o artifacts/packages -nr:false
dotnet pack sdk/DiskImageBuilder.Templates/DiskImageBuilder.Templates.csproj -c Release -o artifacts/packages -nr:false

# A NuGet cache never refreshes a version it already holds: drop the previous build of this dev version.
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
rm -rf "$packages/diskimagebuilder.sdk/$version"

dotnet build samples/debian-vm/debian-vm.imgproj -nr:false "$@"
