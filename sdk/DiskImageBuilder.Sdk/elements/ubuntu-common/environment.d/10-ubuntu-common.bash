export DISTRO_NAME=ubuntu
export DIB_RELEASE=${DIB_RELEASE:-noble}
export DIB_INIT_SYSTEM=systemd
export DIB_DEBIAN_COMPONENTS=${DIB_DEBIAN_COMPONENTS:-main,universe}
# linux-image-virtual is the kernel flavour Ubuntu builds for virtual machines; diskimage-builder's other
# choices (linux-image-generic, linux-image-kvm, linux-image-hwe) work too.
export DIB_UBUNTU_KERNEL=${DIB_UBUNTU_KERNEL:-linux-image-virtual}
# Ubuntu's archive and cloud image signing keys, shipped with the element (Debian hosts have none).
export DIB_UBUNTU_ARCHIVE_KEYRING=$TMP_HOOKS_PATH/keyrings/ubuntu-archive-keyring.gpg
export DIB_UBUNTU_CLOUDIMAGE_KEYRING=$TMP_HOOKS_PATH/keyrings/ubuntu-cloudimage-keyring.gpg
