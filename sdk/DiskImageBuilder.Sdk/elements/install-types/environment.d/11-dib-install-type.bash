# The install type of every install.d/<prefix>-<type>-install folder without DIB_INSTALLTYPE_<prefix>.
export DIB_DEFAULT_INSTALLTYPE=${DIB_DEFAULT_INSTALLTYPE:-source}
