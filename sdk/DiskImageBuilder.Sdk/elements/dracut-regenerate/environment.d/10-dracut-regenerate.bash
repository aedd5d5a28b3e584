# The dracut modules to add to the initramfs, each with the packages it needs, as a YAML list.
export DIB_DRACUT_ENABLED_MODULES_DEFAULT_CONFIG="
- name: crypt
  packages:
    - cryptsetup
- name: lvm
  packages:
    - lvm2
"
export DIB_DRACUT_ENABLED_MODULES=${DIB_DRACUT_ENABLED_MODULES:-$DIB_DRACUT_ENABLED_MODULES_DEFAULT_CONFIG}
