export DISTRO_NAME=debian
export DIB_RELEASE=${DIB_RELEASE:-bookworm}
export DIB_DEBIAN_COMPONENTS=${DIB_DEBIAN_COMPONENTS:-main}
export DIB_INIT_SYSTEM=systemd
case "$ARCH" in
    amd64) _dib_kernel=linux-image-cloud-amd64 ;;
    arm64) _dib_kernel=linux-image-cloud-arm64 ;;
    i386) _dib_kernel=linux-image-686 ;;
    ppc64el) _dib_kernel=linux-image-powerpc64le ;;
    *) _dib_kernel=linux-image-$ARCH ;;
esac
export DIB_DEBIAN_KERNEL=${DIB_DEBIAN_KERNEL:-$_dib_kernel}
unset _dib_kernel
