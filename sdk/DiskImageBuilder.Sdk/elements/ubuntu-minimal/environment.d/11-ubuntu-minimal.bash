# The debootstrap element verifies the archive with Ubuntu's keyring unless DIB_APT_KEYRING names another,
# and puts ubuntu-keyring into the tree, whose keyring the image's apt sources name.
export DIB_DEBOOTSTRAP_KEYRING=$DIB_UBUNTU_ARCHIVE_KEYRING
export DIB_DEBOOTSTRAP_INCLUDE=${DIB_DEBOOTSTRAP_INCLUDE:-ubuntu-keyring}
# The pockets besides the release itself that the image's apt sources list, as diskimage-builder's.
export DIB_UBUNTU_MIRROR_DISTS=${DIB_UBUNTU_MIRROR_DISTS-updates,security,backports}
