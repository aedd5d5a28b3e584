# Gentoo has no releases: DIB_RELEASE is "gentoo" and the profile (GENTOO_PROFILE) says what the tree is.
export DISTRO_NAME=gentoo
export DIB_RELEASE=gentoo
export EFI_BOOT_DIR="EFI/gentoo"
export GENTOO_PORTAGE_CLEANUP=${GENTOO_PORTAGE_CLEANUP:-True}
export GENTOO_PYTHON_TARGETS=${GENTOO_PYTHON_TARGETS:-}
export GENTOO_OVERLAYS=${GENTOO_OVERLAYS:-}
export GENTOO_EMERGE_DEFAULT_OPTS=${GENTOO_EMERGE_DEFAULT_OPTS:-"--binpkg-respect-use --rebuilt-binaries=y --usepkg=y --with-bdeps=y --binpkg-changed-deps=y --quiet --jobs=2 --autounmask=n"}
# The profile every other one of the architecture is below; the stage3 flavour is what GENTOO_PROFILE adds to it.
export GENTOO_BASE_PROFILE="default/linux/${ARCH}/23.0"
export GENTOO_PROFILE=${GENTOO_PROFILE:-$GENTOO_BASE_PROFILE}
# Where the ebuild repository lies in the tree (Gentoo's default since 2019; diskimage-builder's PORTDIR).
export GENTOO_REPO_DIR=/var/db/repos/gentoo
if [[ "$GENTOO_PROFILE" == *systemd* ]]; then
    export DIB_INIT_SYSTEM=${DIB_INIT_SYSTEM:-systemd}
else
    export DIB_INIT_SYSTEM=${DIB_INIT_SYSTEM:-openrc}
fi
