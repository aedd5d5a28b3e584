#!/usr/bin/env bash
# Builds DiskImageBuilder.Sdk and DiskImageBuilder.Templates into the local feed artifacts/packages, pins that version
# for samples/ (samples/global.json), and builds the sample image samples/debian-vm (bin/Debug/amd64/debian-vm.qcow2).
# Installs missing host tools first. Extra arguments go to the sample's dotnet build.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"

./eng/install-host-tools.sh

# The version comes from the repository (MinVer, sdk/Directory.Build.props): the latest v* tag, or 0.1.0-dev.0.<commits>.
# Uncommitted changes get a suffix of their own, so a NuGet cache never holds stale bits under a version.
version=$(dotnet msbuild sdk/DiskImageBuilder.Sdk/DiskImageBuilder.Sdk.csproj -nologo -nr:false -restore -t:MinVer -getProperty:MinVerVersion)
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then
    version="$version.local.$(date -u +%Y%m%d%H%M%S)"
fi
rm -f artifacts/packages/DiskImageBuilder.Sdk.*.nupkg artifacts/packages/DiskImageBuilder.Templates.*.nupkg
dotnet pack sdk/DiskImageBuilder.Sdk/DiskImageBuilder.Sdk.csproj -c Release -o artifacts/packages -nr:false -p:DiskImageBuilderVersion="$version"
dotnet pack sdk/DiskImageBuilder.Templates/DiskImageBuilder.Templates.csproj -c Release -o artifacts/packages -nr:false -p:DiskImageBuilderVersion="$version"

# samples/ use the SDK as a project SDK, by the version this build packed (samples/global.json is not committed).
dotnet_sdk=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' global.json | head -n 1)
cat > samples/global.json <<JSON
{
  "sdk": { "version": "$dotnet_sdk", "rollForward": "latestFeature" },
  "msbuild-sdks": { "DiskImageBuilder.Sdk": "$version" }
}
JSON
echo "DiskImageBuilder.Sdk $version: artifacts/packages, pinned in samples/global.json"

dotnet build samples/debian-vm/debian-vm.imgproj -nr:false "$@"
