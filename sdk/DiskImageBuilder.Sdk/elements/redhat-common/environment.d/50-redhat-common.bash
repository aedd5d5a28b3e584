export DIB_INIT_SYSTEM=systemd
export YUM=${YUM:-dnf}
