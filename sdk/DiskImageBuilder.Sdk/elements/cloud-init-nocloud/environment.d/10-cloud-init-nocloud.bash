# NoCloud is the only data source, whatever DIB_CLOUD_INIT_DATASOURCES said: this file sorts after
# cloud-init-datasources' default, as in diskimage-builder.
export DIB_CLOUD_INIT_DATASOURCES="NoCloud"
