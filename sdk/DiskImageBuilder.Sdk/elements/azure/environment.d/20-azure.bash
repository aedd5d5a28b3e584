# cloud-init's Azure data source joins the list cloud-init-datasources writes (before None) unless it is there already.
case ",$(echo "${DIB_CLOUD_INIT_DATASOURCES:-}" | tr -d ' ')," in
    *,Azure,*) ;;
    *)
        _dib_sources=$(echo "${DIB_CLOUD_INIT_DATASOURCES:-}" | tr -d ' ' | tr ',' '\n' | grep -v -x -e None -e '' | paste -sd, - || true)
        export DIB_CLOUD_INIT_DATASOURCES="${_dib_sources:+$_dib_sources, }Azure, None"
        unset _dib_sources ;;
esac
# The kernel parameters the platform documents, after the bootloader's defaults.
case " ${DIB_BOOTLOADER_DEFAULT_CMDLINE:-} " in
    *" earlyprintk=ttyS0 "*) ;;
    *) export DIB_BOOTLOADER_DEFAULT_CMDLINE="${DIB_BOOTLOADER_DEFAULT_CMDLINE:+$DIB_BOOTLOADER_DEFAULT_CMDLINE }earlyprintk=ttyS0" ;;
esac
