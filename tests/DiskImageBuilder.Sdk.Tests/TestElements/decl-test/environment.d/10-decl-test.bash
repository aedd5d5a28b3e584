export DISTRO_NAME=debian
export DIB_RELEASE=${DIB_RELEASE:-bookworm}
export DECL_FILE_NAME=notes.txt
