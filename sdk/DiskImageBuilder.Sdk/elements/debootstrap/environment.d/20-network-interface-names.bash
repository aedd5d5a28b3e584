# The interfaces install.d/10-debootstrap-networking configures for DHCP with ifupdown
# (diskimage-builder's defaults): DIB_APT_MINIMAL_CREATE_INTERFACES=0 writes none.
export DIB_APT_MINIMAL_CREATE_INTERFACES=${DIB_APT_MINIMAL_CREATE_INTERFACES:-1}
export DIB_NETWORK_INTERFACE_NAMES=${DIB_NETWORK_INTERFACE_NAMES:-eth0 eth1}
