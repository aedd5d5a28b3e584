# Where CentOS Stream's GenericCloud image is in the folder DIB_CLOUD_IMAGES (sourced by cloud-image-root, which sets
# vendor_arch): the newest build is published under a fixed name, CentOS-Stream-GenericCloud-<major>-latest.<arch>.qcow2,
# with a SHA-256 file of the same name and .SHA256SUM (not signed: the image is checked against it, and the file is
# trusted as the connection is; DIB_CLOUD_IMAGES_KEYRING makes a signature required).
major=${DIB_RELEASE%-stream}
image_file=${BASE_IMAGE_FILE:-CentOS-Stream-GenericCloud-$major-latest.$vendor_arch.qcow2}
checksum_file=$image_file.SHA256SUM
folder_hint="the folder $DIB_RELEASE/$vendor_arch/images of CentOS's cloud image server"
