export DIB_BLOCK_DEVICE=gpt
