# cloud-init's GCE data source joins the list cloud-init-datasources writes (before None) unless it is there already.
case ",$(echo "${DIB_CLOUD_INIT_DATASOURCES:-}" | tr -d ' ')," in
    *,GCE,*) ;;
    *)
        _dib_sources=$(echo "${DIB_CLOUD_INIT_DATASOURCES:-}" | tr -d ' ' | tr ',' '\n' | grep -v -x -e None -e '' | paste -sd, - || true)
        export DIB_CLOUD_INIT_DATASOURCES="${_dib_sources:+$_dib_sources, }GCE, None"
        unset _dib_sources ;;
esac
