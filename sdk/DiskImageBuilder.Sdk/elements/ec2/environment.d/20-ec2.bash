# cloud-init's Ec2 data source joins the list cloud-init-datasources writes (before None) unless it is there already.
case ",$(echo "${DIB_CLOUD_INIT_DATASOURCES:-}" | tr -d ' ')," in
    *,Ec2,*) ;;
    *)
        _dib_sources=$(echo "${DIB_CLOUD_INIT_DATASOURCES:-}" | tr -d ' ' | tr ',' '\n' | grep -v -x -e None -e '' | paste -sd, - || true)
        export DIB_CLOUD_INIT_DATASOURCES="${_dib_sources:+$_dib_sources, }Ec2, None"
        unset _dib_sources ;;
esac
# The kernel parameters the platform documents, after the bootloader's defaults.
case " ${DIB_BOOTLOADER_DEFAULT_CMDLINE:-} " in
    *" nvme_core.io_timeout=4294967295 "*) ;;
    *) export DIB_BOOTLOADER_DEFAULT_CMDLINE="${DIB_BOOTLOADER_DEFAULT_CMDLINE:+$DIB_BOOTLOADER_DEFAULT_CMDLINE }nvme_core.io_timeout=4294967295" ;;
esac
