# Red Hat publishes its KVM guest image (rhel-<version>-<arch>-kvm.qcow2) behind a login: the build takes the file
# downloaded from the Customer Portal (DIB_LOCAL_IMAGE, with DIB_LOCAL_IMAGE_SHA256 the SHA-256 the portal shows), or a
# folder of your own (DIB_CLOUD_IMAGES with BASE_IMAGE_FILE, and a checksum file DIB_CLOUD_IMAGES_CHECKSUM_FILE in
# sha256sum's or the "SHA256 (NAME) = HEX" format).
image_file=${BASE_IMAGE_FILE:-}
checksum_file=${DIB_CLOUD_IMAGES_CHECKSUM_FILE:-}
checksum_pattern='(CHECKSUM|SHA256SUMS?)'
image_pattern="rhel-$DIB_RELEASE(\.[0-9]+)*-$vendor_arch-kvm\.qcow2"
folder_hint="a folder of your own holding the image you downloaded from the Red Hat Customer Portal and a CHECKSUM or SHA256SUMS file"
local_hint="the KVM guest image of RHEL $DIB_RELEASE from the Red Hat Customer Portal, e.g. rhel-$DIB_RELEASE.6-$vendor_arch-kvm.qcow2"
