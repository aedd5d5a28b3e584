export DISTRO_NAME=rocky
export DIB_RELEASE=${DIB_RELEASE:-9}
export YUM=dnf
export DIB_CONTAINER_IMAGE=${DIB_CONTAINER_IMAGE:-rockylinux/rockylinux:$DIB_RELEASE}
