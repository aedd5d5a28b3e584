export DIB_BLOCK_DEVICE=mbr
