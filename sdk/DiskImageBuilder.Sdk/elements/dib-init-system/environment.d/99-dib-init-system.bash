# DIB_INIT_SYSTEM names the image's init system: systemd, openrc, upstart or sysv. The OS element
# sets it (debian-minimal: systemd); when none did, it is read from the tree once the tree has one.
if [ -z "${DIB_INIT_SYSTEM:-}" ]; then
    _dib_root=${TMP_MOUNT_PATH:-}
    if [ -e "$_dib_root/usr/lib/systemd/systemd" ] || [ -e "$_dib_root/lib/systemd/systemd" ]; then
        DIB_INIT_SYSTEM=systemd
    elif [ -e "$_dib_root/sbin/openrc-run" ] || [ -e "$_dib_root/usr/sbin/openrc-run" ]; then
        DIB_INIT_SYSTEM=openrc
    elif [ -e "$_dib_root/sbin/initctl" ] && [ -d "$_dib_root/etc/init" ]; then
        DIB_INIT_SYSTEM=upstart
    elif [ -e "$_dib_root/etc/inittab" ]; then
        DIB_INIT_SYSTEM=sysv
    fi
    unset _dib_root
    if [ -n "${DIB_INIT_SYSTEM:-}" ]; then export DIB_INIT_SYSTEM; fi
fi
