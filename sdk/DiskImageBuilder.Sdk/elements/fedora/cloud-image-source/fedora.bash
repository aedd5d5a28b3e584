# Where Fedora's Cloud Base image is in the folder DIB_CLOUD_IMAGES (sourced by cloud-image-root, which sets
# vendor_arch): Fedora publishes, per release and architecture, a CHECKSUM file signed with the release's key
# (Fedora-Cloud-<release>-<compose>-<arch>-CHECKSUM) listing the qcow2 (Fedora-Cloud-Base-Generic-<release>-<compose>.<arch>.qcow2
# from Fedora 40, Fedora-Cloud-Base-<release>-... before). The newest compose the folder lists is taken.
checksum_pattern="Fedora-Cloud-$DIB_RELEASE-[0-9][0-9.]*-$vendor_arch-CHECKSUM"
image_pattern="Fedora-Cloud-Base-(Generic-)?$DIB_RELEASE-[0-9][0-9.]*\.$vendor_arch\.qcow2"
signed=1
folder_hint="the folder Cloud/$vendor_arch/images of release $DIB_RELEASE on a Fedora mirror; the key is Fedora's for the release, RPM-GPG-KEY-fedora-$DIB_RELEASE-primary"
